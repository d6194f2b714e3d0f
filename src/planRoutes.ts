// What an address change does to the interface's route-DEV files, and what the review says about it.
// Pure: no I/O.
//
// The default route lives in exactly one place. Where route-DEV holds it (os-net-config writes the
// gateway only as `default via GW dev DEV` there), ttyconf edits that line in place and writes no
// GATEWAY beside it; where it is GATEWAY in the ifcfg file (or nowhere yet), it stays GATEWAY; where
// an older edit left it in both, GATEWAY keeps it (every reader understands GATEWAY) and the
// route-file line goes. DHCP brings its own default route, so `set ip DEV dhcp` removes a route-file one.
import { basename } from 'node:path';
import { formatIPv4, networkOf, parseIPv4 } from './model/ipv4.js';
import { describeStaticKeys, staticKeysUnderDhcp } from './model/readings.js';
import { defaultRouteOf, formatRoute, isDefaultRoute } from './model/routes.js';
import type { FilesState, Profile } from './model/state.js';
import type { Ipv4Config } from './model/types.js';
import { editDefaultRoute, routesLeavingSubnet } from './files/routeFile.js';

export interface RoutePlan {
  /** New bytes of the route files that change. */
  readonly edits: ReadonlyMap<string, Buffer>;
  /** True when the route file keeps the default route: the ifcfg file gets no GATEWAY. */
  readonly gatewayInRouteFile: boolean;
  /** The gateway before the change, where only a route file held it. */
  readonly oldRouteGateway: string | null;
  readonly notes: readonly string[];
  readonly summary: readonly { field: string; old: string; new: string }[];
}

export function planRoutes(
  state: FilesState,
  files: ReadonlyMap<string, Buffer | null>,
  device: string,
  profile: Profile | undefined,
  ipv4: Ipv4Config,
): RoutePlan {
  const edits = new Map<string, Buffer>();
  const notes: string[] = [];
  const summary: { field: string; old: string; new: string }[] = [];
  const routeFiles = profile ? state.routeFiles.filter((r) => r.profile === profile.file) : [];
  const found = defaultRouteOf(routeFiles);
  let gatewayInRouteFile = false;
  const oldRouteGateway = found && profile?.method !== 'dhcp' && !profile?.gateway ? found.route.via : null;

  if (found) {
    const where = `${basename(found.file.file)} line ${found.route.line}`;
    const bytes = files.get(found.file.file);
    const keepThere = ipv4.method === 'static' && !profile?.gateway;
    const gateway = keepThere && ipv4.method === 'static' ? ipv4.gateway : null;
    if (bytes) edits.set(found.file.file, editDefaultRoute(found.file, bytes, found.route, gateway));
    if (keepThere && gateway) {
      gatewayInRouteFile = true;
      notes.push(`the default route of ${device} stays in ${where}, now via ${gateway}; GATEWAY is not written beside it (that would be a second default route)`);
    } else if (keepThere) {
      notes.push(`the default route "${formatRoute(found.route)}" is removed from ${where}: ${device} gets no gateway`);
    } else if (ipv4.method === 'dhcp') {
      notes.push(`the default route "${formatRoute(found.route)}" is removed from ${where}: DHCP brings the default route`);
    } else {
      notes.push(`the default route "${formatRoute(found.route)}" is removed from ${where}: GATEWAY in ${basename(profile!.file)} holds the default route (it was in both)`);
    }
  }

  // Another interface's route file with a default route keeps it: say so, as the box then has two.
  if (ipv4.method === 'static' && ipv4.gateway) {
    for (const f of state.routeFiles) {
      const r = f.device !== device ? f.routes.find(isDefaultRoute) : undefined;
      if (r) notes.push(`${basename(f.file)} line ${r.line} keeps "${formatRoute(r)}" for ${f.device}: with the gateway of ${device} the box has two default routes; change ${f.device} too if only one should stay`);
    }
  }

  const others = routeFiles.flatMap((f) => f.routes.filter((r) => !isDefaultRoute(r)).map((route) => ({ file: f, route })));
  if (ipv4.method === 'static') {
    const net = { address: formatIPv4(networkOf(parseIPv4(ipv4.address.address)!, ipv4.address.prefix)), prefix: ipv4.address.prefix };
    for (const { file, route } of routesLeavingSubnet(routeFiles, net, device)) {
      notes.push(`${basename(file.file)} line ${route.line}: "${formatRoute(route)}" goes via ${route.via}, outside the new subnet ${net.address}/${net.prefix}: that route can no longer be added; edit or remove it`);
    }
  } else if (others.some((o) => o.route.via !== null)) {
    const names = [...new Set(others.map((o) => basename(o.file.file)))].join(', ');
    notes.push(`the static routes in ${names} stay; their next hops must be on the subnet the DHCP lease gives`);
  }

  if (ipv4.method === 'dhcp' && profile) {
    const extra = staticKeysUnderDhcp(profile);
    if (extra) {
      const what = describeStaticKeys(extra);
      summary.push({ field: `${device} static keys beside DHCP`, old: what, new: '(none)' });
      notes.push(`${basename(profile.file)} is DHCP with static keys (${what}): NetworkManager adds them beside the lease, network-scripts ignores them; set ip ${device} dhcp drops them`);
    }
  }
  return { edits, gatewayInRouteFile, oldRouteGateway, notes, summary };
}
