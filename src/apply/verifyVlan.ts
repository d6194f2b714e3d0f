// Pure: the VLAN checks. A VLAN that should be there must be a link with the wanted ID on the wanted
// parent; one that should be gone must have no link. The reading happens elsewhere (system/vlanLive.ts).
import type { VlanConfig } from '../model/vlan.js';
import type { VlanLink } from '../system/vlanLive.js';
import type { CheckResult } from './types.js';

export interface WantedVlan {
  readonly name: string;
  /** null: the VLAN must be gone. */
  readonly vlan: VlanConfig | null;
}

const want = (v: VlanConfig | null): string => (v ? `VLAN ${v.id} on ${v.parent}` : 'no link');

function got(l: VlanLink | undefined): string {
  if (!l || l.kind === 'absent') return 'no link';
  if (l.kind === 'unknown') return `nothing known: ${l.why}`;
  if (l.kind === 'not-vlan') return 'a link that is not a VLAN';
  return `VLAN ${l.vlan.id} on ${l.vlan.parent || '(no parent)'}`;
}

export function verifyVlans(wanted: readonly WantedVlan[], links: ReadonlyMap<string, VlanLink>): CheckResult[] {
  return wanted.map((w) => {
    const l = links.get(w.name);
    const ok = w.vlan === null
      ? l?.kind === 'absent'
      : l?.kind === 'vlan' && l.vlan.id === w.vlan.id && l.vlan.parent === w.vlan.parent;
    return { name: `${w.name} VLAN`, status: ok ? 'passed' : 'failed', passed: ok, required: true, detail: `wanted ${want(w.vlan)}, got ${got(l)}` };
  });
}
