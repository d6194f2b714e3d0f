// The review's VLAN line for one profile: which VLAN it makes before and after, in the status
// screen's words. Pure.
import type { VlanConfig } from './model/vlan.js';

const word = (v: VlanConfig | undefined, file: boolean): string => (v ? `${v.id} on ${v.parent}` : file ? '(not a VLAN)' : '(none)');

/** `[field, old, new]` when the VLAN a profile makes differs (null: the same, or neither is a VLAN). */
export function vlanSummaryLine(before: { vlan?: VlanConfig } | null, after: { vlan?: VlanConfig } | null): [string, string, string] | null {
  if (!before?.vlan && !after?.vlan) return null;
  const old = word(before?.vlan, before !== null);
  const now = word(after?.vlan, after !== null);
  return old === now ? null : ['VLAN', old, now];
}
