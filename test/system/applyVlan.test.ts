// VLAN changes through executePlan with NetworkManager, network-scripts and iproute2 on a scripted
// machine: the commands each stack runs, the VLAN link checked (ID and parent), and a failed check
// that puts the old files back and takes the machine back: a created VLAN removed, a deleted one
// made again, a re-tagged one back on its old ID. The VLAN side of the scripted kernel lives here
// (its `override` hook), so the shared fake stays as it is.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRoot, readCurrent } from '../../src/core.js';
import { preparePlan } from '../../src/plan.js';
import type { Change } from '../../src/model/types.js';
import type { VlanConfig } from '../../src/model/vlan.js';
import { type StackName, executePlan } from '../../src/transaction.js';
import { readSnapshot } from '../../src/files/read.js';
import { Root } from '../../src/files/root.js';
import { parseVlanLink, readVlanLinks } from '../../src/system/vlanLive.js';
import { type Runner, execaRunner } from '../../src/system/run.js';
import { verifyVlans } from '../../src/apply/verifyVlan.js';
import { type VlanDevicePlan, vlanSteps } from '../../src/apply/stepsVlan.js';
import { DEFAULT_TIMEOUTS } from '../../src/apply/types.js';
import { FakeSystem } from './helpers/fakeSystem.js';
import { cli } from '../helpers/cli.js';
import { DEMO, DEMO_EL9, tempRoot } from '../helpers/tree.js';

let roots: string[] = [];
afterEach(() => {
  roots.forEach((r) => rmSync(r, { recursive: true, force: true }));
  roots = [];
});

interface VlanKernel {
  links: Map<string, VlanConfig>;
  /** The kernel tags a new VLAN with this ID whatever it was asked (a broken switch port, in effect). */
  wrongId?: number;
  /** `ip link del` of these fails. */
  stuck: Set<string>;
}

/** The VLAN half of the scripted kernel: ip link add/del, and NetworkManager or ifup creating a VLAN from its profile. */
function withVlans(fake: FakeSystem, root: string): VlanKernel {
  const k: VlanKernel = { links: new Map(), stuck: new Set() };
  const profiles = () => readSnapshot(new Root(root)).state.profiles;
  // NetworkManager knows the VLAN profiles it has loaded.
  const uuids = new Map<string, string>(profiles().filter((p) => p.vlan && p.uuid).map((p) => [p.uuid!, p.device]));
  const create = (name: string, v: VlanConfig): void => void k.links.set(name, { ...v, id: k.wrongId ?? v.id });
  fake.override = (argv) => {
    const [cmd, ...a] = argv;
    if (cmd === 'ip' && a.join(' ').startsWith('-d -o link show dev ')) {
      const name = a[5]!;
      const v = k.links.get(name);
      if (v) return { exitCode: 0, stdout: `7: ${name}@${v.parent}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff promiscuity 0 \\    vlan protocol 802.1Q id ${v.id} <REORDER_HDR> addrgenmode eui64\n` };
      return { exitCode: 1, stderr: `Device "${name}" does not exist.` };
    }
    if (cmd === 'ip' && a[0] === 'link' && a[1] === 'add') {
      if (k.links.has(a[5]!)) return { exitCode: 2, stderr: 'RTNETLINK answers: File exists' };
      create(a[5]!, { parent: a[3]!, id: Number(a[9]) });
      return { exitCode: 0 };
    }
    if (cmd === 'ip' && a[0] === 'link' && a[1] === 'del') {
      if (k.stuck.has(a[3]!) || !k.links.has(a[3]!)) return { exitCode: 1, stderr: `Cannot find device "${a[3]}"` };
      k.links.delete(a[3]!);
      return { exitCode: 0 };
    }
    const rest = cmd === 'nmcli' && a[0] === '--wait' ? a.slice(2) : a;
    if (cmd === 'nmcli' && rest[0] === 'connection' && rest[1] === 'up') {
      const p = profiles().find((x) => x.uuid === rest[3]);
      if (p?.vlan) {
        uuids.set(p.uuid!, p.device);
        create(p.device, p.vlan);
      }
      return undefined;
    }
    if (cmd === 'nmcli' && rest[0] === 'connection' && rest[1] === 'delete') {
      const name = uuids.get(rest[3]!);
      if (!name) return { exitCode: 10, stderr: `Error: unknown connection '${rest[3]}'.` };
      if (!k.stuck.has(name)) k.links.delete(name);
      return { exitCode: 0 };
    }
    if (cmd === 'ifup') {
      const p = profiles().find((x) => x.device === a[0]);
      if (p?.vlan && !k.links.has(p.device)) create(p.device, p.vlan);
      return undefined;
    }
    if (cmd === 'ifdown') {
      const p = profiles().find((x) => x.device === a[0]);
      if (!p) return { exitCode: 1, stderr: `usage: ifdown <configuration>` };
      // ifdown-eth removes a VLAN's link (when /proc/net/vlan has it).
      if (p.vlan && !k.stuck.has(p.device)) k.links.delete(p.device);
      return undefined;
    }
    return undefined;
  };
  return k;
}

