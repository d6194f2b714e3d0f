// The keyfile store on EL9/EL10-shaped trees: which profile owns a device, where a new one goes,
// what `set` writes (judged by NetworkManager's own parser), and the bad inputs that block a change.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { restoreFiles, readManifest } from '../src/files/commit.js';
import { readSnapshot, profileFor } from '../src/files/read.js';
import { Root } from '../src/files/root.js';
import { preferActive } from '../src/files/nmStore.js';
import { cli } from './helpers/cli.js';
import { NMCLI, NMCLI_SKIP, nmKeys, nmRead } from './helpers/nmcli.js';
import { DEMO_EL9, IFCFG, removeRoot, tempRoot, treeBytes, useTempRoots } from './helpers/tree.js';

const root = useTempRoots(DEMO_EL9);
const KF = 'etc/NetworkManager/system-connections';
const LIB = 'usr/lib/NetworkManager/system-connections';
const ETH0 = `${KF}/eth0.nmconnection`;
const ETH1 = `${KF}/eth1.nmconnection`;

function put(r: string, rel: string, text: string, mode = 0o600): void {
  mkdirSync(dirname(join(r, rel)), { recursive: true });
  writeFileSync(join(r, rel), text);
  chmodSync(join(r, rel), mode);
}

const state = (r: string) => readSnapshot(new Root(r)).state;
const keyfile = (name: string, ifname: string | null, extra = ''): string =>
  `[connection]\nid=${name}\ntype=ethernet\n${ifname ? `interface-name=${ifname}\n` : ''}${extra}\n[ipv4]\nmethod=auto\n`;

/** NM's reading of a file under the root. */
function nm(r: string, rel: string): Map<string, string> {
  const res = nmRead(readFileSync(join(r, rel)));
  if (!res.ok) throw new Error(res.message);
  return nmKeys(res.text);
}

