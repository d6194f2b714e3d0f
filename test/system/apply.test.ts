// executePlan end to end on a temp root with a scripted machine (test/system/helpers/fakeSystem.ts):
// the exact commands per stack, fallbacks, timeouts, verification, the keep-or-revert question and
// rollback (files back byte for byte, old settings applied again and checked).
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type Current, openRoot, readCurrent } from '../../src/core.js';
import { preparePlan } from '../../src/plan.js';
import type { Change } from '../../src/model/types.js';
import { type ExecuteOptions, type Outcome, type ProgressEvent, type StackName, executePlan, recoverInterrupted } from '../../src/transaction.js';
import { JOBS_DIR, readState, writeState } from '../../src/apply/job.js';
import type { Probe } from '../../src/system/observe.js';
import { FakeSystem, refused, timedOut } from './helpers/fakeSystem.js';
import { DEMO, DEMO_EL9, IFCFG, removeRoot, tempRoot } from '../helpers/tree.js';

const ETH0 = `${IFCFG}/ifcfg-eth0`;
const UUID0 = '5fb06bd0-0bb0-7ffb-45f1-d6edd65f3e03';
const staticEth0: Change = { kind: 'ip', device: 'eth0', ipv4: { method: 'static', address: { address: '192.0.2.10', prefix: 24 }, gateway: '192.0.2.1' } };

let roots: string[] = [];
afterEach(() => {
  roots.forEach(removeRoot);
  roots = [];
});

interface Run {
  readonly outcome: Outcome;
  readonly fake: FakeSystem;
  readonly root: string;
  readonly events: ProgressEvent[];
  readonly before: Map<string, string>;
}

async function current(root: string): Promise<Current> {
  return readCurrent(openRoot(root), { run: null });
}

async function apply(change: Change, stack: StackName, opts: Partial<ExecuteOptions> = {}, setup?: (f: FakeSystem, root: string) => void, tree = DEMO): Promise<Run> {
  const root = tempRoot(tree);
  roots.push(root);
  const fake = new FakeSystem(root);
  setup?.(fake, root);
  const cur = await current(root);
  const planned = preparePlan(cur, [change]);
  if (!planned.ok) throw new Error(JSON.stringify(planned.error));
  const before = new Map(planned.value.edits.filter((e) => e.before).map((e) => [e.path, readFileSync(join(root, e.path), 'latin1')]));
  const events: ProgressEvent[] = [];
  const outcome = await executePlan(cur, planned.value, {
    apply: true,
    stack,
    confirmKeep: async () => true,
    onProgress: (_m, e) => events.push(e),
    ...fake.options,
    ...opts,
  });
  return { outcome, fake, root, events, before };
}

function expectFilesBack(r: Run): void {
  for (const [path, text] of r.before) expect(readFileSync(join(r.root, path), 'latin1'), path).toBe(text);
}

const cmdTimeouts = (f: FakeSystem): string[] =>
  f.calls.filter((c) => f.commands.some((x) => x.join(' ') === c.argv.join(' '))).map((c) => `${c.argv.join(' ')} [${c.timeoutMs}]`);