interface Setup {
  readonly tree: string;
  /** CLI commands run first on the root (files only), e.g. an existing VLAN. */
  readonly before?: readonly string[][];
  readonly kernel?: (k: VlanKernel) => void;
}

async function run(changes: Change[], stack: StackName, setup: Setup) {
  const root = tempRoot(setup.tree);
  roots.push(root);
  for (const argv of setup.before ?? []) expect((await cli(...argv, '--root', root)).code).toBe(0);
  const fake = new FakeSystem(root);
  const k = withVlans(fake, root);
  // A VLAN the files already have is in the kernel too, made by NetworkManager with its profile.
  for (const p of readSnapshot(new Root(root)).state.profiles) if (p.vlan) k.links.set(p.device, p.vlan);
  setup.kernel?.(k);
  const cur = await readCurrent(openRoot(root), { run: null });
  const planned = preparePlan(cur, changes);
  if (!planned.ok) throw new Error(JSON.stringify(planned.error));
  const plan = planned.value;
  const files = new Map(plan.edits.map((e) => [e.path, e.before]));
  const outcome = await executePlan(cur, plan, { apply: true, stack, confirmKeep: async () => true, ...fake.options });
  const vlanCommands = fake.commands.filter((c) => !(c[0] === 'ip' && c[1] === '-d') && !(c[0] === 'ip' && (c.includes('-6') || c.includes('addr') || c.includes('route'))));
  return { outcome, fake, k, root, plan, files, vlanCommands };
}

const add: Change = { kind: 'vlan-add', name: 'eth0.100', vlan: { parent: 'eth0', id: 100 } };
const uuidOf = (root: string, name: string): string => readSnapshot(new Root(root)).state.profiles.find((p) => p.device === name)!.uuid!;

