// "Test network" (like the DCUI's Test Management Network): the checks that follow an apply, run
// on the current settings, plus a ping to an address the user types. Changes nothing.
import type { Current } from '../current.js';
import { ownerOf } from '../model/state.js';
import { type Probe, readLiveNet, realProbe } from '../system/observe.js';
import { observeAndVerify } from './engine.js';
import { ipv4TargetOf } from '../model/target.js';
import { type CheckResult, DEFAULT_TIMEOUTS, type Timeouts } from './types.js';
import type { WantedIface } from './verify.js';

export interface TestOptions {
  /** One more address (or host name) to ping. */
  readonly ping?: string;
  readonly probe?: Partial<Probe>;
  readonly timeouts?: Partial<Timeouts>;
  /** Each check the moment it is decided, with the time since the test started (the probe's clock). */
  readonly onCheck?: (check: CheckResult, elapsedMs: number) => void;
}

export async function testNetwork(current: Current, opts: TestOptions = {}): Promise<CheckResult[]> {
  const probe: Probe = { ...realProbe, ...opts.probe };
  const t: Timeouts = { ...DEFAULT_TIMEOUTS, settleMs: 0, leaseMs: 0, ...opts.timeouts };
  const startedAt = probe.now();
  const report = (c: CheckResult): void => opts.onCheck?.(c, probe.now() - startedAt);
  const live = await readLiveNet(probe);
  const skipped: CheckResult[] = [];
  const interfaces: WantedIface[] = [];
  for (const i of current.status.interfaces) {
    const p = ownerOf(current.snapshot.state, i.name);
    if (!p || (p.method !== 'static' && p.method !== 'dhcp')) continue;
    if (i.link === 'no-carrier' || i.link === 'down') {
      // The interface the way out depends on: without a link the machine is off the network.
      const carriesRoute = live.defaultRoute ? live.defaultRoute.dev === i.name : p.method === 'static' && p.gateway !== null && p.defroute;
      skipped.push(carriesRoute
        ? { name: `${i.name} link`, status: 'failed', passed: false, required: true, detail: `no link (${i.link}): ${i.name} carries the default route` }
        : { name: `${i.name} address`, status: 'skipped', passed: true, required: false, detail: `no link (${i.link})` });
      continue;
    }
    const target = ipv4TargetOf(p);
    const defaultRoute = target.method === 'static' && target.gateway ? { via: target.gateway }
      : target.method === 'dhcp' && live.defaultRoute?.dev === i.name ? 'dhcp' as const : null;
    interfaces.push({ device: i.name, target, defaultRoute });
  }
  const host = current.root.isSystem ? current.status.hostname : null;
  // With no interface to check, still say whether there is a way out at all.
  const noRoute: CheckResult[] = interfaces.length === 0 && !live.defaultRoute
    ? [{ name: 'default route', status: 'failed', passed: false, required: true, detail: 'wanted a default route, got none' }]
    : [];
  // Here every failure counts: nothing is rolled back, the user asked whether the network works.
  const counted = (c: CheckResult): CheckResult => ({ ...c, required: true });
  [...skipped, ...noRoute].forEach(report);
  const { checks } = await observeAndVerify(probe, {
    interfaces,
    dns: { servers: [...current.status.dns.servers], required: true },
    hostname: host,
    ping: opts.ping,
  }, t, true, (c) => report(counted(c)));
  return [...skipped, ...noRoute, ...checks.map(counted)];
}