describe('NetworkManager', () => {
  it('loads the profile, reapplies the device, verifies, asks, keeps', async () => {
    const r = await apply(staticEth0, 'nm');
    expect(r.outcome).toMatchObject({ kind: 'applied', stack: 'nm', kept: 'confirmed' });
    expect(cmdTimeouts(r.fake)).toEqual([
      `nmcli connection load ${join(r.root, ETH0)} [15000]`,
      'nmcli device reapply eth0 [15000]',
    ]);
    if (r.outcome.kind !== 'applied') return;
    expect(r.outcome.checks.map((c) => `${c.status} ${c.name}`)).toEqual([
      'passed eth0 address', 'passed default route', 'passed gateway 192.0.2.1', 'passed DNS 192.0.2.53',
    ]);
    expect(r.fake.kernel.addrs.eth0).toEqual([{ address: '192.0.2.10', prefix: 24, dynamic: false }]);
    expect(r.events.map((e) => e.kind === 'phase' ? e.phase : e.kind)).toEqual(
      ['write', 'apply', 'command', 'command', 'verify', 'check', 'check', 'check', 'check', 'confirm', 'done']);
  });

  it('reapply refused: falls back to connection up by UUID', async () => {
    const r = await apply(staticEth0, 'nm', {}, (f) => {
      f.override = (argv) => (argv.join(' ') === 'nmcli device reapply eth0'
        ? refused("Error: Reapplying connection to device 'eth0' (/org/freedesktop/NetworkManager/Devices/2) failed: Can't reapply changes to '802-3-ethernet.cloned-mac-address' setting")
        : undefined);
    });
    expect(r.outcome.kind).toBe('applied');
    expect(cmdTimeouts(r.fake)).toEqual([
      `nmcli connection load ${join(r.root, ETH0)} [15000]`,
      'nmcli device reapply eth0 [15000]',
      `nmcli --wait 85 connection up uuid ${UUID0} [90000]`,
    ]);
    if (r.outcome.kind === 'applied') expect(r.outcome.commands[1]).toContain("exit 1: Error: Reapplying connection to device 'eth0'");
  });

  it('a command that times out rolls back: old files, old profile loaded and applied, checked', async () => {
    const r = await apply(staticEth0, 'nm', {}, (f) => {
      f.override = (argv) => (argv[1] === 'connection' && argv[2] === 'load' && f.calls.length < 4 ? timedOut : undefined);
    });
    expect(r.outcome).toMatchObject({ kind: 'rolled-back', restored: true });
    if (r.outcome.kind !== 'rolled-back') return;
    expect(r.outcome.reason).toBe(`load the profile of eth0 failed: nmcli connection load ${join(r.root, ETH0)}: timed out (after 15 s)`);
    expect(r.outcome.rollbackCommands).toEqual([
      `nmcli connection load ${join(r.root, ETH0)}: ok`,
      'nmcli device reapply eth0: ok',
    ]);
    expect(r.outcome.rollbackChecks.map((c) => `${c.status} ${c.name}: ${c.detail}`)).toEqual([
      'passed eth0 DHCP lease: wanted a DHCP address, got 192.0.2.115/24',
      'passed default route: wanted a default route via eth0 (from DHCP), got default via 192.0.2.1 dev eth0',
      'passed gateway 192.0.2.1: reply from 192.0.2.1',
    ].map((s) => s.replace('reply from 192.0.2.1', '192.0.2.1 answered ping on eth0')));
    expectFilesBack(r);
  });
});