describe('discovery: which profile owns a device', () => {
  it('an EL9 tree: keyfiles own eth0 and eth1; new profiles are keyfiles (os-release)', () => {
    const s = state(root());
    expect(profileFor(s, 'eth0')).toMatchObject({ store: 'keyfile', file: ETH0, method: 'static', gateway: '192.0.2.1', dns: ['192.0.2.53'], priority: 0 });
    expect(profileFor(s, 'eth1')).toMatchObject({ store: 'keyfile', file: ETH1, method: 'dhcp', defroute: false });
    expect(s.newStore.store).toBe('keyfile');
    expect(s.newStore.why).toContain('CentOS Stream 9');
  });

  it('binds by MAC (upper case, no interface-name) and gives an unbound profile to a free device', () => {
    const r = root();
    rmSync(join(r, ETH1));
    put(r, `${KF}/cloud-init-eth1.nmconnection`, keyfile('cloud-init eth1', null, '\n[ethernet]\nmac-address=52:54:00:AB:CD:EF\n'));
    let s = state(r);
    expect(profileFor(s, 'eth1')).toMatchObject({ file: `${KF}/cloud-init-eth1.nmconnection`, binding: 'mac' });
    rmSync(join(r, `${KF}/cloud-init-eth1.nmconnection`));
    put(r, `${KF}/Wired connection 1.nmconnection`, keyfile('Wired connection 1', null));
    s = state(r);
    expect(profileFor(s, 'eth1')).toMatchObject({ file: `${KF}/Wired connection 1.nmconnection`, binding: 'unbound' });
  });

  it('two profiles for one device: the higher autoconnect-priority wins, with a warning naming both', () => {
    const r = root();
    put(r, `${KF}/eth0-b.nmconnection`, keyfile('eth0-b', 'eth0', 'autoconnect-priority=10\n'));
    const s = state(r);
    expect(profileFor(s, 'eth0')?.file).toBe(`${KF}/eth0-b.nmconnection`);
    expect(s.warnings.some((w) => w.message.includes('eth0 has 2 profiles') && w.message.includes(ETH0))).toBe(true);
  });

  it('equal priorities: the one NetworkManager used last (its timestamps file, or timestamp=) wins', () => {
    const r = root();
    put(r, `${KF}/eth0-b.nmconnection`, keyfile('eth0-b', 'eth0', 'uuid=aaaaaaaa-0000-4000-8000-000000000001\n'));
    expect(state(r).owners.get('eth0')).toBe(ETH0);
    put(r, 'var/lib/NetworkManager/timestamps', '[timestamps]\naaaaaaaa-0000-4000-8000-000000000001=1900000000\n2d0f6a4e-7f5a-4c9b-9a57-3c1e0b6a8f10=1800000000\n', 0o644);
    expect(state(r).owners.get('eth0')).toBe(`${KF}/eth0-b.nmconnection`);
  });

  it('an ifcfg file and a keyfile for one device on EL9: warned, the keyfile store first', () => {
    const r = root();
    put(r, `${IFCFG}/ifcfg-eth0`, 'DEVICE=eth0\nBOOTPROTO=dhcp\nONBOOT=yes\n', 0o644);
    const s = state(r);
    expect(profileFor(s, 'eth0')?.store).toBe('keyfile');
    expect(s.warnings.some((w) => w.message.includes('eth0 has 2 profiles'))).toBe(true);
  });

  it('an ifcfg file and a keyfile with the same UUID: warned', () => {
    const r = root();
    put(r, `${IFCFG}/ifcfg-eth0`, 'DEVICE=eth0\nBOOTPROTO=dhcp\nUUID=2D0F6A4E-7F5A-4C9B-9A57-3C1E0B6A8F10\n', 0o644);
    expect(state(r).warnings.some((w) => /have the same UUID/.test(w.message) && w.message.includes(`${IFCFG}/ifcfg-eth0`))).toBe(true);
  });

  it('on EL10 an ifcfg file has no effect: warned, and a new profile is a keyfile', async () => {
    const r = root();
    rmSync(join(r, ETH1));
    writeFileSync(join(r, 'etc/os-release'), 'ID="rhel"\nID_LIKE="fedora"\nVERSION_ID="10.0"\nPRETTY_NAME="Red Hat Enterprise Linux 10.0"\n');
    put(r, `${IFCFG}/ifcfg-eth1`, 'DEVICE=eth1\nBOOTPROTO=dhcp\nONBOOT=yes\n', 0o644);
    const s = state(r);
    expect(profileFor(s, 'eth1')).toBeUndefined();
    expect(s.warnings.some((w) => w.file === `${IFCFG}/ifcfg-eth1` && /no ifcfg plugin/.test(w.message))).toBe(true);
    const res = await cli('set', 'ip', 'eth1', 'static', '198.51.100.5/24', '--root', r);
    expect(res.code).toBe(0);
    expect(existsSync(join(r, ETH1))).toBe(true);
    expect(readFileSync(join(r, `${IFCFG}/ifcfg-eth1`), 'utf8')).toBe('DEVICE=eth1\nBOOTPROTO=dhcp\nONBOOT=yes\n');
  });

  it('on the real root, the profile NetworkManager has active owns the device (nmcli -t ... FILENAME)', () => {
    const r = root();
    put(r, `${KF}/eth0-b.nmconnection`, keyfile('eth0-b', 'eth0', 'autoconnect-priority=10\n'));
    const s = state(r);
    expect(s.owners.get('eth0')).toBe(`${KF}/eth0-b.nmconnection`);
    const owners = preferActive(s.owners, s.profiles, new Root(r), [
      { device: 'eth0', filename: join(r, ETH0) },
      { device: null, filename: join(r, `${KF}/eth0-b.nmconnection`) },
    ]);
    expect(owners.get('eth0')).toBe(ETH0);
  });

  it('a symlinked keyfile is followed inside the root, never out of it', () => {
    const r = root();
    const outside = tempRoot(null);
    try {
      put(outside, 'eth1.nmconnection', keyfile('outside', 'eth1', 'autoconnect-priority=50\n'));
      rmSync(join(r, ETH1));
      symlinkSync(join(outside, 'eth1.nmconnection'), join(r, ETH1));
      let s = state(r);
      expect(profileFor(s, 'eth1')).toBeUndefined();
      expect(s.warnings.some((w) => w.file === ETH1 && /not there/.test(w.message))).toBe(true);
      put(r, 'etc/keep/eth1.nmconnection', keyfile('inside', 'eth1'));
      rmSync(join(r, ETH1));
      symlinkSync('../../keep/eth1.nmconnection', join(r, ETH1));
      s = state(r);
      expect(profileFor(s, 'eth1')?.name).toBe('inside');
    } finally {
      removeRoot(outside);
    }
  });

  it('names NetworkManager never reads are ignored', () => {
    const r = root();
    for (const n of ['.hidden.nmconnection', 'eth0.nmconnection~', 'eth0.ABC123', 'cert.pem']) put(r, `${KF}/${n}`, keyfile(n, 'eth0', 'autoconnect-priority=99\n'));
    put(r, `${LIB}/eth0-vendor`, keyfile('x', 'eth0', 'autoconnect-priority=99\n'));
    const s = state(r);
    expect(profileFor(s, 'eth0')?.file).toBe(ETH0);
    expect(s.profiles.filter((p) => p.device === 'eth0')).toHaveLength(1);
  });
});

