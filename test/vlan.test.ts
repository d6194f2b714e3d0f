// VLANs through `ttyconf set vlan add|id|del`, `set ip`/`set ip6` on a VLAN, `show` and `restore`:
// the ifcfg file as bash reads it, the keyfile as NetworkManager's own parser reads it, the review
// lines, and every bad input refused at once (exit 2, nothing written).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/cli.js';
import { NMCLI, NMCLI_SKIP, nmKeys, nmRead } from './helpers/nmcli.js';
import { DEMO_EL9, IFCFG, bashRead, read, tempRoot, treeBytes, useTempRoots } from './helpers/tree.js';

const root = useTempRoots();
const V100 = `${IFCFG}/ifcfg-eth0.100`;
const KF_DIR = 'etc/NetworkManager/system-connections';
const VLAN_KEYS = ['VLAN', 'TYPE', 'PHYSDEV', 'VLAN_ID', 'VID', 'DEVICE', 'NAME', 'ONBOOT', 'BOOTPROTO', 'IPV6INIT', 'IPADDR', 'PREFIX'];

async function ok(...argv: string[]): Promise<string> {
  const res = await cli(...argv);
  expect(res.err).toBe('');
  expect(res.code).toBe(0);
  return res.out;
}

interface ShowIface { name: string; method: string | null; addresses: string[]; vlan?: { parent: string; id: number } }
async function show(r: string): Promise<ShowIface[]> {
  return (JSON.parse(await ok('show', '--json', '--root', r)) as { interfaces: ShowIface[] }).interfaces;
}

