// ttyconf's keyfile edits judged by NetworkManager's own parser: for each Ethernet keyfile of NM's
// test corpus, a static and a DHCP edit give the asked IPv4 settings, and every other key reads the
// same in NM's normalized output before and after.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeyFile } from '../../src/files/keyfile.js';
import { editKeyfileDns, editKeyfileIpv4, isEthernetKeyfile, newKeyfileText, readKeyfileProfile } from '../../src/files/nmProfile.js';
import type { Ipv4Config } from '../../src/model/types.js';
import { CORPUS } from '../helpers/corpus.js';
import { NMCLI, NMCLI_SKIP, nmKeys, nmRead } from '../helpers/nmcli.js';

const dir = join(CORPUS, 'keyfile-tests');
const all = existsSync(dir) ? readdirSync(dir).sort() : [];

function parse(buf: Buffer | string): KeyFile {
  const r = typeof buf === 'string' ? KeyFile.parse(buf) : KeyFile.fromBuffer(buf);
  if (!r.ok) throw new Error(`line ${r.error.line}: ${r.error.message}`);
  return r.value;
}

// Ethernet profiles that take IP settings (a port of a bond or bridge takes none).
const ethernet = all.filter((n) => {
  const k = parse(readFileSync(join(dir, n)));
  return isEthernetKeyfile(k) && !k.get('connection', 'master') && !k.get('connection', 'controller');
});

/** NM's reading; a file without id= gets one (NM names such profiles after the file). */
function nm(text: Buffer, hasId: boolean): Map<string, string> {
  const r = nmRead(text, hasId ? ['connection.zone', ''] : ['connection.id', 'corpus']);
  if (!r.ok) throw new Error(r.message);
  return nmKeys(r.text);
}

/**
 * NM's IPv4 addresses and gateway, whichever way it prints them (1.42 folds the gateway into the
 * first address: `address1=IP/plen,GW`).
 */
function ipv4Of(m: Map<string, string>): { addresses: string[]; gateway: string | null } {
  const keys = [...m.keys()].filter((k) => /^ipv4\.address\d+$/.test(k));
  const first = m.get('ipv4.address1')?.split(',');
  return { addresses: keys.map((k) => m.get(k)!.split(',')[0]!), gateway: m.get('ipv4.gateway') ?? first?.[1] ?? null };
}

/** The keys an IPv4 edit owns in NM's output (NM renumbers addresses; uuid is random when absent). */
const OWNED = /^ipv4\.(method|address\d*|gateway)$|^connection\.uuid$/;

function others(m: Map<string, string>): Record<string, string> {
  return Object.fromEntries([...m].filter(([k]) => !OWNED.test(k)));
}

const STATIC: Ipv4Config = { method: 'static', address: { address: '192.0.2.20', prefix: 24 }, gateway: '192.0.2.1' };
const DHCP: Ipv4Config = { method: 'dhcp' };

describe.skipIf(!NMCLI || ethernet.length === 0)('corpus Ethernet keyfiles edited, as NetworkManager reads them', () => {
  it('has the Ethernet files', () => expect(ethernet.length).toBeGreaterThanOrEqual(10));

  it.each(ethernet)('%s: static and DHCP edits change only the IPv4 keys they own', (name) => {
    const buf = readFileSync(join(dir, name));
    const hasId = parse(buf).get('connection', 'id') !== undefined;
    const before = nm(buf, hasId);

    const s = parse(buf);
    editKeyfileIpv4(s, STATIC);
    const afterStatic = nm(s.toBuffer(), hasId);
    expect(afterStatic.get('ipv4.method')).toBe('manual');
    expect(ipv4Of(afterStatic)).toEqual({ addresses: ['192.0.2.20/24'], gateway: '192.0.2.1' });
    expect(others(afterStatic)).toEqual(others(before));

    const d = parse(buf);
    editKeyfileIpv4(d, DHCP);
    const afterDhcp = nm(d.toBuffer(), hasId);
    expect(afterDhcp.get('ipv4.method')).toBe('auto');
    expect(ipv4Of(afterDhcp)).toEqual({ addresses: [], gateway: null });
    expect(others(afterDhcp)).toEqual(others(before));
  });
});

describe.skipIf(!NMCLI)('keyfiles ttyconf writes, as NetworkManager reads them', () => {
  const UUID = '0b5c4a3e-1111-4222-8333-944455556666';

  it('a new profile: NM reads the asked fields', () => {
    const k = parse(newKeyfileText('eth0', UUID));
    editKeyfileIpv4(k, STATIC);
    editKeyfileDns(k, { servers: ['192.0.2.53', '198.51.100.53'], search: ['example.com', 'lab.example.com'] }, false);
    const m = nm(k.toBuffer(), true);
    expect(ipv4Of(m)).toEqual({ addresses: ['192.0.2.20/24'], gateway: '192.0.2.1' });
    expect(Object.fromEntries([...m].filter(([key]) => /^(connection\.(id|uuid|interface-name)|ipv4\.)/.test(key) && !/address|gateway/.test(key)))).toEqual({
      'connection.id': 'eth0',
      'connection.uuid': UUID,
      'connection.interface-name': 'eth0',
      'ipv4.dns': '192.0.2.53;198.51.100.53;',
      'ipv4.dns-search': 'example.com;lab.example.com;',
      'ipv4.method': 'manual',
    });
  });

  it('DHCP with servers set: ignore-auto-dns=true; without: DHCP\'s servers again', () => {
    const k = parse(newKeyfileText('eth1', UUID));
    editKeyfileIpv4(k, DHCP);
    editKeyfileDns(k, { servers: ['192.0.2.53'], search: [] }, true);
    let m = nm(k.toBuffer(), true);
    expect(m.get('ipv4.method')).toBe('auto');
    expect(m.get('ipv4.dns')).toBe('192.0.2.53;');
    expect(m.get('ipv4.ignore-auto-dns')).toBe('true');
    expect(m.has('ipv4.dns-search')).toBe(false);
    editKeyfileDns(k, { servers: [], search: ['example.com'] }, true);
    m = nm(k.toBuffer(), true);
    expect(m.has('ipv4.dns')).toBe(false);
    expect(m.has('ipv4.ignore-auto-dns')).toBe(false);
    expect(m.get('ipv4.dns-search')).toBe('example.com;');
  });

  it('a gateway held as a route: that route is replaced, never a second default added', () => {
    const text = '[connection]\nid=cloud\ntype=ethernet\n\n[ethernet]\nmac-address=52:54:00:AB:CD:EF\n\n[ipv4]\naddress1=192.0.2.10/24\nmethod=manual\nroute1=0.0.0.0/0,192.0.2.1\nroute2=10.0.0.0/8,192.0.2.254\n';
    const k = parse(text);
    const p = readKeyfileProfile('x', k, () => 'eth1').profile!;
    expect(p.gateway).toBe('192.0.2.1');
    expect(p.device).toBe('eth1');
    expect(p.binding).toBe('mac');
    editKeyfileIpv4(k, { method: 'static', address: { address: '192.0.2.30', prefix: 24 }, gateway: '192.0.2.2' });
    const m = nm(k.toBuffer(), true);
    expect(m.get('ipv4.route1')).toBe('0.0.0.0/0,192.0.2.2');
    expect(m.get('ipv4.route2')).toBe('10.0.0.0/8,192.0.2.254');
    expect(m.has('ipv4.gateway')).toBe(false);
    expect(m.get('ipv4.address1')).toBe('192.0.2.30/24');
  });
});
if (!NMCLI) console.warn(NMCLI_SKIP);
