// The IPv6 part of the status: what the profile says and what the kernel holds. Pure.
import { type Ipv6Method, formatCidr6 } from './model/ipv6.js';
import type { Live6Address } from './model/live.js';
import type { Profile } from './model/state.js';

export interface Ipv6Status {
  /** From the profile; null when the interface has none. `unknown`: a method ttyconf does not set (`raw` says which). */
  readonly method: Ipv6Method | 'unknown' | null;
  readonly raw: string | null;
  /** The configured addresses (CIDR). */
  readonly addresses: readonly string[];
  /** The kernel's global (and site) addresses, link-local left out. */
  readonly live: readonly Live6Address[];
  readonly gateway: string | null;
}

export function ipv6Status(p: Profile | null, live6: readonly Live6Address[] | undefined): Ipv6Status {
  const v6 = p?.ipv6;
  return {
    method: p ? (v6?.method ?? 'ignore') : null,
    raw: v6?.raw ?? null,
    addresses: v6 && v6.method !== 'ignore' ? v6.addresses.map(formatCidr6) : [],
    live: (live6 ?? []).filter((a) => a.scope === 'global' || a.scope === 'site'),
    gateway: v6 && v6.method !== 'ignore' ? v6.gateway : null,
  };
}

/** A live address as the status screen shows it: marked when duplicate address detection has not passed. */
export function live6Text(a: Live6Address): string {
  const cidr = formatCidr6(a);
  return a.dadfailed ? `${cidr}(DUPLICATE)` : a.tentative ? `${cidr}(tentative)` : cidr;
}
