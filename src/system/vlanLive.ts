// The VLAN links the kernel holds: `ip -d -o link show dev NAME` (CentOS 7's ip has no -j), parsed
// here. What ttyconf checks after a VLAN change: the link is there with the wanted ID on the wanted
// parent, or it is gone.
import type { VlanConfig } from '../model/vlan.js';
import { type Runner, describeResult, succeeded } from './run.js';

/** What the kernel holds under a name: no link, a link that is no VLAN, or a VLAN. */
export type VlanLink =
  | { readonly kind: 'absent' }
  /** `ip` failed for another reason than a missing device (a timeout, no `ip`): nothing is known. */
  | { readonly kind: 'unknown'; readonly why: string }
  | { readonly kind: 'not-vlan' }
  | { readonly kind: 'vlan'; readonly vlan: VlanConfig; readonly up: boolean };

/**
 * One line of `ip -d -o link show`: `5: eth0.100@eth0: <...UP...> ... vlan protocol 802.1Q id 100 <REORDER_HDR> ...`.
 * A parent in another namespace shows as `@ifN`; `@NONE` when it has none.
 */
export function parseVlanLink(line: string): VlanLink {
  const head = /^\d+:\s+([^:@\s]+)(?:@([^:\s]+))?:\s+<([^>]*)>/.exec(line.trim());
  if (!head) return { kind: 'absent' };
  const m = /\svlan\s+protocol\s+\S+\s+id\s+(\d+)/.exec(line);
  if (!m) return { kind: 'not-vlan' };
  return { kind: 'vlan', vlan: { parent: head[2] ?? '', id: Number(m[1]) }, up: head[3]!.split(',').includes('UP') };
}

/** The kernel's view of each name. */
export async function readVlanLinks(run: Runner, names: readonly string[], timeoutMs: number): Promise<Map<string, VlanLink>> {
  const out = new Map<string, VlanLink>();
  for (const name of names) {
    const r = await run('ip', ['-d', '-o', 'link', 'show', 'dev', name], { timeoutMs, env: { LC_ALL: 'C' } });
    if (succeeded(r)) out.set(name, parseVlanLink(r.stdout.split('\n')[0] ?? ''));
    else if (/does not exist|cannot find device/i.test(r.stderr)) out.set(name, { kind: 'absent' });
    else out.set(name, { kind: 'unknown', why: describeResult(r) });
  }
  return out;
}