describe('NetworkManager with keyfiles (an EL9 tree)', () => {
  const KEYFILE0 = 'etc/NetworkManager/system-connections/eth0.nmconnection';
  const KEYFILE1 = 'etc/NetworkManager/system-connections/eth1.nmconnection';

  it('loads the keyfile, reapplies the device, verifies, keeps', async () => {
    // The EL9 demo's eth0 already has 192.0.2.10/24: move it, or the plan has nothing to write.
    const moved: Change = { kind: 'ip', device: 'eth0', ipv4: { method: 'static', address: { address: '192.0.2.11', prefix: 24 }, gateway: '192.0.2.1' } };
    const r = await apply(moved, 'nm', {}, undefined, DEMO_EL9);
    expect(r.outcome).toMatchObject({ kind: 'applied', stack: 'nm' });
    expect(cmdTimeouts(r.fake)).toEqual([
      `nmcli connection load ${join(r.root, KEYFILE0)} [15000]`,
      'nmcli device reapply eth0 [15000]',
    ]);
    expect(r.fake.kernel.addrs.eth0).toEqual([{ address: '192.0.2.11', prefix: 24, dynamic: false }]);
  });

  it('a device with no profile: the new keyfile is loaded and brought up by its UUID (no reapply of the old one)', async () => {
    const change: Change = { kind: 'ip', device: 'eth1', ipv4: { method: 'static', address: { address: '198.51.100.30', prefix: 24 }, gateway: null } };
    const r = await apply(change, 'nm', {}, (_f, root) => rmSync(join(root, KEYFILE1)), DEMO_EL9);
    expect(r.outcome).toMatchObject({ kind: 'applied', stack: 'nm' });
    const uuid = /^uuid=(.*)$/m.exec(readFileSync(join(r.root, KEYFILE1), 'utf8'))?.[1];
    expect(cmdTimeouts(r.fake)).toEqual([
      `nmcli connection load ${join(r.root, KEYFILE1)} [15000]`,
      `nmcli --wait 85 connection up uuid ${uuid} [90000]`,
    ]);
    expect(r.fake.kernel.addrs.eth1).toEqual([{ address: '198.51.100.30', prefix: 24, dynamic: false }]);
  });

  it('a /usr/lib profile: its /etc copy is loaded; rollback removes the copy, reloads, and applies the old profile by UUID', async () => {
    const lib = 'usr/lib/NetworkManager/system-connections/vendor-eth1.nmconnection';
    const uuid = '11111111-2222-4333-8444-555555555555';
    const change: Change = { kind: 'ip', device: 'eth1', ipv4: { method: 'static', address: { address: '198.51.100.30', prefix: 24 }, gateway: null } };
    const r = await apply(change, 'nm', {}, (f, root) => {
      rmSync(join(root, KEYFILE1));
      mkdirSync(join(root, 'usr/lib/NetworkManager/system-connections'), { recursive: true });
      writeFileSync(join(root, lib), `[connection]\nid=vendor eth1\nuuid=${uuid}\ntype=ethernet\ninterface-name=eth1\n\n[ipv4]\naddress1=198.51.100.20/24\nmethod=manual\n`, { mode: 0o600 });
      // NetworkManager refuses the new profile (both reapply and up) while the /etc copy exists.
      const copyExists = (): boolean => existsSync(join(root, 'etc/NetworkManager/system-connections/vendor-eth1.nmconnection'));
      f.override = (argv) => ((argv.join(' ') === 'nmcli device reapply eth1' || argv.includes('up')) && copyExists()
        ? refused('Error: Connection activation failed') : undefined);
    }, DEMO_EL9);
    expect(r.outcome).toMatchObject({ kind: 'rolled-back', restored: true });
    const copy = join(r.root, 'etc/NetworkManager/system-connections/vendor-eth1.nmconnection');
    // A created file: `connection up` at once (reapply would re-apply the profile active before).
    expect(cmdTimeouts(r.fake).slice(0, 2)).toEqual([
      `nmcli connection load ${copy} [15000]`,
      `nmcli --wait 85 connection up uuid ${uuid} [90000]`,
    ]);
    if (r.outcome.kind !== 'rolled-back') return;
    expect(r.outcome.rollbackCommands).toEqual(['nmcli connection reload: ok', 'nmcli device reapply eth1: ok']);
    expect(existsSync(copy)).toBe(false);
    expect(existsSync(join(r.root, lib))).toBe(true);
    expect(r.fake.kernel.addrs.eth1).toEqual([{ address: '198.51.100.20', prefix: 24, dynamic: false }]);
  });
});

describe('network-scripts', () => {
  it('ifdown then ifup', async () => {
    const r = await apply(staticEth0, 'network-scripts');
    expect(r.outcome.kind).toBe('applied');
    expect(cmdTimeouts(r.fake)).toEqual(['ifdown eth0 [30000]', 'ifup eth0 [90000]']);
  });

  it('ifup failing rolls back with ifdown/ifup of the old file', async () => {
    const r = await apply(staticEth0, 'network-scripts', {}, (f) => {
      let first = true;
      f.override = (argv) => {
        if (argv[0] !== 'ifup' || !first) return undefined;
        first = false;
        return refused('ERROR    : [/etc/sysconfig/network-scripts/ifup-eth] Error adding address 192.0.2.10 for eth0.');
      };
    });
    expect(r.outcome).toMatchObject({ kind: 'rolled-back', restored: true, reason: expect.stringContaining('bring eth0 up with its profile failed: ifup eth0: exit 1: ERROR') });
    if (r.outcome.kind === 'rolled-back') expect(r.outcome.rollbackCommands).toEqual(['ifdown eth0: ok', 'ifup eth0: ok']);
    expectFilesBack(r);
  });
});

