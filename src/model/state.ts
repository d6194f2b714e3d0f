// What ttyconf knows about a machine: its files and, where it can see it, the live system.
import type { RouteFile } from './routes.js';
import type { Ipv6Profile } from './ipv6.js';
import type { VlanConfig } from './vlan.js';
import type { Ipv4Cidr } from './types.js';
import type { Warning } from './warning.js';

export type { Warning } from './warning.js';

/** Where NetworkManager (or network-scripts) reads a profile from. */
export type ProfileStore = 'ifcfg' | 'keyfile';

/** One profile file that configures an interface: an ifcfg-* file or a NetworkManager keyfile. */
export interface Profile {
  readonly store: ProfileStore;
  readonly file: string;
  readonly device: string;
  /** How the profile names its device: by name (DEVICE=, interface-name=), by MAC only, or not at all. */
  readonly binding: 'name' | 'mac' | 'unbound';
  readonly name: string | null;
  readonly uuid: string | null;
  readonly hwaddr: string | null;
  /** The method as NM reads it: dhcp/bootp/auto -> dhcp; none/static/manual with an address -> static. */
  readonly method: 'dhcp' | 'static' | 'disabled' | 'unknown';
  /** The method as written (BOOTPROTO=, or [ipv4] method=). */
  readonly bootproto: string;
  readonly addresses: readonly Ipv4Cidr[];
  readonly gateway: string | null;
  readonly defroute: boolean;
  readonly onboot: boolean;
  readonly dns: readonly string[];
  readonly domains: readonly string[];
  readonly peerdns: boolean;
  readonly nmControlled: boolean;
  /** NM's autoconnect-priority (ifcfg: AUTOCONNECT_PRIORITY), 0 by default. */
  readonly priority: number;
  /** When NM last activated it (seconds; keyfile timestamp= or NM's timestamps file), 0 when never. */
  readonly lastUsed?: number;
  /** Keyfile: the `routeN` key that holds the default route (`route1=0.0.0.0/0,GW`) when no gateway= does. */
  readonly gatewayRoute?: string;
  /** Why ttyconf must not edit this profile (a runtime profile, a port of a bond...), or null. */
  readonly readOnly: string | null;
  /**
   * A keyfile in /usr/lib is never edited in place: edits go to this /etc path (same name, same
   * UUID), which shadows it for NetworkManager.
   */
  readonly editPath: string;
  /** What the profile says about IPv6 (absent: not read, as off). */
  readonly ipv6?: Ipv6Profile;
  /** The profile makes a VLAN interface: its parent and ID (absent: not a VLAN). */
  readonly vlan?: VlanConfig;
}

/** Where a new profile goes, and why. */
export interface NewProfileStore {
  readonly store: ProfileStore;
  readonly why: string;
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
  /** Every profile of both stores that NetworkManager (or network-scripts) would read. */
  readonly profiles: readonly Profile[];
  /** The profile that owns each device (NM's choice where several match), by device name. */
  readonly owners: ReadonlyMap<string, string>;
  /** Devices ttyconf must not change, and why (a profile it cannot read or write). */
  readonly blocked: ReadonlyMap<string, Warning>;
  /** Where a profile for a device that has none goes. */
  readonly newStore: NewProfileStore;
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

/** The profile that owns a device (NetworkManager's choice where several match). */
export function ownerOf(state: FilesState, device: string): Profile | undefined {
  const file = state.owners.get(device);
  return file === undefined ? undefined : state.profiles.find((p) => p.file === file);
}

/** The profiles that own a device, in file order (shadowed rivals left out). */
export function ownedProfiles(state: FilesState): Profile[] {
  return state.profiles.filter((p) => state.owners.get(p.device) === p.file);
}

/** Why ttyconf must not change a device, or null. */
export function readOnlyReason(files: FilesState, device: string): string | null {
  const blocked = files.blocked.get(device);
  if (blocked) return `${blocked.file}${blocked.line ? `:${blocked.line}` : ''}: ${blocked.message}`;
  const p = ownerOf(files, device);
  return p?.readOnly ? `${p.file}: ${p.readOnly}` : null;
}
