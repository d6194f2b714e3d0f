// Static IPv4 routes from route-DEV files, as plain data.
import type { Ipv4Cidr } from './types.js';
import type { Warning } from './warning.js';

export type RouteFileFormat = 'ip' | 'numbered';

export interface StaticRoute {
  /** 1-based line of the route (numbered form: the line of ADDRESSn). */
  readonly line: number;
  /** Numbered form: n of ADDRESSn; null in the ip form. */
  readonly index: number | null;
  readonly destination: Ipv4Cidr;
  readonly via: string | null;
  /** `dev` named in an ip-form line; null when the line names none. */
  readonly dev: string | null;
  readonly metric: number | null;
  /** The route type when it is not a plain unicast route (local, blackhole, ...). */
  readonly type: string | null;
}

export interface RouteFile {
  /** Root-relative path. */
  readonly file: string;
  /** The ifcfg file whose route file this is (root-relative). */
  readonly profile: string;
  /** The device whose ifup applies it (the profile's DEVICE). */
  readonly device: string;
  readonly format: RouteFileFormat;
  readonly routes: readonly StaticRoute[];
  /** Lines that `ip route add` would refuse, or that ttyconf cannot read with certainty. */
  readonly warnings: readonly Warning[];
}

/** A unicast route with prefix length 0 is the default route (`default`, `0/0`, `0.0.0.0/0`). */
export function isDefaultRoute(r: StaticRoute): boolean {
  return r.destination.prefix === 0 && r.type === null;
}

export function formatRoute(r: StaticRoute): string {
  const dest = isDefaultRoute(r) ? 'default' : `${r.destination.address}/${r.destination.prefix}`;
  return [r.type, dest, r.via ? `via ${r.via}` : null, r.dev ? `dev ${r.dev}` : null, r.metric !== null ? `metric ${r.metric}` : null]
    .filter((x): x is string => x !== null)
    .join(' ');
}

/** The default route a profile's route files hold (the first one), with its file. */
export function defaultRouteOf(files: readonly RouteFile[]): { file: RouteFile; route: StaticRoute } | null {
  for (const file of files) {
    const route = file.routes.find(isDefaultRoute);
    if (route) return { file, route };
  }
  return null;
}