describe('VLAN apply per stack', () => {
  it('NetworkManager: load, then up by UUID; the link checked; kept', async () => {
    const r = await run([add], 'nm', { tree: DEMO_EL9 });
    expect(r.outcome.kind).toBe('applied');
    if (r.outcome.kind !== 'applied') return;
    const file = join(r.root, 'etc/NetworkManager/system-connections/eth0.100.nmconnection');
    expect(r.vlanCommands).toEqual([['nmcli', 'connection', 'load', file], ['nmcli', '--wait', '85', 'connection', 'up', 'uuid', uuidOf(r.root, 'eth0.100')]]);
    expect(r.outcome.checks[0]).toMatchObject({ name: 'eth0.100 VLAN', status: 'passed', detail: 'wanted VLAN 100 on eth0, got VLAN 100 on eth0' });
    expect(r.k.links.get('eth0.100')).toEqual({ parent: 'eth0', id: 100 });
  });

  it('network-scripts: ifup of the VLAN\'s ifcfg file', async () => {
    const r = await run([add], 'network-scripts', { tree: DEMO });
    expect(r.outcome.kind).toBe('applied');
    expect(r.vlanCommands).toEqual([['ifup', 'eth0.100']]);
    expect(r.k.links.get('eth0.100')).toEqual({ parent: 'eth0', id: 100 });
  });

  it('iproute2: ip link add ... type vlan id, then up', async () => {
    const r = await run([add], 'iproute2', { tree: DEMO });
    expect(r.outcome.kind).toBe('applied');
    expect(r.vlanCommands).toEqual([
      ['ip', 'link', 'add', 'link', 'eth0', 'name', 'eth0.100', 'type', 'vlan', 'id', '100'],
      ['ip', 'link', 'set', 'dev', 'eth0.100', 'up'],
    ]);
  });

  it('a new ID: network-scripts takes the VLAN down, removes the old link, brings it up tagged anew', async () => {
    const r = await run([{ kind: 'vlan-id', name: 'eth0.100', id: 200 }], 'network-scripts', { tree: DEMO, before: [['set', 'vlan', 'add', 'eth0', '100']] });
    expect(r.outcome.kind).toBe('applied');
    expect(r.vlanCommands).toEqual([['ifdown', 'eth0.100'], ['ip', 'link', 'del', 'dev', 'eth0.100'], ['ifup', 'eth0.100']]);
    expect(r.k.links.get('eth0.100')).toEqual({ parent: 'eth0', id: 200 });
  });

  it('iproute2 re-tag keeps the VLAN\'s static address', async () => {
    const r = await run([{ kind: 'vlan-id', name: 'eth0.100', id: 300 }], 'iproute2', {
      tree: DEMO, before: [['set', 'vlan', 'add', 'eth0', '100'], ['set', 'ip', 'eth0.100', 'static', '10.1.0.5/24']],
    });
    expect(r.outcome.kind).toBe('applied');
    expect(r.fake.commands).toContainEqual(['ip', '-4', 'addr', 'replace', '10.1.0.5/24', 'dev', 'eth0.100']);
    expect(r.k.links.get('eth0.100')).toEqual({ parent: 'eth0', id: 300 });
  });

  it('delete with NetworkManager: connection delete by UUID; the link is gone', async () => {
    const r = await run([{ kind: 'vlan-del', name: 'eth0.100' }], 'nm', { tree: DEMO_EL9, before: [['set', 'vlan', 'add', 'eth0', '100']] });
    expect(r.outcome.kind).toBe('applied');
    const uuid = r.plan.actions.find((a) => a.kind === 'vlan')!;
    expect(uuid.kind === 'vlan' && uuid.uuid).toMatch(/^[0-9a-f-]{36}$/);
    // The link went with the profile: removing it again is not needed, and says so.
    expect(r.vlanCommands).toEqual([['nmcli', 'connection', 'delete', 'uuid', uuid.kind === 'vlan' ? uuid.uuid : ''], ['ip', 'link', 'del', 'dev', 'eth0.100']]);
    expect(r.outcome.kind === 'applied' && r.outcome.runs.map((x) => x.line)).toContain('ip link del dev eth0.100: exit 1: Cannot find device "eth0.100" (not needed: carrying on)');
    expect(r.k.links.has('eth0.100')).toBe(false);
  });
});

