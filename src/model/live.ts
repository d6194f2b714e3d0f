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
  /** The kernel's hostname (only when reading the real root). */
  readonly hostname: string | null;
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
