// The settings ttyconf manages, as plain data. Every value here has passed validation.
import type { Ip6Change } from './ipv6.js';
import type { VlanChange } from './vlan.js';

export interface Ipv4Cidr {
  readonly address: string;
  readonly prefix: number;
}

export type Ipv4Config =
  | { readonly method: 'dhcp' }
  | { readonly method: 'static'; readonly address: Ipv4Cidr; readonly gateway: string | null };

export interface DnsConfig {
  readonly servers: readonly string[];
  readonly search: readonly string[];
}

/** One thing the user asked to change. */
export type Change =
  | { readonly kind: 'ip'; readonly device: string; readonly ipv4: Ipv4Config }
  | { readonly kind: 'dns'; readonly dns: DnsConfig }
  | { readonly kind: 'hostname'; readonly hostname: string }
  | Ip6Change
  | VlanChange;

export const MAX_DNS_SERVERS = 3;
export const MAX_SEARCH_DOMAINS = 6;
export const MAX_SEARCH_LENGTH = 256;

export function formatCidr(c: Ipv4Cidr): string {
  return `${c.address}/${c.prefix}`;
}