describe('where a new profile goes', () => {
  const noProfiles = (r: string): void => {
    rmSync(join(r, KF), { recursive: true });
    rmSync(join(r, 'etc/os-release'));
  };

  it.each([
    ['EL7 os-release', 'ID="centos"\nVERSION_ID="7"\n', null, 'ifcfg'],
    ['EL8 os-release', 'ID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="8.9"\n', null, 'ifcfg'],
    ['EL9 os-release', 'ID="almalinux"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.4"\n', null, 'keyfile'],
    ['Fedora 32', 'ID=fedora\nVERSION_ID=32\n', null, 'ifcfg'],
    ['Fedora 33', 'ID=fedora\nVERSION_ID=33\n', null, 'keyfile'],
    ['EL9 with plugins=ifcfg-rh,keyfile', 'ID="rhel"\nVERSION_ID="9.2"\n', '[main]\nplugins=ifcfg-rh,keyfile\n', 'ifcfg'],
    ['EL8 with plugins=keyfile,ifcfg-rh', 'ID="rhel"\nVERSION_ID="8.6"\n', '[main]\nplugins=keyfile,ifcfg-rh\n', 'keyfile'],
    ['plugins without either: keyfile is always there', 'ID="rhel"\nVERSION_ID="8.6"\n', '[main]\nplugins=ibft\n', 'keyfile'],
    ['no os-release, no plugins', null, null, 'ifcfg'],
  ])('%s', (_what, osRelease, conf, store) => {
    const r = root();
    noProfiles(r);
    if (osRelease) writeFileSync(join(r, 'etc/os-release'), osRelease);
    if (conf) put(r, 'etc/NetworkManager/conf.d/50-plugins.conf', conf, 0o644);
    expect(state(r).newStore.store).toBe(store);
  });

  it('conf.d overrides NetworkManager.conf', () => {
    const r = root();
    put(r, 'etc/NetworkManager/NetworkManager.conf', '[main]\nplugins=ifcfg-rh\n', 0o644);
    put(r, 'etc/NetworkManager/conf.d/90-keyfile.conf', '[main]\nplugins=keyfile\n', 0o644);
    expect(state(r).newStore).toMatchObject({ store: 'keyfile' });
    expect(state(r).newStore.why).toContain('90-keyfile.conf');
  });

  it('--store overrides it for set', async () => {
    const r = root();
    rmSync(join(r, ETH1));
    const res = await cli('set', 'ip', 'eth1', 'dhcp', '--store', 'ifcfg', '--root', r);
    expect(res.code).toBe(0);
    expect(existsSync(join(r, `${IFCFG}/ifcfg-eth1`))).toBe(true);
    expect(existsSync(join(r, ETH1))).toBe(false);
    expect((await cli('set', 'ip', 'eth1', 'dhcp', '--store', 'yaml', '--root', r)).code).toBe(2);
  });
});

