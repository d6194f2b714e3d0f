// What a device must end up with, on one side of a change: read once from a profile when the plan
// is made, then used to apply, verify and roll back. Pure.
import type { Ipv6Config, Ipv6Profile } from './ipv6.js';
import type { Profile } from './state.js';
import type { Ipv4Cidr } from './types.js';

/** What one interface should end up with for IPv4. */
export type IfaceTarget =
  | { readonly method: 'static'; readonly addresses: readonly Ipv4Cidr[]; readonly gateway: string | null }
  | { readonly method: 'dhcp' }
  /** No IPv4 configuration (BOOTPROTO=none without an address): nothing to check. */
  | { readonly method: 'none' };

/** A device's settings on one side of a change (before or after), as its profile says them. */
export interface DeviceSettings {
  /** The profile that owns the device on this side (root-relative), or null when none does. */
  readonly profile: string | null;
  readonly uuid: string | null;
  /** NM_CONTROLLED=no hands the device to network-scripts or iproute2 even where NetworkManager runs. */
  readonly nmControlled: boolean;
  readonly ipv4: IfaceTarget;
  readonly ipv6: Ipv6Config;
}

export function ipv4TargetOf(p: Profile | undefined): IfaceTarget {
  if (p?.method === 'dhcp') return { method: 'dhcp' };
  if (p?.method === 'static') return { method: 'static', addresses: p.addresses, gateway: p.defroute ? p.gateway : null };
  return { method: 'none' };
}

/** The target a profile's IPv6 reading asks for. */
export function ipv6TargetOf(p: Ipv6Profile | undefined): Ipv6Config {
  if (!p || p.method === 'ignore' || p.method === 'unknown') return { method: 'ignore' };
  if (p.method === 'static') return { method: 'static', addresses: p.addresses, gateway: p.gateway };
  return { method: p.method };
}

export function settingsOf(p: Profile | undefined): DeviceSettings {
  return {
    profile: p?.file ?? null,
    uuid: p?.uuid ?? null,
    nmControlled: p?.nmControlled ?? true,
    ipv4: ipv4TargetOf(p),
    ipv6: ipv6TargetOf(p?.ipv6),
  };
}

/**
 * What the resolver must answer once a change is applied: the servers of a DNS change (required),
 * else the servers in use (each asked, none required).
 */
export interface DnsTarget {
  readonly servers: readonly string[];
  readonly required: boolean;
}