describe('set vlan on an ifcfg tree (bash reads what ttyconf wrote)', () => {
  it('add: the VLAN keys NetworkManager writes, VID for CentOS 7\'s ifup, IPv4 and IPv6 off', async () => {
    const r = root();
    const out = await ok('set', 'vlan', 'add', 'eth0', '100', '--root', r);
    expect(out).toContain('eth0.100 VLAN: (none) -> 100 on eth0');
    expect(out).toContain(`Note: ${V100} is new: eth0.100, VLAN 100 on eth0`);
    expect(bashRead(join(r, V100), VLAN_KEYS)).toEqual({
      VLAN: 'yes', TYPE: 'Vlan', PHYSDEV: 'eth0', VLAN_ID: '100', VID: '100', DEVICE: 'eth0.100', NAME: 'eth0.100',
      ONBOOT: 'yes', BOOTPROTO: 'none', IPV6INIT: 'no', IPADDR: null, PREFIX: null,
    });
  });

  it('a name of the admin\'s, then set ip and set ip6 on it as on any interface', async () => {
    const r = root();
    await ok('set', 'vlan', 'add', 'eth1', '7', '--name', 'storage', '--root', r);
    const file = join(r, IFCFG, 'ifcfg-storage');
    expect(bashRead(file, ['DEVICE', 'PHYSDEV', 'VLAN_ID', 'VID'])).toEqual({ DEVICE: 'storage', PHYSDEV: 'eth1', VLAN_ID: '7', VID: '7' });
    const ip = await ok('set', 'ip', 'storage', 'static', '10.7.0.2/24', '--root', r);
    expect(ip).toContain('storage method: off -> static');
    const ip6 = await ok('set', 'ip6', 'storage', 'static', '2001:db8:7::2/64', '--root', r);
    expect(ip6).toContain('storage IPv6 method: off -> static');
    expect(bashRead(file, ['BOOTPROTO', 'IPADDR', 'PREFIX', 'IPV6INIT', 'IPV6ADDR', 'VLAN_ID'])).toEqual({
      BOOTPROTO: 'none', IPADDR: '10.7.0.2', PREFIX: '24', IPV6INIT: 'yes', IPV6ADDR: '2001:db8:7::2/64', VLAN_ID: '7',
    });
    const s = (await show(r)).find((i) => i.name === 'storage')!;
    expect(s).toMatchObject({ method: 'static', addresses: ['10.7.0.2/24'], vlan: { parent: 'eth1', id: 7 } });
  });

  it('id: VLAN_ID and VID change together, every other line stays; the same ID again changes nothing', async () => {
    const r = root();
    await ok('set', 'vlan', 'add', 'eth0', '100', '--root', r);
    await ok('set', 'ip', 'eth0.100', 'static', '10.1.0.5/24', '--root', r);
    const before = read(r, V100);
    const out = await ok('set', 'vlan', 'id', 'eth0.100', '200', '--root', r);
    expect(out).toContain('eth0.100 VLAN: 100 on eth0 -> 200 on eth0');
    expect(out).not.toContain('VLAN_ID');
    expect(out).toContain('Note: eth0.100 keeps its name, which still says 100');
    expect(bashRead(join(r, V100), ['VLAN_ID', 'VID', 'DEVICE', 'IPADDR'])).toEqual({ VLAN_ID: '200', VID: '200', DEVICE: 'eth0.100', IPADDR: '10.1.0.5' });
    const changed = (t: string): string[] => t.split('\n').filter((l) => !/^(VLAN_ID|VID)=/.test(l));
    expect(changed(read(r, V100))).toEqual(changed(before));
    expect(await ok('set', 'vlan', 'id', 'eth0.100', '200', '--root', r)).toContain('Nothing to change');
  });

  it('del: the review names the file that goes; restore brings the VLAN back, and a restore of the add removes it', async () => {
    const r = root();
    await ok('set', 'vlan', 'add', 'eth0', '100', '--root', r);
    await ok('set', 'ip', 'eth0.100', 'static', '10.1.0.5/24', '--root', r);
    const withVlan = read(r, V100);
    const out = await ok('set', 'vlan', 'del', 'eth0.100', '--root', r);
    expect(out).toContain('eth0.100 VLAN: 100 on eth0 -> (none)');
    expect(out).toContain(`Note: ${V100} is removed (kept in the backup: ttyconf restore brings eth0.100 back)`);
    expect(existsSync(join(r, V100))).toBe(false);
    expect((await show(r)).map((i) => i.name)).not.toContain('eth0.100');

    const list = (JSON.parse(await ok('backups', '--json', '--root', r)) as { backups: { id: string; files: { path: string; existed: boolean }[] }[] }).backups;
    expect(list[0]!.files).toEqual([{ path: V100, existed: true }]);
    const back = await ok('restore', list[0]!.id, '--root', r);
    expect(back).toContain('eth0.100 VLAN: (none) -> 100 on eth0');
    expect(read(r, V100)).toBe(withVlan);
    // The first backup is the add's (the file did not exist): restoring it removes the VLAN.
    const first = list[list.length - 1]!;
    expect(first.files).toEqual([{ path: V100, existed: false }]);
    const gone = await ok('restore', first.id, '--root', r);
    expect(gone).toContain('eth0.100 VLAN: 100 on eth0 -> (none)');
    expect(existsSync(join(r, V100))).toBe(false);
  });

  it('show lists a VLAN under its parent, indented, with its ID', async () => {
    const r = root();
    await ok('set', 'vlan', 'add', 'eth1', '5', '--name', 'a5', '--root', r);
    await ok('set', 'vlan', 'add', 'eth0', '9', '--name', 'b9', '--root', r);
    expect((await show(r)).map((i) => [i.name, i.vlan ?? null])).toEqual([
      ['eth0', null], ['b9', { parent: 'eth0', id: 9 }], ['eth1', null], ['a5', { parent: 'eth1', id: 5 }],
    ]);
    const text = await ok('show', '--root', r);
    expect(text).toMatch(/\n {2}eth0 .*\n(?: {13}.*\n)* {4}b9 .*\n {13}VLAN 9 on eth0\n/);
    expect(text).toMatch(/\n {2}eth1 .*\n(?: {13}.*\n)* {4}a5 .*\n {13}VLAN 5 on eth1\n/);
  });
});