describe('iproute2', () => {
  it('replaces the address and the default route itself', async () => {
    const r = await apply(staticEth0, 'iproute2');
    expect(r.outcome.kind).toBe('applied');
    expect(r.fake.commands.map((c) => c.join(' '))).toEqual([
      'ip link set dev eth0 up',
      'dhclient -r eth0',
      'ip -4 addr del 192.0.2.115/24 dev eth0',
      'ip -4 addr replace 192.0.2.10/24 dev eth0',
      'ip -4 route replace default via 192.0.2.1 dev eth0',
    ]);
  });

  it('a gateway that does not answer rolls back to the old DHCP lease and route', async () => {
    const change: Change = { kind: 'ip', device: 'eth0', ipv4: { method: 'static', address: { address: '192.0.2.10', prefix: 24 }, gateway: '192.0.2.254' } };
    const r = await apply(change, 'iproute2');
    expect(r.outcome).toMatchObject({ kind: 'rolled-back', restored: true, reason: expect.stringMatching(/^check "gateway 192.0.2.254" failed: 192.0.2.254 does not answer/) });
    expect(r.fake.kernel.addrs.eth0).toEqual([{ address: '192.0.2.115', prefix: 24, dynamic: true }]);
    expect(r.fake.kernel.route).toEqual({ via: '192.0.2.1', dev: 'eth0' });
    expectFilesBack(r);
  });

  it('leaves a device alone whose file changed only for DNS', async () => {
    const r = await apply({ kind: 'dns', dns: { servers: ['192.0.2.53'], search: ['example.com'] } }, 'iproute2');
    expect(r.outcome).toMatchObject({ kind: 'applied', kept: 'not-asked' });
    expect(r.fake.commands).toEqual([]);
    expect(readFileSync(join(r.root, 'etc/resolv.conf'), 'utf8')).toContain('search example.com');
  });

  it('a DNS server that does not answer rolls a DNS change back', async () => {
    const r = await apply({ kind: 'dns', dns: { servers: ['192.0.2.99'], search: [] } }, 'iproute2');
    expect(r.outcome).toMatchObject({ kind: 'rolled-back', reason: 'check "DNS 192.0.2.99" failed: 192.0.2.99: no answer (timed out)' });
    expectFilesBack(r);
  });
});

describe('hostname', () => {
  it('inside a private UTS namespace: only `hostname NAME`, then checked', async () => {
    const r = await apply({ kind: 'hostname', hostname: 'box1' }, 'nm');
    expect(r.fake.commands.map((c) => c.join(' '))).toEqual(['hostname box1']);
    expect(r.outcome).toMatchObject({ kind: 'applied' });
    if (r.outcome.kind === 'applied') expect(r.outcome.checks.find((c) => c.name === 'hostname')?.detail).toBe('wanted box1, got box1');
  });

  it('under a root other than / in the machine\'s UTS namespace: written, never applied', async () => {
    const r = await apply({ kind: 'hostname', hostname: 'box1' }, 'iproute2', { privateNamespace: () => false });
    expect(r.fake.commands).toEqual([]);
    expect(r.fake.kernel.hostname).toBe('localhost.localdomain');
    if (r.outcome.kind === 'applied') expect(r.outcome.notes.join('\n')).toContain('not applied');
  });
});

describe('Keep these settings?', () => {
  it('is asked only for the interface that carries the default route', async () => {
    let asked = 0;
    const eth1: Change = { kind: 'ip', device: 'eth1', ipv4: { method: 'static', address: { address: '198.51.100.21', prefix: 24 }, gateway: null } };
    const r = await apply(eth1, 'nm', { confirmKeep: async () => (asked++, true) });
    expect(r.outcome).toMatchObject({ kind: 'applied', kept: 'not-asked' });
    expect(asked).toBe(0);
  });

  it('"no" reverts at once', async () => {
    const r = await apply(staticEth0, 'nm', { confirmKeep: async () => false });
    expect(r.outcome).toMatchObject({ kind: 'rolled-back', reason: 'the answer was: do not keep', restored: true });
    expectFilesBack(r);
  });

  it('no answer reverts when the time is up, and the question is told to close', async () => {
    let aborted = false;
    const r = await apply(staticEth0, 'nm', {
      confirmTimeoutSeconds: 1,
      confirmKeep: (_s, signal) => new Promise<boolean>(() => signal.addEventListener('abort', () => (aborted = true))),
    });
    expect(r.outcome).toMatchObject({ kind: 'rolled-back', reason: 'not confirmed within 1 s' });
    expect(aborted).toBe(true);
    expectFilesBack(r);
  });

  it('an error while asking reverts', async () => {
    const r = await apply(staticEth0, 'nm', { confirmKeep: async () => { throw new Error('screen gone'); } });
    expect(r.outcome).toMatchObject({ kind: 'rolled-back', reason: 'error while asking: screen gone' });
  });

  it('SIGINT during the question reverts (the same exit path)', async () => {
    const r = await apply(staticEth0, 'nm', {
      confirmKeep: () => new Promise<boolean>(() => setTimeout(() => process.emit('SIGINT'), 10)),
    });
    expect(r.outcome).toMatchObject({ kind: 'rolled-back', reason: 'interrupted by SIGINT' });
    expectFilesBack(r);
  });

  it('--no-revert keeps a verified change without asking', async () => {
    let asked = 0;
    const r = await apply(staticEth0, 'nm', { noRevert: true, confirmKeep: async () => (asked++, true) });
    expect(r.outcome).toMatchObject({ kind: 'applied', kept: 'no-revert' });
    expect(asked).toBe(0);
  });
});

