// An IPv6 change through executePlan with NetworkManager and network-scripts on a scripted machine:
// the profile is loaded and applied, the IPv6 addresses, default route and gateway are checked, and a
// failed check puts the old file back and applies it again. The IPv6 side of the scripted kernel
// lives here (its `override` hook), so the shared fake stays IPv4.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRoot, readCurrent } from '../../src/core.js';
import { preparePlan } from '../../src/plan.js';
import type { Change } from '../../src/model/types.js';
import { type StackName, executePlan } from '../../src/transaction.js';
import { profileFor, readSnapshot } from '../../src/files/read.js';
import { Root } from '../../src/files/root.js';
import { FakeSystem } from './helpers/fakeSystem.js';
import { DEMO, DEMO_EL9, tempRoot } from '../helpers/tree.js';

let roots: string[] = [];
afterEach(() => {
  roots.forEach((r) => rmSync(r, { recursive: true, force: true }));
  roots = [];
});

interface Kernel6 {
  addrs: Map<string, { address: string; prefix: number; flags: string }[]>;
  route: { via: string; dev: string } | null;
  answering: Set<string>;
  /** Addresses another host holds: they end dadfailed. */
  taken: Set<string>;
}

/** The IPv6 half of the scripted kernel: NetworkManager or ifup apply the profile's [ipv6] or IPV6* keys. */
function withIpv6(fake: FakeSystem, root: string): Kernel6 {
  const k: Kernel6 = { addrs: new Map(), route: null, answering: new Set(['2001:db8::1', 'fe80::1']), taken: new Set() };
  const activate = (dev: string): void => {
    const v6 = profileFor(readSnapshot(new Root(root)).state, dev)?.ipv6;
    k.addrs.set(dev, v6?.method === 'static' ? v6.addresses.map((a) => ({ ...a, flags: k.taken.has(a.address) ? 'dadfailed tentative' : '' })) : []);
    if (k.route?.dev === dev) k.route = null;
    if (v6?.method === 'static' && v6.gateway) k.route = { via: v6.gateway, dev };
  };
  fake.override = (argv) => {
    const line = argv.join(' ');
    if (line === 'ip -o -6 addr show') {
      return { exitCode: 0, stdout: [...k.addrs].flatMap(([dev, list]) => list.map((a) => `2: ${dev}    inet6 ${a.address}/${a.prefix} scope global ${a.flags} \\       valid_lft forever`)).join('\n') + '\n' };
    }
    if (line === 'ip -6 route show default') return { exitCode: 0, stdout: k.route ? `default via ${k.route.via} dev ${k.route.dev} metric 1024 pref medium\n` : '' };
    if (argv[0] === 'ping' && argv[1] === '-6') return k.answering.has(argv[argv.length - 1]!) ? { exitCode: 0 } : { exitCode: 1 };
    if (argv[0] === 'ip' && argv[1] === '-6' && argv[2] === 'neigh') return { exitCode: 0, stdout: '' };
    // The IPv4 fake does the rest; the IPv6 side follows each activation.
    const dev = argv[0] === 'ifup' ? argv[1] : argv[0] === 'nmcli' && argv.includes('reapply') ? argv[argv.length - 1] : undefined;
    if (dev) activate(dev);
    return undefined;
  };
  return k;
}

async function run(change: Change, stack: StackName, tree: string, setup: (k: Kernel6) => void = () => undefined) {
  const root = tempRoot(tree);
  roots.push(root);
  const fake = new FakeSystem(root);
  const k6 = withIpv6(fake, root);
  setup(k6);
  const cur = await readCurrent(openRoot(root), { run: null });
  const planned = preparePlan(cur, [change]);
  if (!planned.ok) throw new Error(JSON.stringify(planned.error));
  const file = planned.value.edits[0]!.path;
  const before = readFileSync(join(root, file), 'latin1');
  const outcome = await executePlan(cur, planned.value, { apply: true, stack, confirmKeep: async () => true, ...fake.options });
  return { outcome, fake, k6, root, file, before };
}

const static6: Change = { kind: 'ip6', device: 'eth0', ipv6: { method: 'static', addresses: [{ address: '2001:db8::10', prefix: 64 }], gateway: '2001:db8::1' } };

describe('IPv6 with NetworkManager (keyfile) and network-scripts (ifcfg)', () => {
  it.each([['nm', DEMO_EL9], ['network-scripts', DEMO]] as const)('%s: applies the profile, checks address, route and gateway, keeps', async (stack, tree) => {
    const r = await run(static6, stack, tree);
    expect(r.outcome.kind).toBe('applied');
    if (r.outcome.kind !== 'applied') return;
    expect(r.outcome.checks.filter((c) => /IPv6/.test(c.name)).map((c) => `${c.status} ${c.name}`)).toEqual([
      'passed eth0 IPv6 address', 'passed IPv6 default route', 'passed IPv6 gateway 2001:db8::1']);
    expect(r.fake.commands.filter((c) => !(c[0] === 'ip' && c.includes('-6')))).toEqual(stack === 'nm'
      ? [['nmcli', 'connection', 'load', join(r.root, r.file)], ['nmcli', 'device', 'reapply', 'eth0']]
      : [['ifdown', 'eth0'], ['ifup', 'eth0']]);
  });

  it.each([['nm', DEMO_EL9], ['network-scripts', DEMO]] as const)('%s: an address another host holds fails DAD: the old file comes back and is applied again', async (stack, tree) => {
    const r = await run(static6, stack, tree, (k) => k.taken.add('2001:db8::10'));
    expect(r.outcome.kind).toBe('rolled-back');
    if (r.outcome.kind !== 'rolled-back') return;
    expect(r.outcome.reason).toContain('check "eth0 IPv6 address" failed: wanted 2001:db8::10/64: duplicate address detection failed');
    expect(r.outcome.restored).toBe(true);
    expect(readFileSync(join(r.root, r.file), 'latin1')).toBe(r.before);
    // The old profile (IPv6 not static) is applied again: the address is gone.
    expect(r.k6.addrs.get('eth0')).toEqual([]);
  });

  it('a gateway that answers neither ping nor neighbour discovery is rolled back', async () => {
    const r = await run({ ...static6, ipv6: { ...static6.ipv6, gateway: 'fe80::99' } as never }, 'network-scripts', DEMO);
    expect(r.outcome.kind).toBe('rolled-back');
    if (r.outcome.kind === 'rolled-back') expect(r.outcome.reason).toContain('check "IPv6 gateway fe80::99" failed: fe80::99 does not answer');
    expect(r.k6.route).toBeNull();
  });
});
