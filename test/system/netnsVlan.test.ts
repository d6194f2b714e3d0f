// VLANs on the real kernel, in network namespaces these tests create (skipped, with the reason, where
// that is not possible, e.g. a kernel without the 8021q module): the "gw" namespace has a tagged
// VLAN 42 on its end of the veth (10.42.0.1/24); `ttyconf set vlan add eth0 42 --apply --stack
// iproute2` inside the "box" namespace creates eth0.42, `set ip` gives it an address, and the
// address answers over the tagged link. Re-tagging it to 43 loses the gateway: the check fails and
// the VLAN is put back on 42, which answers again. Documentation and private addresses only,
// inside the namespaces only.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bashRead } from '../helpers/tree.js';
import { type NetnsSuite, type Pair, netnsSuite, netnsUnavailable } from './helpers/netns.js';

/** Why VLANs cannot be made here, or null: `modprobe 8021q` first, then a VLAN on a veth in a scratch namespace. */
function vlanUnavailable(): string | null {
  const netns = netnsUnavailable();
  if (netns) return `network namespaces are not usable here: ${netns}`;
  const modprobe = spawnSync('modprobe', ['8021q'], { encoding: 'utf8' });
  const why = modprobe.error ? 'modprobe is not installed' : modprobe.status !== 0 ? `modprobe 8021q: ${modprobe.stderr.trim() || `exit ${modprobe.status}`}` : 'modprobe 8021q succeeded';
  const ns = `ttyc-vprobe-${process.pid}`;
  spawnSync('ip', ['netns', 'add', ns]);
  try {
    spawnSync('ip', ['-n', ns, 'link', 'add', 'vprobe0', 'type', 'veth', 'peer', 'name', 'vprobe1']);
    const r = spawnSync('ip', ['-n', ns, 'link', 'add', 'link', 'vprobe0', 'name', 'vprobe0.5', 'type', 'vlan', 'id', '5'], { encoding: 'utf8' });
    if (r.status !== 0) return `the kernel cannot make a VLAN ("ip link add ... type vlan": ${r.stderr.trim()}; ${why}): it lacks the 8021q module`;
    return null;
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
  }
}

const unavailable = vlanUnavailable();
if (unavailable) console.warn(`test/system/netnsVlan.test.ts: SKIPPED, ${unavailable}`);

const VLAN = 'etc/sysconfig/network-scripts/ifcfg-eth0.42';
/** A pair whose gateway end carries VLAN 42 with 10.42.0.1/24. */
function taggedPair(suite: NetnsSuite): Pair {
  const p = suite.pair();
  const dev = execFileSync('ip', ['-n', p.gw, '-o', 'link', 'show', 'type', 'veth'], { encoding: 'utf8' }).split(':')[1]!.trim().split('@')[0]!;
  execFileSync('ip', ['-n', p.gw, 'link', 'add', 'link', dev, 'name', 'gwv42', 'type', 'vlan', 'id', '42']);
  execFileSync('ip', ['-n', p.gw, 'addr', 'add', '10.42.0.1/24', 'dev', 'gwv42']);
  execFileSync('ip', ['-n', p.gw, 'link', 'set', 'gwv42', 'up']);
  return p;
}

const answers = (ns: string, address: string): boolean => spawnSync('ip', ['netns', 'exec', ns, 'ping', '-n', '-c', '1', '-W', '2', address]).status === 0;

/** The kernel's VLAN of NAME in the box: `ID@PARENT`, or null. */
function boxVlan(box: string, name: string): string | null {
  const r = spawnSync('ip', ['-n', box, '-d', '-o', 'link', 'show', 'dev', name], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const id = /vlan protocol \S+ id (\d+)/.exec(r.stdout)?.[1];
  const parent = /^\d+:\s+[^@:]+@([^:]+):/.exec(r.stdout)?.[1];
  return id ? `${id}@${parent}` : null;
}

describe.skipIf(unavailable !== null)(`VLANs on the real kernel${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const suite = netnsSuite('ttyconf-netnsvlan-', 'gateway=2,settle=3,dns=1');
  const inBox = suite.inBox;

  it('a VLAN on the veth answers over the tagged link; a wrong ID fails verification and is rolled back', () => {
    const { box, gw } = taggedPair(suite);
    const root = suite.root();
    const add = inBox(box, ['set', 'vlan', 'add', 'eth0', '42', '--root', root, '--apply', '--stack', 'iproute2']);
    expect(add.err).toBe('');
    expect(add.code).toBe(0);
    expect(boxVlan(box, 'eth0.42')).toBe('42@eth0');
    expect(bashRead(join(root, VLAN), ['VLAN', 'PHYSDEV', 'VLAN_ID', 'DEVICE'])).toEqual({ VLAN: 'yes', PHYSDEV: 'eth0', VLAN_ID: '42', DEVICE: 'eth0.42' });

    const ip = inBox(box, ['set', 'ip', 'eth0.42', 'static', '10.42.0.2/24', '--gateway', '10.42.0.1', '--root', root, '--apply', '--stack', 'iproute2', '--no-revert']);
    expect(ip.code).toBe(0);
    expect(ip.out).toContain('10.42.0.1 answered');
    expect(answers(gw, '10.42.0.2')).toBe(true);

    const fileBefore = readFileSync(join(root, VLAN), 'latin1');
    const retag = inBox(box, ['set', 'vlan', 'id', 'eth0.42', '43', '--root', root, '--apply', '--stack', 'iproute2', '--no-revert']);
    expect(retag.code).toBe(1);
    expect(retag.err).toContain('rolled back: check "eth0.42 gateway 10.42.0.1" failed');
    expect(retag.err).toContain('the old settings are back');
    expect(readFileSync(join(root, VLAN), 'latin1')).toBe(fileBefore);
    expect(boxVlan(box, 'eth0.42')).toBe('42@eth0');
    expect(answers(gw, '10.42.0.2')).toBe(true);

    const del = inBox(box, ['set', 'vlan', 'del', 'eth0.42', '--root', root, '--apply', '--stack', 'iproute2', '--no-revert']);
    expect(del.code).toBe(0);
    expect(boxVlan(box, 'eth0.42')).toBeNull();
  }, 120_000);
});
