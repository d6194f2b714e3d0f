// IPv6 edits on the files of NetworkManager's own test corpus. ifcfg: an IPv6 edit changes only the
// lines of the keys it owns, bash reads the asked values, and every other key reads the same.
// Keyfiles: NetworkManager's parser reads the asked [ipv6] settings, and every key outside
// [ipv6] method/addresses/gateway reads the same before and after.
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IFCFG_IPV6_KEYS, editIfcfgIpv6, readIfcfgIpv6 } from '../../src/files/ifcfgIpv6.js';
import { KeyFile } from '../../src/files/keyfile.js';
import { editKeyfileIpv6, readKeyfileIpv6 } from '../../src/files/keyfileIpv6.js';
import { isEthernetKeyfile } from '../../src/files/nmProfile.js';
import { ShellVarsFile } from '../../src/files/shellVars.js';
import type { Ipv6Config } from '../../src/model/ipv6.js';
import { CORPUS } from '../helpers/corpus.js';
import { NMCLI, nmKeys, nmRead } from '../helpers/nmcli.js';
import { bashRead } from '../helpers/tree.js';

const STATIC: Ipv6Config = { method: 'static', addresses: [{ address: '2001:db8::10', prefix: 64 }, { address: '2001:db8:1::5', prefix: 56 }], gateway: 'fe80::1' };

const ifcfgDir = join(CORPUS, 'ifcfg-rh');
const ifcfgNames = existsSync(ifcfgDir)
  ? readdirSync(ifcfgDir).filter((n) => n.startsWith('ifcfg-') && /^IPV6/m.test(readFileSync(join(ifcfgDir, n), 'latin1'))).sort()
  : [];
const tmp = mkdtempSync(join(tmpdir(), 'ttyconf-corpus6-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(ifcfgNames.length === 0)(`ifcfg corpus files with IPv6 keys (${ifcfgDir})`, () => {
  it('has them', () => expect(ifcfgNames.length).toBeGreaterThan(50));

  it('reads NetworkManager\'s own manual IPv6 file as NetworkManager does', () => {
    const p = readIfcfgIpv6(ShellVarsFile.fromBuffer(readFileSync(join(ifcfgDir, 'ifcfg-test-wired-ipv6-manual'))));
    expect(p).toMatchObject({ method: 'static', addresses: [
      { address: '1001:abba::1234', prefix: 56 }, { address: '2001:abba::2234', prefix: 64 }, { address: '3001:abba::3234', prefix: 96 }] });
    expect(readIfcfgIpv6(ShellVarsFile.fromBuffer(readFileSync(join(ifcfgDir, 'ifcfg-test-wired-dhcp6-only')))).method).toBe('dhcp');
  });

  it.each(ifcfgNames)('%s: a static IPv6 edit changes only the IPv6 keys it owns; bash reads them', (name) => {
    const buf = readFileSync(join(ifcfgDir, name));
    const f = ShellVarsFile.fromBuffer(buf);
    editIfcfgIpv6(f, 'eth0', STATIC);
    if (f.refused()) {
      expect(f.toBuffer().equals(buf)).toBe(true);
      return;
    }
    const before = ShellVarsFile.fromBuffer(buf);
    const after = ShellVarsFile.fromBuffer(f.toBuffer());
    for (const k of new Set([...before.keys(), ...after.keys()])) if (!IFCFG_IPV6_KEYS.test(k)) expect(after.get(k), k).toBe(before.get(k));
    // Lines of other keys, comments and blank lines stay, in order.
    const keep = (text: string): string[] => text.split('\n').filter((l) => !/^[ \t]*(export[ \t]+)?(IPV6INIT|IPV6_AUTOCONF|DHCPV6C|IPV6ADDR|IPV6ADDR_SECONDARIES|IPV6_DEFAULTGW)=/.test(l) && l !== '');
    expect(keep(f.serialize())).toEqual(keep(buf.toString('latin1')));
    expect(readIfcfgIpv6(after)).toMatchObject({ method: 'static', addresses: STATIC.addresses, gateway: 'fe80::1' });
    const file = join(tmp, name);
    writeFileSync(file, f.toBuffer());
    expect(bashRead(file, ['IPV6INIT', 'IPV6_AUTOCONF', 'DHCPV6C', 'IPV6ADDR', 'IPV6ADDR_SECONDARIES', 'IPV6_DEFAULTGW'])).toEqual({
      IPV6INIT: 'yes', IPV6_AUTOCONF: 'no', DHCPV6C: null, IPV6ADDR: '2001:db8::10/64', IPV6ADDR_SECONDARIES: '2001:db8:1::5/56', IPV6_DEFAULTGW: 'fe80::1%eth0',
    });
  });
});