describe('VLAN verification and rollback', () => {
  it.each(['nm', 'network-scripts', 'iproute2'] as const)('%s: a VLAN that comes up with the wrong ID fails its check; the link and the new file go', async (stack) => {
    const r = await run([add], stack, { tree: stack === 'nm' ? DEMO_EL9 : DEMO, kernel: (k) => { k.wrongId = 101; } });
    expect(r.outcome.kind).toBe('rolled-back');
    if (r.outcome.kind !== 'rolled-back') return;
    expect(r.outcome.reason).toBe('check "eth0.100 VLAN" failed: wanted VLAN 100 on eth0, got VLAN 101 on eth0');
    expect(r.outcome.restored).toBe(true);
    expect(r.k.links.has('eth0.100')).toBe(false);
    for (const path of r.files.keys()) expect(existsSync(join(r.root, path))).toBe(false);
    expect(r.outcome.rollbackChecks[0]).toMatchObject({ name: 'eth0.100 VLAN', status: 'passed', detail: 'wanted no link, got no link' });
  });

  it('a deleted VLAN whose change fails is made again from its restored file', async () => {
    // The VLAN goes, and eth1's new gateway does not answer: the whole change is rolled back.
    const r = await run([
      { kind: 'vlan-del', name: 'eth0.100' },
      { kind: 'ip', device: 'eth1', ipv4: { method: 'static', address: { address: '198.51.100.20', prefix: 24 }, gateway: '198.51.100.99' } },
    ], 'network-scripts', { tree: DEMO, before: [['set', 'vlan', 'add', 'eth0', '100']] });
    expect(r.outcome.kind).toBe('rolled-back');
    if (r.outcome.kind !== 'rolled-back') return;
    expect(r.outcome.reason).toContain('198.51.100.99');
    expect(r.outcome.checks[0]).toMatchObject({ name: 'eth0.100 VLAN', status: 'passed', detail: 'wanted no link, got no link' });
    expect(r.outcome.rollbackRuns.map((x) => x.command.join(' '))).toContain('ifup eth0.100');
    expect(r.k.links.get('eth0.100')).toEqual({ parent: 'eth0', id: 100 });
    expect(readFileSync(join(r.root, 'etc/sysconfig/network-scripts/ifcfg-eth0.100'), 'latin1')).toBe(r.files.get('etc/sysconfig/network-scripts/ifcfg-eth0.100')!.toString('latin1'));
  });

  it('a re-tag that fails goes back to the old ID', async () => {
    const r = await run([{ kind: 'vlan-id', name: 'eth0.100', id: 200 }], 'iproute2', {
      tree: DEMO, before: [['set', 'vlan', 'add', 'eth0', '100']], kernel: (k) => k.stuck.add('eth0.100'),
    });
    expect(r.outcome.kind).toBe('rolled-back');
    if (r.outcome.kind !== 'rolled-back') return;
    expect(r.outcome.reason).toContain('ip link add link eth0 name eth0.100 type vlan id 200');
    expect(r.k.links.get('eth0.100')).toEqual({ parent: 'eth0', id: 100 });
    expect(r.outcome.rollbackChecks[0]).toMatchObject({ name: 'eth0.100 VLAN', status: 'passed' });
  });
});

describe('the stack of a VLAN planned on an older reading', () => {
  it('a parent the reading\'s view of NetworkManager does not list: NetworkManager is asked again, and the VLAN goes through it', async () => {
    const root = tempRoot(DEMO_EL9);
    roots.push(root);
    const fake = new FakeSystem(root);
    const k = withVlans(fake, root);
    const vlanOverride = fake.override;
    // NetworkManager now manages eth0: the reading below was made before it did (it lists no device).
    fake.override = (argv, n) => {
      const a = argv.slice(1).join(' ');
      if (argv[0] === 'nmcli' && a === '-t -f RUNNING general') return { exitCode: 0, stdout: 'running\n' };
      if (argv[0] === 'nmcli' && a === '-t -f DEVICE,TYPE,STATE,CONNECTION device') return { exitCode: 0, stdout: 'eth0:ethernet:connected:eth0\nlo:loopback:unmanaged:\n' };
      if (argv[0] === 'nmcli' && a === '-t -f NAME,UUID,TYPE,DEVICE,FILENAME connection show') return { exitCode: 0, stdout: '' };
      return vlanOverride(argv, n);
    };
    const read = await readCurrent(openRoot(root), { run: null });
    const cur = { ...read, stack: { name: 'nm' as const, source: 'detected' as const, why: 'NetworkManager is running', nmRunning: true, legacyAvailable: false, nmDevices: [], nmConnections: [] } };
    const planned = preparePlan(cur, [add]);
    if (!planned.ok) throw new Error(JSON.stringify(planned.error));
    const outcome = await executePlan(cur, planned.value, { apply: true, confirmKeep: async () => true, ...fake.options });
    expect(outcome.kind).toBe('applied');
    expect(fake.commands).toContainEqual(['nmcli', '-t', '-f', 'DEVICE,TYPE,STATE,CONNECTION', 'device']);
    expect(fake.commands).toContainEqual(['nmcli', 'connection', 'load', join(root, 'etc/NetworkManager/system-connections/eth0.100.nmconnection')]);
    expect(fake.commands.some((c) => c[0] === 'ip' && c[1] === 'link' && c[2] === 'add'), 'ip link add behind NetworkManager\'s back').toBe(false);
    expect(k.links.get('eth0.100')).toEqual({ parent: 'eth0', id: 100 });
  });
});

