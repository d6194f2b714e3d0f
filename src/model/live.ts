// The running network as ttyconf sees it (kernel addresses, default route, hostname, links): plain data.
import type { Ipv4Cidr } from './types.js';

export interface LiveAddress extends Ipv4Cidr {
  readonly dynamic: boolean;
}

export interface DefaultRoute {
  readonly via: string;
  readonly dev: string;
}

/** The running system's network, as `ip` shows it, for the devices that matter. */
export interface LiveNet {
  readonly addresses: Readonly<Record<string, readonly LiveAddress[]>>;
  readonly defaultRoute: DefaultRoute | null;
  readonly hostname: string | null;
}

export type LinkStatus = 'up' | 'down' | 'no-carrier' | 'unknown';

/** An interface as the running system (or the root's sys/class/net) shows it. */
export interface LinkState {
  readonly name: string;
  readonly mac: string | null;
  readonly link: LinkStatus;
  readonly addresses: readonly (Ipv4Cidr & { readonly dynamic: boolean })[];
  readonly virtual: boolean;
}

export interface LiveState {
  readonly links: readonly LinkState[];
  readonly defaultGateway: { readonly via: string; readonly dev: string } | null;
  /** The kernel's hostname (only when reading the real root). */
  readonly hostname: string | null;
}
