// The running network as ttyconf sees it (kernel addresses, default route, hostname, links): plain data.
import type { Ipv4Cidr } from './types.js';

export interface LiveAddress extends Ipv4Cidr {
  readonly dynamic: boolean;
}

export interface DefaultRoute {
  readonly via: string;
  readonly dev: string;
}

/**
 * The running network: the kernel's IPv4 addresses by device (every device it lists, lo included),
 * the default route and the hostname. The apply engine reads this much (`ip`) before and after a
 * change; the status screen and the plan read the links beside it (LiveState).
 */
export interface LiveNet {
  readonly addresses: Readonly<Record<string, readonly LiveAddress[]>>;
  readonly defaultRoute: DefaultRoute | null;
  /**
   * Every IPv4 default route, best first (absent: not read). With NetworkManager a second profile
   * with a gateway (a VLAN's) has its own default route behind the first one's lower metric.
   */
  readonly defaultRoutes?: readonly DefaultRoute[];
  /** The kernel's hostname (only when reading the real root). */
  readonly hostname: string | null;
  /** IPv6 addresses by device (absent: not read; the apply engine reads them only for an IPv6 change). */
  readonly addresses6?: Readonly<Record<string, readonly Live6Address[]>>;
  /** The IPv6 default route (absent: not read). */
  readonly defaultRoute6?: Live6Route | null;
}

/** An IPv6 address as the kernel holds it. */
export interface Live6Address {
  readonly address: string;
  readonly prefix: number;
  readonly scope: 'global' | 'link' | 'host' | 'site';
  /** Duplicate address detection still running: the address is not usable yet. */
  readonly tentative: boolean;
  /** Duplicate address detection found another host with it: the address is not usable. */
  readonly dadfailed: boolean;
  /** From SLAAC or DHCPv6 (not permanent). */
  readonly dynamic: boolean;
}

export interface Live6Route {
  readonly via: string;
  readonly dev: string;
}

export type LinkStatus = 'up' | 'down' | 'no-carrier' | 'unknown';

/** An interface as the running system (or the root's sys/class/net) shows it; its addresses are in LiveNet. */
export interface LinkState {
  readonly name: string;
  readonly mac: string | null;
  readonly link: LinkStatus;
  readonly virtual: boolean;
}

/** The running network with the interfaces sys/class/net lists (lo and ttyconf's own entries left out). */
export interface LiveState extends LiveNet {
  readonly links: readonly LinkState[];
}

/** The live addresses of a listed link; none for a device sys/class/net does not list. */
export function linkAddresses(live: LiveState, device: string): readonly LiveAddress[] {
  return live.links.some((l) => l.name === device) ? (live.addresses[device] ?? []) : [];
}