describe('ttyconf set on an EL9 tree', () => {
  it('show names the file and the store of each interface', async () => {
    const r = root();
    const res = await cli('show', '--json', '--root', r);
    const j = JSON.parse(res.out) as { interfaces: { name: string; file: string; store: string }[]; newProfileStore: { store: string } };
    expect(j.interfaces.map((i) => [i.name, i.file, i.store])).toEqual([['eth0', ETH0, 'keyfile'], ['eth1', ETH1, 'keyfile']]);
    expect(j.newProfileStore.store).toBe('keyfile');
    expect((await cli('show', '--root', r)).out).toContain(`file ${ETH0} (NetworkManager keyfile)`);
  });

  it('edits the keyfile in place (no ifcfg file appears); comments and unknown keys stay', async () => {
    const r = root();
    const before = readFileSync(join(r, ETH0), 'utf8');
    const res = await cli('set', 'ip', 'eth0', 'static', '192.0.2.20/24', '--gateway', '192.0.2.1', '--root', r);
    expect(res.code, res.err).toBe(0);
    expect(existsSync(join(r, IFCFG))).toBe(false);
    const after = readFileSync(join(r, ETH0), 'utf8');
    for (const line of before.split('\n')) if (!line.startsWith('address1=')) expect(after).toContain(line);
    expect(statSync(join(r, ETH0)).mode & 0o777).toBe(0o600);
  });

  it.skipIf(!NMCLI)('static, DNS, then DHCP: NetworkManager reads what was asked each time', async () => {
    const r = root();
    expect((await cli('set', 'ip', 'eth0', 'static', '192.0.2.20/24', '--gateway', '192.0.2.254', '--root', r)).code).toBe(0);
    let m = nm(r, ETH0);
    expect(m.get('ipv4.method')).toBe('manual');
    expect(m.get('ipv4.address1')?.split(',')[0]).toBe('192.0.2.20/24');
    expect(m.get('ipv4.gateway') ?? m.get('ipv4.address1')?.split(',')[1]).toBe('192.0.2.254');
    expect(m.get('connection.uuid')).toBe('2d0f6a4e-7f5a-4c9b-9a57-3c1e0b6a8f10');
    expect(m.get('connection.id')).toBe('eth0');

    expect((await cli('set', 'dns', '192.0.2.99', '198.51.100.99', '--search', 'corp.example', '--search', 'lab.example.com', '--root', r)).code).toBe(0);
    m = nm(r, ETH0);
    expect(m.get('ipv4.dns')).toBe('192.0.2.99;198.51.100.99;');
    expect(m.get('ipv4.dns-search')).toBe('corp.example;lab.example.com;');

    expect((await cli('set', 'ip', 'eth0', 'dhcp', '--root', r)).code).toBe(0);
    expect((await cli('set', 'dns', '192.0.2.99', '--root', r)).code).toBe(0);
    m = nm(r, ETH0);
    expect(m.get('ipv4.method')).toBe('auto');
    expect([...m.keys()].some((k) => /^ipv4\.(address\d+|gateway)$/.test(k))).toBe(false);
    expect(m.get('ipv4.dns')).toBe('192.0.2.99;');
    expect(m.get('ipv4.ignore-auto-dns')).toBe('true');
    expect(m.get('user.vendor.role')).toBe('management');
  });

  it.skipIf(!NMCLI)('a device with no profile gets <id>.nmconnection, 0600, bound by interface-name; NM reads it', async () => {
    const r = root();
    rmSync(join(r, ETH1));
    const res = await cli('set', 'ip', 'eth1', 'static', '198.51.100.5/24', '--gateway', '198.51.100.1', '--root', r);
    expect(res.code, res.err).toBe(0);
    expect(statSync(join(r, ETH1)).mode & 0o777).toBe(0o600);
    const m = nm(r, ETH1);
    expect(m.get('connection.id')).toBe('eth1');
    expect(m.get('connection.interface-name')).toBe('eth1');
    expect(m.get('connection.uuid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(m.get('ipv4.method')).toBe('manual');
    expect(m.get('ipv4.address1')?.split(',')[0]).toBe('198.51.100.5/24');
  });

  it('a /usr/lib profile is never edited in place: a copy in /etc with the same UUID; rollback removes it', async () => {
    const r = root();
    rmSync(join(r, ETH1));
    const lib = `${LIB}/vendor-eth1.nmconnection`;
    put(r, lib, '[connection]\nid=vendor eth1\nuuid=11111111-2222-4333-8444-555555555555\ntype=ethernet\ninterface-name=eth1\n\n[ipv4]\nmethod=auto\n');
    const libBefore = readFileSync(join(r, lib), 'utf8');
    const res = await cli('set', 'ip', 'eth1', 'static', '198.51.100.5/24', '--root', r);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain('read-only');
    expect(readFileSync(join(r, lib), 'utf8')).toBe(libBefore);
    const copy = `${KF}/vendor-eth1.nmconnection`;
    const text = readFileSync(join(r, copy), 'utf8');
    expect(text).toContain('uuid=11111111-2222-4333-8444-555555555555\n');
    expect(text).toContain('address1=198.51.100.5/24\n');
    expect(statSync(join(r, copy)).mode & 0o777).toBe(0o600);
    // The copy now shadows the /usr/lib profile.
    expect(profileFor(state(r), 'eth1')?.file).toBe(copy);
    // Rollback: the backup says the copy did not exist, so restoring removes it.
    const backups = join(r, 'var/lib/ttyconf/backups');
    const dir = join('var/lib/ttyconf/backups', readdirSync(backups)[0]!);
    const rt = new Root(r);
    expect(await restoreFiles(rt, dir, await readManifest(rt, dir))).toEqual([]);
    expect(existsSync(join(r, copy))).toBe(false);
    expect(profileFor(state(r), 'eth1')?.file).toBe(lib);
  });
});

describe('bad input: a warning naming the file and line, exit 2, nothing changed', () => {
  async function refused(r: string, device: string, message: RegExp): Promise<void> {
    const before = treeBytes(r);
    const res = await cli('set', 'ip', device, 'static', '192.0.2.77/24', '--root', r);
    expect(res.code).toBe(2);
    expect(res.err).toMatch(message);
    expect(res.err).toContain('nothing was written');
    expect(treeBytes(r)).toEqual(before);
    const show = JSON.parse((await cli('show', '--json', '--root', r)).out) as { interfaces: { name: string; readOnly: string | null }[] };
    expect(show.interfaces.find((i) => i.name === device)?.readOnly).toMatch(message);
  }

  it('an unparseable keyfile (a line outside any group)', async () => {
    const r = root();
    put(r, ETH1, 'interface-name=eth1\n[connection]\nid=eth1\ntype=ethernet\n');
    const s = state(r);
    expect(s.warnings).toContainEqual(expect.objectContaining({ file: ETH1, line: 1 }));
    await refused(r, 'eth1', /eth1\.nmconnection:1: NetworkManager cannot read this keyfile/);
  });

  it('an invalid escape', async () => {
    const r = root();
    put(r, ETH1, '[connection]\nid=eth1\ntype=ethernet\ninterface-name=eth1\nzone=a\\qb\n');
    await refused(r, 'eth1', /eth1\.nmconnection:5: .*invalid escape sequence/);
  });

  it('insecure permissions: warned, never chmod', async () => {
    const r = root();
    chmodSync(join(r, ETH1), 0o644);
    expect(state(r).warnings.some((w) => w.file === ETH1 && /permissions \(0644\) are insecure/.test(w.message))).toBe(true);
    await refused(r, 'eth1', /insecure/);
    expect(statSync(join(r, ETH1)).mode & 0o777).toBe(0o644);
  });

  it('a runtime profile in /run', async () => {
    const r = root();
    rmSync(join(r, ETH1));
    put(r, 'run/NetworkManager/system-connections/eth1.nmconnection', keyfile('eth1', 'eth1'));
    await refused(r, 'eth1', /runtime profile in \/run/);
  });

  it('a profile NetworkManager rejects ([ipv6] method=manual without an address)', async () => {
    const r = root();
    put(r, ETH1, keyfile('eth1', 'eth1', '\n[ipv6]\nmethod=manual\n'));
    if (NMCLI) expect(nmRead(readFileSync(join(r, ETH1))).ok).toBe(false);
    await refused(r, 'eth1', /NetworkManager rejects this profile \(\[ipv6\] method=manual without an address\)/);
  });

  it('a /usr/lib profile whose /etc copy cannot be made (another file has its name)', async () => {
    const r = root();
    copyFileSync(join(r, ETH1), join(r, `${KF}/vendor.nmconnection`));
    chmodSync(join(r, `${KF}/vendor.nmconnection`), 0o600);
    writeFileSync(join(r, `${KF}/vendor.nmconnection`), keyfile('other', 'eth9'));
    rmSync(join(r, ETH1));
    put(r, `${LIB}/vendor.nmconnection`, keyfile('vendor', 'eth1', 'uuid=11111111-2222-4333-8444-555555555555\n'));
    await refused(r, 'eth1', /copy in \/etc cannot go to/);
  });

  it('DNS for the default-route device when ttyconf cannot change its profile', async () => {
    const r = root();
    chmodSync(join(r, ETH0), 0o640);
    const before = treeBytes(r);
    const res = await cli('set', 'dns', '192.0.2.9', '--root', r);
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/goes to the profile of eth0, which ttyconf cannot change: .*insecure/);
    expect(treeBytes(r)).toEqual(before);
  });
});
if (!NMCLI) console.warn(NMCLI_SKIP);