describe('bad input: every error at once, exit 2, nothing written', () => {
  const cases: [string, string[], string[]][] = [
    ['ID 0', ['add', 'eth0', '0'], ['invalid vlan id: "0" is reserved']],
    ['ID 4095', ['add', 'eth0', '4095'], ['invalid vlan id: "4095" is reserved by 802.1Q']],
    ['ID 5000', ['add', 'eth0', '5000'], ['invalid vlan id: "5000" is out of range: a VLAN ID is 1 to 4094']],
    ['ID not a number', ['add', 'eth0', '1x'], ['invalid vlan id: "1x" is not a VLAN ID']],
    ['a name over 15 characters', ['add', 'eth0', '10', '--name', 'a-very-long-vlan-name'], ['invalid vlan name: "a-very-long-vlan-name" is 21 bytes long; the kernel takes at most 15']],
    ['a default name over 15 characters', ['add', 'enp0s31f6abcdef', '10'], ['"enp0s31f6abcdef.10" is 18 bytes long', 'give a shorter one with --name']],
    ['a name with "/"', ['add', 'eth0', '10', '--name', 'v/10'], ['invalid vlan name: "v/10" contains "/"']],
    ['a name with ":"', ['add', 'eth0', '10', '--name', 'v:10'], ['invalid vlan name: "v:10" contains ":"']],
    ['a name with a blank', ['add', 'eth0', '10', '--name', 'v 10'], ['invalid vlan name: "v 10" contains " "']],
    ['a parent that does not exist', ['add', 'eth7', '10'], ['invalid parent: "eth7" does not exist: no link and no profile of that name (known: eth0, eth1)']],
    ['a name already used', ['add', 'eth0', '10', '--name', 'eth1'], ['invalid vlan name: "eth1" is already used']],
    ['deleting something that is not a VLAN', ['del', 'eth1'], ['invalid vlan name: "eth1" is not a VLAN: etc/sysconfig/network-scripts/ifcfg-eth1 configures it as an ordinary interface']],
    ['deleting a name nothing configures', ['del', 'eth0.77'], ['invalid vlan name: "eth0.77" is not a VLAN: no profile configures an interface of that name']],
    ['re-tagging something that is not a VLAN', ['id', 'eth0', '5'], ['invalid vlan name: "eth0" is not a VLAN']],
    ['several at once', ['add', 'eth7', '4095', '--name', 'x/y'], ['invalid parent: "eth7"', 'invalid vlan id: "4095"', 'invalid vlan name: "x/y"']],
  ];
  it.each(cases)('%s', async (_name, args, messages) => {
    const r = root();
    const before = treeBytes(r);
    const res = await cli('set', 'vlan', ...args, '--root', r);
    expect(res.code).toBe(2);
    for (const m of messages) expect(res.err).toContain(m);
    expect(res.err).toContain('nothing was written');
    expect(treeBytes(r)).toEqual(before);
  });

  it('the same ID twice on one parent, and re-tagging onto a used ID', async () => {
    const r = root();
    await ok('set', 'vlan', 'add', 'eth0', '100', '--root', r);
    await ok('set', 'vlan', 'add', 'eth0', '200', '--name', 'v200', '--root', r);
    const before = treeBytes(r);
    const twice = await cli('set', 'vlan', 'add', 'eth0', '100', '--name', 'other', '--root', r);
    expect(twice.code).toBe(2);
    expect(twice.err).toContain('invalid vlan id: "100" is already used on eth0: eth0.100 (etc/sysconfig/network-scripts/ifcfg-eth0.100) is VLAN 100 there');
    const retag = await cli('set', 'vlan', 'id', 'v200', '100', '--root', r);
    expect(retag.code).toBe(2);
    expect(retag.err).toContain('invalid vlan id: "100" is already used on eth0');
    expect(treeBytes(r)).toEqual(before);
    // The same ID on another parent is fine.
    await ok('set', 'vlan', 'add', 'eth1', '100', '--root', r);
  });

  it('usage errors: an option a subcommand does not take, a missing word, an unknown subcommand', async () => {
    const r = root();
    const cases: [string[], string][] = [
      [['add', 'eth0', '10', '--gateway', '10.0.0.1'], '"set vlan add" does not take the option --gateway'],
      [['id', 'eth0.10', '20', '--name', 'x'], '"set vlan id" does not take the option --name'],
      [['del', 'eth0.10', '--name', 'x'], '"set vlan del" does not take the option --name'],
      [['add', 'eth0'], 'set vlan add: missing the VLAN ID'],
      [['del'], 'set vlan del: missing the VLAN interface'],
      [['add', 'eth0', '10', '11'], 'set vlan add: unexpected argument "11"'],
      [['rename', 'x'], 'set vlan: "rename" is not add, id or del'],
    ];
    for (const [args, message] of cases) {
      const res = await cli('set', 'vlan', ...args, '--root', r);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.err).toContain(message);
    }
  });
});