const kfDir = join(CORPUS, 'keyfile-tests');
const kfNames = existsSync(kfDir) ? readdirSync(kfDir).filter((n) => {
  const r = KeyFile.fromBuffer(readFileSync(join(kfDir, n)));
  return r.ok && r.value.hasGroup('ipv6') && isEthernetKeyfile(r.value) && !r.value.get('connection', 'master');
}).sort() : [];

function nm(buf: Buffer | string, hasId: boolean): Map<string, string> {
  const r = nmRead(buf, hasId ? ['connection.zone', ''] : ['connection.id', 'corpus']);
  if (!r.ok) throw new Error(r.message);
  return nmKeys(r.text);
}
const OWNED6 = /^ipv6\.(method|address\d*|gateway)$|^connection\.uuid$/;

describe.skipIf(kfNames.length === 0 || !NMCLI)(`keyfile corpus files with [ipv6] (${kfDir})`, () => {
  it('has them', () => expect(kfNames.length).toBeGreaterThan(5));

  it('reads the legacy addressesN=ADDR/PLEN,GW form', () => {
    const k = KeyFile.fromBuffer(readFileSync(join(kfDir, 'Test_Wired_Connection_IP6')));
    expect(k.ok && readKeyfileIpv6(k.value)).toMatchObject({ method: 'static', addresses: [{ address: 'abcd:1234:ffff::cdde', prefix: 64 }], gateway: 'abcd:1234:ffff::cdd1' });
  });

  const configs: [string, Ipv6Config][] = [['static', STATIC], ['auto', { method: 'auto' }], ['dhcp', { method: 'dhcp' }], ['ignore', { method: 'ignore' }]];
  it.each(kfNames.flatMap((n) => configs.map(([m, c]) => [n, m, c] as const)))('%s: %s', (name, method, cfg) => {
    const buf = readFileSync(join(kfDir, name));
    const k = KeyFile.fromBuffer(buf);
    if (!k.ok) throw new Error(k.error.message);
    const hasId = k.value.get('connection', 'id') !== undefined;
    editKeyfileIpv6(k.value, cfg);
    const before = nm(buf, hasId);
    const after = nm(k.value.toBuffer(), hasId);
    expect(after.get('ipv6.method')).toBe(method === 'static' ? 'manual' : method === 'ignore' ? (before.get('ipv6.method') === 'disabled' ? 'disabled' : 'ignore') : method);
    if (method === 'static') {
      expect(after.get('ipv6.address1')).toBe('2001:db8::10/64,fe80::1');
      expect(after.get('ipv6.address2')).toBe('2001:db8:1::5/56');
    } else expect([...after.keys()].filter((x) => /^ipv6\.address/.test(x))).toEqual([]);
    // NetworkManager refuses [ipv6] dns and dns-search beside IPv6 off: the edit removes them.
    const owned = method === 'ignore' ? /^ipv6\.(method|address\d*|gateway|dns|dns-search)$|^connection\.uuid$/ : OWNED6;
    if (method === 'ignore') expect([...after.keys()].filter((x) => /^ipv6\.dns/.test(x))).toEqual([]);
    const others = (m: Map<string, string>): Record<string, string> => Object.fromEntries([...m].filter(([x]) => !owned.test(x)));
    expect(others(after)).toEqual(others(before));
  });
});