describe('one change at a time, and recovery', () => {
  it('refuses while another live change holds the lock; nothing is written', async () => {
    const r = await apply(staticEth0, 'nm', {}, (_f, root) => {
      const jobs = join(root, JOBS_DIR);
      mkdirSync(jobs, { recursive: true });
      writeFileSync(join(jobs, 'active'), JSON.stringify({ id: 'other', pid: process.pid, bootId: null }));
    });
    expect(r.outcome).toMatchObject({ kind: 'not-applied', reason: expect.stringContaining('another ttyconf change is being applied') });
    expectFilesBack(r);
  });

  it('a change whose process died half-way is undone by recoverInterrupted', async () => {
    // Apply and keep, then pretend the process died while asking: state "confirming", pid gone.
    const r = await apply(staticEth0, 'nm');
    const jobs = join(r.root, JOBS_DIR);
    const dir = join(jobs, readdirSync(jobs).filter((n) => /^\d{8}-/.test(n))[0]!);
    const state = readState(dir)!;
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeState(dir, { ...state, phase: 'confirming', pid: dead });
    rmSync(join(dir, 'outcome.json'));
    expect(r.fake.kernel.addrs.eth0?.[0]?.address).toBe('192.0.2.10');
    const recovered = await recoverInterrupted(openRoot(r.root), probeOf(r.fake));
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatchObject({ kind: 'rolled-back', restored: true, reason: expect.stringContaining('ended before it finished') });
    expectFilesBack(r);
    expect(r.fake.kernel.addrs.eth0).toEqual([{ address: '192.0.2.115', prefix: 24, dynamic: true }]);
    expect(existsSync(join(dir, 'outcome.json'))).toBe(true);
    expect(await recoverInterrupted(openRoot(r.root), probeOf(r.fake))).toEqual([]);
  });
});

function probeOf(f: FakeSystem): Probe {
  const p = f.probe;
  return { run: p.run!, dns: p.dns!, sleep: p.sleep!, now: p.now!, kernelHostname: p.kernelHostname! };
}

describe('a real program that hangs (fake nmcli on PATH, run through execa)', () => {
  it('is killed at its timeout, and the change rolls back', async () => {
    const bin = fileURLToPath(new URL('../fixtures/bin', import.meta.url));
    const saved = { PATH: process.env.PATH, FAKE_NMCLI_LOG: process.env.FAKE_NMCLI_LOG, FAKE_NMCLI_HANG: process.env.FAKE_NMCLI_HANG };
    const root = tempRoot();
    roots.push(root);
    const log = join(root, 'nmcli.log');
    Object.assign(process.env, { PATH: `${bin}:${process.env.PATH}`, FAKE_NMCLI_LOG: log, FAKE_NMCLI_HANG: 'connection load' });
    try {
      // nmcli is the fake program, run for real; the kernel stays simulated.
      const r = await apply(staticEth0, 'nm', { timeouts: { commandMs: 3000 } }, (f) => f.realPrograms.add('nmcli'));
      expect(r.outcome).toMatchObject({ kind: 'rolled-back', restored: true });
      if (r.outcome.kind === 'rolled-back') {
        expect(r.outcome.reason).toMatch(/^load the profile of eth0 failed: nmcli connection load .*ifcfg-eth0: timed out \(after 3 s\)$/);
        expect(r.outcome.runs[0]).toMatchObject({ timedOut: true, timeoutMs: 3000 });
      }
      const calls = readFileSync(log, 'utf8').trim().split('\n');
      expect(calls).toEqual([`connection load ${join(r.root, ETH0)}`, `connection load ${join(r.root, ETH0)}`, 'device reapply eth0']);
      expectFilesBack(r);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
