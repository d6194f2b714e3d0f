// A DHCP profile that also carries static keys (cloud-init renders a DHCP plus static subnet so):
// NetworkManager adds the static address beside the lease, network-scripts ignores it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/cli.js';
import { IFCFG, bashRead, useTempRoots } from './helpers/tree.js';

const root = useTempRoots();
const ETH0 = `${IFCFG}/ifcfg-eth0`;

function dhcpPlusStatic(): string {
  const r = root();
  writeFileSync(join(r, ETH0), '# Created by cloud-init on instance boot automatically, do not edit.\n#\nBOOTPROTO=dhcp\nDEVICE=eth0\nGATEWAY=192.0.2.1\nHWADDR=52:54:00:12:34:56\nIPADDR=192.0.2.10\nNETMASK=255.255.255.0\nONBOOT=yes\nTYPE=Ethernet\nUSERCTL=no\n');
  return r;
}

describe('a DHCP profile with IPADDR/NETMASK/GATEWAY', () => {
  it('status warns and shows both readings', async () => {
    const r = dhcpPlusStatic();
    const j = JSON.parse((await cli('show', '--json', '--root', r)).out) as {
      interfaces: { name: string; method: string; readings: unknown }[];
      warnings: { file: string | null; message: string }[];
    };
    const eth0 = j.interfaces.find((i) => i.name === 'eth0')!;
    expect(eth0.method).toBe('dhcp');
    expect(eth0.readings).toEqual({
      networkmanager: 'DHCP plus 192.0.2.10/24, gateway 192.0.2.1',
      networkScripts: 'DHCP only (IPADDR, PREFIX, NETMASK and GATEWAY are ignored with BOOTPROTO=dhcp)',
    });
    expect(j.warnings).toContainEqual({
      file: ETH0, line: null,
      message: 'BOOTPROTO=dhcp with static keys: NetworkManager adds 192.0.2.10/24, gateway 192.0.2.1 beside the DHCP lease; network-scripts ignores them',
    });
    const text = (await cli('show', '--root', r)).out;
    expect(text).toContain('NetworkManager reads: DHCP plus 192.0.2.10/24, gateway 192.0.2.1');
    expect(text).toContain('network-scripts reads: DHCP only');
  });

  it('the review of set ip DEV dhcp says it drops them; the written file has none', async () => {
    const r = dhcpPlusStatic();
    const dry = await cli('set', 'ip', 'eth0', 'dhcp', '--dry-run', '--root', r);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('-IPADDR=192.0.2.10\n');
    expect(dry.err).toContain('ifcfg-eth0 is DHCP with static keys (192.0.2.10/24, gateway 192.0.2.1): NetworkManager adds them beside the lease, network-scripts ignores them; set ip eth0 dhcp drops them');
    const res = await cli('set', 'ip', 'eth0', 'dhcp', '--root', r);
    expect(res.code).toBe(0);
    expect(res.out).toContain('eth0 static keys beside DHCP: 192.0.2.10/24, gateway 192.0.2.1 -> (none)');
    expect(bashRead(join(r, ETH0), ['BOOTPROTO', 'IPADDR', 'NETMASK', 'GATEWAY', 'USERCTL'])).toEqual({ BOOTPROTO: 'dhcp', IPADDR: null, NETMASK: null, GATEWAY: null, USERCTL: 'no' });
    const j = JSON.parse((await cli('show', '--json', '--root', r)).out) as { interfaces: { name: string; readings: unknown }[]; warnings: { message: string }[] };
    expect(j.interfaces.find((i) => i.name === 'eth0')!.readings).toBeNull();
    expect(j.warnings.filter((w) => /static keys/.test(w.message))).toEqual([]);
  });

  it('a plain DHCP profile has one reading and no warning', async () => {
    const j = JSON.parse((await cli('show', '--json', '--root', root())).out) as { interfaces: { name: string; readings: unknown }[] };
    expect(j.interfaces.find((i) => i.name === 'eth0')!.readings).toBeNull();
  });
});
