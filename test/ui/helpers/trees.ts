// Trees that stress the status screen: many interfaces, long values, and each way of being off
// the network. Each starts from a temp copy of the demo tree (sys/class/net describes the running
// system there: operstate, carrier, address, ttyconf-ipv4, and ttyconf-route for the default route).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoRoot } from './headless.js';

const NET = 'sys/class/net';
const IFCFG = 'etc/sysconfig/network-scripts';

function put(root: string, rel: string, text: string): void {
  mkdirSync(join(root, rel, '..'), { recursive: true });
  writeFileSync(join(root, rel), text);
}

function link(root: string, dev: string, mac: string, up: boolean, ipv4?: string): void {
  put(root, `${NET}/${dev}/address`, `${mac}\n`);
  put(root, `${NET}/${dev}/carrier`, up ? '1\n' : '0\n');
  put(root, `${NET}/${dev}/operstate`, up ? 'up\n' : 'down\n');
  put(root, `${NET}/${dev}/type`, '1\n');
  if (ipv4) put(root, `${NET}/${dev}/ttyconf-ipv4`, `${ipv4}\n`);
  else rmSync(join(root, NET, dev, 'ttyconf-ipv4'), { force: true });
}

export interface IfaceSpec {
  readonly name: string;
  readonly mac: string;
  readonly address: string;
}

/** eth0 and eth1 of the demo, plus eth2..eth11: 12 interfaces, half static with an address. */
export function twelveInterfaces(): { root: string; extra: IfaceSpec[] } {
  const root = demoRoot();
  const extra: IfaceSpec[] = [];
  for (let n = 2; n < 12; n++) {
    const name = `eth${n}`;
    const mac = `52:54:00:00:10:${String(n).padStart(2, '0')}`;
    const address = `203.0.113.${n * 10}/24`;
    link(root, name, mac, n % 3 !== 0, n % 3 !== 0 ? address : undefined);
    put(root, `${IFCFG}/ifcfg-${name}`, `DEVICE=${name}\nBOOTPROTO=none\nONBOOT=yes\nIPADDR=${address.split('/')[0]}\nPREFIX=24\nDEFROUTE=no\n`);
    extra.push({ name, mac, address });
  }
  return { root, extra };
}

export const LONG_LABEL = 'a'.repeat(22) + '-long-hostname-label-for-the-console-ui-0';
export const LONG_HOSTNAME = `${LONG_LABEL}.example.com`;
export const LONG_SEARCH = ['one.example.com', 'two.example.com', 'three.example.net', 'four.lab.example.org', 'five.storage.example.com', 'six.backup.example.com'];
export const LONG_DNS = ['2001:db8:ffff:ffff:ffff:ffff:ffff:fff1', '2001:db8:ffff:ffff:ffff:ffff:ffff:fff2', '2001:db8:ffff:ffff:ffff:ffff:ffff:fff3'];

/** A 63-character hostname label, 6 search domains, 3 IPv6 DNS servers. */
export function longValues(): string {
  const root = demoRoot();
  put(root, 'etc/hostname', `${LONG_HOSTNAME}\n`);
  put(root, 'etc/resolv.conf', `search ${LONG_SEARCH.join(' ')}\n${LONG_DNS.map((d) => `nameserver ${d}\n`).join('')}`);
  return root;
}

/** The demo with every link down: no lease, no route. */
export function noLink(): string {
  const root = demoRoot();
  link(root, 'eth0', '52:54:00:12:34:56', false);
  rmSync(join(root, NET, 'ttyconf-route'), { force: true });
  return root;
}

/** eth0 has its lease but there is no default route. */
export function noGateway(): string {
  const root = demoRoot();
  rmSync(join(root, NET, 'ttyconf-route'), { force: true });
  return root;
}

/** eth0 has a link but no lease (DHCP gave nothing), so no route either. */
export function noAddress(): string {
  const root = demoRoot();
  link(root, 'eth0', '52:54:00:12:34:56', true);
  rmSync(join(root, NET, 'ttyconf-route'), { force: true });
  return root;
}

/** An armed image: the first-boot marker, and root without a password ("!!"). */
export function armedRoot(): string {
  const root = demoRoot();
  put(root, 'etc/shadow', 'root:!!:19000:0:99999:7:::\n');
  put(root, 'var/lib/ttyconf/firstboot', '');
  return root;
}