describe('parseVlanLink: ip -d -o link show', () => {
  it('reads the ID, the parent and UP; a link without vlan details is not a VLAN', () => {
    expect(parseVlanLink('9: eth0.100@eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff promiscuity 0 minmtu 0 maxmtu 65535 \\    vlan protocol 802.1Q id 100 <REORDER_HDR> addrgenmode eui64'))
      .toEqual({ kind: 'vlan', vlan: { parent: 'eth0', id: 100 }, up: true });
    // CentOS 7's iproute 4.11 prints the same words; a link that is down has no UP flag.
    expect(parseVlanLink('4: v7@ens3: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT qlen 1000\\    link/ether 52:54:00:aa:bb:cc brd ff:ff:ff:ff:ff:ff promiscuity 0 \\    vlan protocol 802.1ad id 7 <REORDER_HDR> addrgenmode eui64'))
      .toEqual({ kind: 'vlan', vlan: { parent: 'ens3', id: 7 }, up: false });
    expect(parseVlanLink('2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP\\    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff promiscuity 0 addrgenmode none').kind).toBe('not-vlan');
    expect(parseVlanLink('').kind).toBe('absent');
  });
});

describe('readVlanLinks: only a missing device counts as no link', () => {
  it('the real ip on a name no link has: absent, so a deleted VLAN passes its check', async () => {
    const links = await readVlanLinks(execaRunner, ['ttyc-nolink0'], 5000);
    expect(links.get('ttyc-nolink0')).toEqual({ kind: 'absent' });
    expect(verifyVlans([{ name: 'ttyc-nolink0', vlan: null }], links)[0]).toMatchObject({ passed: true });
  });

  it('ip timing out says nothing: the deletion is not taken as done', async () => {
    const timedOut: Runner = async (file, args) => ({ command: [file, ...args], exitCode: null, stdout: '', stderr: '', timedOut: true, failedToStart: null, durationMs: 5000 });
    const links = await readVlanLinks(timedOut, ['eth0.100'], 5000);
    expect(links.get('eth0.100')?.kind).toBe('unknown');
    const [check] = verifyVlans([{ name: 'eth0.100', vlan: null }], links);
    expect(check).toMatchObject({ passed: false, status: 'failed' });
    expect(check!.detail).toMatch(/^wanted no link, got nothing known: /);
  });
});

describe('deleting or re-tagging a VLAN that ran DHCP stops its client first', () => {
  const base = { name: 'eth0.100', file: '/etc/sysconfig/network-scripts/ifcfg-eth0.100', uuid: null, from: { parent: 'eth0', id: 100 }, to: null, target: { method: 'none' as const } };
  const lines = (v: VlanDevicePlan): string[] => vlanSteps([v], DEFAULT_TIMEOUTS).map((s) => s.tries.map((c) => [c.file, ...c.args].join(' ')).join(' | '));
  it('network-scripts: ifdown cannot once the file is gone; dhclient is released through the pid file ifup-eth gave it, before the link goes', () => {
    expect(lines({ ...base, stack: 'network-scripts', fromDhcp: true })).toEqual([
      'ifdown eth0.100',
      'dhclient -r -pf /var/run/dhclient-eth0.100.pid eth0.100',
      'ip link del dev eth0.100',
    ]);
  });
  it('iproute2: dhclient -r before ip link del; a static VLAN has no client to stop', () => {
    expect(lines({ ...base, stack: 'iproute2', fromDhcp: true })).toEqual(['dhclient -r eth0.100', 'ip link del dev eth0.100']);
    expect(lines({ ...base, stack: 'iproute2', fromDhcp: false })).toEqual(['ip link del dev eth0.100']);
  });
});
