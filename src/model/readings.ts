// Where NetworkManager and network-scripts read one ifcfg profile differently, in words. Pure.
import type { Profile } from './state.js';
import { formatCidr } from './types.js';

export interface Readings {
  readonly networkmanager: string;
  readonly networkScripts: string;
}

/**
 * IPADDR/PREFIX/NETMASK/GATEWAY keys in a DHCP profile (cloud-init renders a DHCP plus static subnet
 * that way): NetworkManager adds them beside the lease, network-scripts ignores them.
 */
export function staticKeysUnderDhcp(p: Profile): { addresses: string[]; gateway: string | null } | null {
  if (p.method !== 'dhcp' || (p.addresses.length === 0 && p.gateway === null)) return null;
  return { addresses: p.addresses.map(formatCidr), gateway: p.gateway };
}

export function describeStaticKeys(k: { addresses: readonly string[]; gateway: string | null }): string {
  return [k.addresses.join(' '), k.gateway ? `gateway ${k.gateway}` : ''].filter(Boolean).join(', ');
}

/** The two readings of a profile, when they differ; null when both stacks read it alike. */
export function profileReadings(p: Profile): Readings | null {
  const extra = staticKeysUnderDhcp(p);
  const exact = p.bootproto === 'dhcp' || p.bootproto === 'bootp';
  if (p.method === 'dhcp' && !exact) {
    const addrs = p.addresses.map(formatCidr).join(' ');
    return {
      networkmanager: `DHCP${extra ? ` plus ${describeStaticKeys(extra)}` : ''}`,
      networkScripts: `static (BOOTPROTO=${p.bootproto} is not "dhcp")${addrs ? `: ${addrs}` : ', no address'}`,
    };
  }
  if (extra) {
    return {
      networkmanager: `DHCP plus ${describeStaticKeys(extra)}`,
      networkScripts: 'DHCP only (IPADDR, PREFIX, NETMASK and GATEWAY are ignored with BOOTPROTO=dhcp)',
    };
  }
  return null;
}
