// What ttyconf knows about a machine: its files and, where it can see it, the live system.
import type { RouteFile } from './routes.js';
import type { Ipv4Cidr } from './types.js';

export interface Warning {
  /** Root-relative file, when the warning is about a file. */
  readonly file?: string;
  readonly line?: number;
  readonly key?: string;
  readonly message: string;
}

/** One ifcfg-* file that configures an interface. */
export interface IfcfgProfile {
  readonly file: string;
  readonly device: string;
  readonly name: string | null;
  readonly uuid: string | null;
  readonly hwaddr: string | null;
  /** BOOTPROTO as NM reads it: dhcp/bootp -> dhcp; none/static/'' with an address -> static. */
  readonly method: 'dhcp' | 'static' | 'disabled' | 'unknown';
  readonly bootproto: string;
  readonly addresses: readonly Ipv4Cidr[];
  readonly gateway: string | null;
  readonly defroute: boolean;
  readonly onboot: boolean;
  readonly dns: readonly string[];
  readonly domains: readonly string[];
  readonly peerdns: boolean;
  readonly nmControlled: boolean;
}

export type ResolvOwner = 'networkmanager' | 'dhclient' | 'systemd-resolved' | 'symlink' | 'file' | 'missing';

export interface ResolvState {
  readonly servers: readonly string[];
  readonly search: readonly string[];
  readonly owner: ResolvOwner;
  /** Why NetworkManager leaves resolv.conf alone (`dns=none in FILE`); null when its settings let it write the file. */
  readonly nmLeavesAlone: string | null;
}

export interface FilesState {
  readonly profiles: readonly IfcfgProfile[];
  /** Alias (`ifcfg-eth0:1`) and range files: read, never edited. */
  readonly readOnlyFiles: readonly string[];
  /** The route-DEV files of the profiles (static routes, maybe the default route). */
  readonly routeFiles: readonly RouteFile[];
  readonly resolv: ResolvState;
  /** /etc/hostname, or null when it is missing or empty. */
  readonly hostname: string | null;
  /** HOSTNAME= in /etc/sysconfig/network, when present. */
  readonly legacyHostname: string | null;
  readonly warnings: readonly Warning[];
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

export interface InterfaceView {
  readonly name: string;
  readonly profile: IfcfgProfile | null;
  readonly link: LinkState | null;
}