describe.skipIf(!NMCLI)('set vlan on a keyfile tree (NetworkManager\'s parser reads what ttyconf wrote)', () => {
  const nm = (r: string, name: string): Map<string, string> => {
    const res = nmRead(readFileSync(join(r, KF_DIR, `${name}.nmconnection`)));
    if (!res.ok) throw new Error(res.message);
    return nmKeys(res.text);
  };

  it('add, set ip, set ip6, id, del: type=vlan, [vlan] id and parent, IPv4 and IPv6 as set', async () => {
    const r = tempRoot(DEMO_EL9);
    const out = await ok('set', 'vlan', 'add', 'eth0', '42', '--name', 'lan42', '--root', r);
    expect(out).toContain(`${KF_DIR}/lan42.nmconnection is new: lan42, VLAN 42 on eth0 (a NetworkManager keyfile`);
    let k = nm(r, 'lan42');
    expect([k.get('connection.type'), k.get('connection.interface-name'), k.get('vlan.id'), k.get('vlan.parent')]).toEqual(['vlan', 'lan42', '42', 'eth0']);
    expect([k.get('ipv4.method'), k.get('ipv6.method')]).toEqual(['disabled', 'ignore']);
    await ok('set', 'ip', 'lan42', 'static', '10.42.0.2/24', '--root', r);
    await ok('set', 'ip6', 'lan42', 'auto', '--root', r);
    expect(await ok('set', 'vlan', 'id', 'lan42', '43', '--root', r)).toContain('lan42 VLAN: 42 on eth0 -> 43 on eth0');
    k = nm(r, 'lan42');
    expect([k.get('vlan.id'), k.get('ipv4.method'), k.get('ipv4.address1'), k.get('ipv6.method')]).toEqual(['43', 'manual', '10.42.0.2/24', 'auto']);
    expect((await show(r)).find((i) => i.name === 'lan42')?.vlan).toEqual({ parent: 'eth0', id: 43 });
    await ok('set', 'vlan', 'del', 'lan42', '--root', r);
    expect(existsSync(join(r, KF_DIR, 'lan42.nmconnection'))).toBe(false);
  });

  it('a VLAN keyfile without interface-name is PARENT.ID, as NetworkManager names it', async () => {
    const r = tempRoot(DEMO_EL9);
    await ok('set', 'vlan', 'add', 'eth0', '5', '--root', r);
    const file = join(r, KF_DIR, 'eth0.5.nmconnection');
    const text = readFileSync(file, 'utf8').replace(/^interface-name=.*\n/m, '');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, text, { mode: 0o600 });
    expect((await show(r)).find((i) => i.name === 'eth0.5')?.vlan).toEqual({ parent: 'eth0', id: 5 });
  });
});
if (!NMCLI) console.warn(`test/vlan.test.ts: ${NMCLI_SKIP}`);
