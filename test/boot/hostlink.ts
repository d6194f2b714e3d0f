// The host side of a guest's link: a network namespace that the test makes, with the tap device
// qemu attaches the guest's NIC to, the gateways the guest is pointed at, and dnsmasq (unpacked by
// build-tools.sh, run as a plain process in the namespace, never as a service) answering DHCP and
// DNS there, and an IPv6 gateway (its address only: no router advertisements, so the guest's IPv6
// comes from its files alone). No packet leaves the namespace: it has no other interface and no route out.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from './guest.js';

/** The addresses on the host side (documentation ranges, RFC 5737 and RFC 3849). */
export const NET = {
  /** The guest's first gateway, and a DNS server on the same side. */
  gateway1: '192.0.2.1',
  dns1: '192.0.2.53',
  /** The new static address, its gateway (also a DNS server). */
  gateway2: '198.51.100.1',
  /** Nothing answers there: the gateway check must fail. */
  unreachable: '198.51.100.254',
  /** DHCP: dnsmasq leases from this subnet, router and DNS server .1. */
  dhcpRouter: '203.0.113.1',
  dhcpPrefix: '203.0.113.',
  dhcpDomain: 'dhcp.test',
  /** The guest's IPv6 gateway (ping and neighbour discovery answer) and the guest's static address. */
  gateway6: '2001:db8:7::1',
  guest6: '2001:db8:7::2/64',
} as const;

const TAP = 'tap0';

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export class HostLink {
  private dnsmasq: ChildProcess | null = null;

  private constructor(readonly netns: string, readonly tap: string, private readonly work: string) {}

  /** Makes the namespace and the tap, and starts dnsmasq. `dnsmasqDir` is build-tools.sh's output. */
  static async create(name: string, work: string, dnsmasqDir: string): Promise<HostLink> {
    const netns = `ttyconf-boot-${process.pid}-${name}`;
    ip('netns', 'add', netns);
    const link = new HostLink(netns, TAP, work);
    try {
      ip('-n', netns, 'link', 'set', 'lo', 'up');
      ip('-n', netns, 'tuntap', 'add', 'dev', TAP, 'mode', 'tap');
      for (const a of [`${NET.gateway1}/24`, `${NET.dns1}/24`, `${NET.gateway2}/24`, `${NET.dhcpRouter}/24`]) {
        ip('-n', netns, 'addr', 'add', a, 'dev', TAP);
      }
      // nodad: the gateway's address is usable at once, before qemu attaches to the tap.
      ip('-n', netns, 'addr', 'add', `${NET.gateway6}/64`, 'dev', TAP, 'nodad');
      ip('-n', netns, 'link', 'set', TAP, 'up');
      await link.startDnsmasq(dnsmasqDir);
    } catch (e) {
      link.close();
      throw e;
    }
    return link;
  }

  private async startDnsmasq(dir: string): Promise<void> {
    const log = openSync(join(this.work, 'dnsmasq.log'), 'a');
    const bin = join(dir, 'root/usr/sbin/dnsmasq');
    const args = [
      'netns', 'exec', this.netns, 'env', `LD_LIBRARY_PATH=${join(dir, 'root/usr/lib/x86_64-linux-gnu')}`, bin,
      '--keep-in-foreground', '--log-facility=-', '--log-dhcp', '--conf-file=/dev/null', '--user=root',
      `--pid-file=${join(this.work, 'dnsmasq.pid')}`, `--dhcp-leasefile=${join(this.work, 'dnsmasq.leases')}`,
      `--interface=${TAP}`, '--bind-dynamic',
      `--dhcp-range=${NET.dhcpPrefix}100,${NET.dhcpPrefix}150,255.255.255.0,1h`,
      `--dhcp-option=option:router,${NET.dhcpRouter}`, `--dhcp-option=option:dns-server,${NET.dhcpRouter}`,
      `--dhcp-option=option:domain-name,${NET.dhcpDomain}`,
      // DNS: no upstream; every name is answered NXDOMAIN, which proves the server answers.
      '--no-resolv', '--no-hosts', '--address=/#/',
    ];
    this.dnsmasq = spawn('ip', args, { stdio: ['ignore', log, log] });
    const exited = new Promise<number | null>((r) => this.dnsmasq?.once('exit', (c) => r(c)));
    const started = await Promise.race([exited.then(() => false), sleep(1500).then(() => true)]);
    if (!started) throw new Error(`dnsmasq did not start in ${this.netns}: ${readFileSync(join(this.work, 'dnsmasq.log'), 'utf8').slice(-600)}`);
  }

  /** The leases dnsmasq handed out (its lease file). */
  leases(): string {
    try {
      return readFileSync(join(this.work, 'dnsmasq.leases'), 'utf8');
    } catch {
      return '';
    }
  }

  /** Stops dnsmasq and removes the namespace (qemu must have exited: its tap goes with it). */
  close(): void {
    if (this.dnsmasq && this.dnsmasq.exitCode === null) this.dnsmasq.kill('SIGTERM');
    this.dnsmasq = null;
    try {
      ip('netns', 'del', this.netns);
    } catch {
      // already gone
    }
  }
}
