// A scripted machine for tests of apply/verify/rollback without touching any real network: a tiny
// "kernel" (addresses, default route, hostname) that the fake ip, nmcli, ifup/ifdown, dhclient,
// hostnamectl, ping and arping act on, every call recorded with its timeout. NetworkManager and
// ifup read the profile from the temp root, as the real ones read /etc.
// UI tests can use it too: executePlan(current, plan, { apply: true, ...fake.options }).
import { type CommandResult, type Runner, type RunOptions, execaRunner } from '../../../src/system/run.js';
import type { Probe } from '../../../src/system/observe.js';
import type { DefaultRoute, LiveAddress } from '../../../src/model/live.js';
import { profileFor, readSnapshot } from '../../../src/files/read.js';
import { Root } from '../../../src/files/root.js';
import type { Profile } from '../../../src/model/state.js';

export interface Call {
  readonly argv: readonly string[];
  readonly timeoutMs: number | undefined;
}

export interface Kernel {
  addrs: Record<string, LiveAddress[]>;
  route: DefaultRoute | null;
  hostname: string;
  /** Gateways (and ping targets) that answer. */
  readonly answering: Set<string>;
  /** DNS servers that answer. */
  readonly dns: Set<string>;
}

/** Return a result to override the simulation for one call (a refusal, a timeout...). */
export type Override = (argv: readonly string[], call: number) => Partial<CommandResult> | undefined;

const QUERY = (argv: readonly string[]): boolean => ['ip -o -4 addr show', 'ip -4 route show default'].includes(argv.join(' '));

export class FakeSystem {
  readonly calls: Call[] = [];
  readonly kernel: Kernel;
  private now = 1_700_000_000_000;
  override: Override = () => undefined;
  /** Programs run for real (through execa, e.g. fakes from test/fixtures/bin on PATH). */
  readonly realPrograms = new Set<string>();

  constructor(private readonly rootDir: string, kernel: Partial<Kernel> = {}) {
    this.kernel = {
      addrs: kernel.addrs ?? { eth0: [{ address: '192.0.2.115', prefix: 24, dynamic: true }], eth1: [{ address: '198.51.100.20', prefix: 24, dynamic: false }] },
      route: kernel.route === undefined ? { via: '192.0.2.1', dev: 'eth0' } : kernel.route,
      hostname: kernel.hostname ?? 'localhost.localdomain',
      answering: kernel.answering ?? new Set(['192.0.2.1', '198.51.100.1']),
      dns: kernel.dns ?? new Set(['192.0.2.53']),
    };
  }

  /** Commands that change something (the `ip` queries used to observe are left out). */
  get commands(): string[][] {
    return this.calls.filter((c) => !QUERY(c.argv) && c.argv[0] !== 'ping' && c.argv[0] !== 'arping' && c.argv[0] !== 'selinuxenabled').map((c) => [...c.argv]);
  }

  get probe(): Partial<Probe> {
    return {
      run: this.run,
      dns: async (server) => (this.kernel.dns.has(server) ? { answered: true, detail: `${server} answered` } : { answered: false, detail: `${server}: no answer (timed out)` }),
      sleep: async (ms) => {
        this.now += ms;
      },
      now: () => this.now,
      kernelHostname: () => this.kernel.hostname,
    };
  }

  /** Spread into ExecuteOptions. */
  get options(): { probe: Partial<Probe>; detach: false; privateNamespace: () => boolean } {
    return { probe: this.probe, detach: false, privateNamespace: () => true };
  }

  readonly run: Runner = async (file: string, args: readonly string[], opts: RunOptions = {}) => {
    const argv = [file, ...args];
    this.calls.push({ argv, timeoutMs: opts.timeoutMs });
    this.now += 10;
    if (this.realPrograms.has(file)) return execaRunner(file, args, opts);
    const o = this.override(argv, this.calls.length);
    const base: CommandResult = { command: argv, exitCode: 0, stdout: '', stderr: '', timedOut: false, failedToStart: null, durationMs: 1 };
    if (o) return { ...base, ...o };
    return { ...base, ...this.simulate(argv) };
  };

  /** The profile that owns a device (ifcfg file or keyfile), as ttyconf reads the tree. */
  private profileOf(dev: string): Profile | null {
    return profileFor(readSnapshot(new Root(this.rootDir)).state, dev) ?? null;
  }

  /** What NetworkManager or ifup do with a profile. */
  private activate(dev: string): Partial<CommandResult> {
    const p = this.profileOf(dev);
    if (!p) return { exitCode: 1, stderr: `configuration for ${dev} not found` };
    if (p.method === 'dhcp') {
      this.kernel.addrs[dev] = [{ address: '192.0.2.115', prefix: 24, dynamic: true }];
      if (p.defroute) this.kernel.route = { via: '192.0.2.1', dev };
    } else {
      this.kernel.addrs[dev] = p.addresses.map((a) => ({ ...a, dynamic: false }));
      if (p.gateway && p.defroute) this.kernel.route = { via: p.gateway, dev };
      else if (this.kernel.route?.dev === dev) this.kernel.route = null;
    }
    return {};
  }

  private simulate(argv: readonly string[]): Partial<CommandResult> {
    const [cmd, ...a] = argv;
    const k = this.kernel;
    switch (cmd) {
      case 'ip': {
        if (a[0] === '-o' && a.includes('addr')) {
          const lines = Object.entries(k.addrs).flatMap(([dev, list], i) =>
            list.map((x) => `${i + 2}: ${dev}    inet ${x.address}/${x.prefix} brd 0.0.0.0 scope global ${x.dynamic ? 'dynamic ' : ''}${dev}\\       valid_lft forever preferred_lft forever`));
          return { stdout: lines.join('\n') + '\n' };
        }
        if (a.join(' ') === '-4 route show default') return { stdout: k.route ? `default via ${k.route.via} dev ${k.route.dev} proto static metric 100\n` : '' };
        if (a[0] === 'link') return {};
        if (a[1] === 'addr') {
          const [address, prefix] = a[3]!.split('/');
          const dev = a[5]!;
          const list = (k.addrs[dev] ??= []);
          const i = list.findIndex((x) => x.address === address && x.prefix === Number(prefix));
          if (a[2] === 'del') {
            if (i < 0) return { exitCode: 2, stderr: 'RTNETLINK answers: Cannot assign requested address' };
            list.splice(i, 1);
            if (k.route?.dev === dev && list.length === 0) k.route = null;
          } else if (i < 0) list.push({ address: address!, prefix: Number(prefix), dynamic: false });
          return {};
        }
        if (a[1] === 'route' && a[2] === 'replace') {
          k.route = { via: a[5]!, dev: a[7]! };
          return {};
        }
        if (a[1] === 'route' && a[2] === 'del') {
          if (!k.route) return { exitCode: 2, stderr: 'RTNETLINK answers: No such process' };
          k.route = null;
          return {};
        }
        return { exitCode: 1, stderr: `fake ip: ${a.join(' ')}` };
      }
      case 'nmcli': {
        const rest = a[0] === '--wait' ? a.slice(2) : a;
        if (rest[0] === 'connection' && (rest[1] === 'load' || rest[1] === 'reload')) return {};
        if (rest[0] === 'device' && (rest[1] === 'reapply' || rest[1] === 'connect')) return this.activate(rest[2]!);
        if (rest[0] === 'connection' && rest[1] === 'up' && rest[2] === 'uuid') {
          const dev = this.deviceOfUuid(rest[3]!);
          return dev ? this.activate(dev) : { exitCode: 10, stderr: `Error: unknown connection '${rest[3]}'.` };
        }
        return { exitCode: 2, stderr: `fake nmcli: ${rest.join(' ')}` };
      }
      case 'ifdown':
        k.addrs[a[0]!] = [];
        if (k.route?.dev === a[0]) k.route = null;
        return {};
      case 'ifup':
        return this.activate(a[0]!);
      case 'dhclient':
        if (a[0] === '-r') {
          k.addrs[a[1]!] = (k.addrs[a[1]!] ?? []).filter((x) => !x.dynamic);
          return {};
        }
        k.addrs[a[1]!] = [...(k.addrs[a[1]!] ?? []), { address: '192.0.2.115', prefix: 24, dynamic: true }];
        k.route = { via: '192.0.2.1', dev: a[1]! };
        return {};
      case 'hostnamectl':
        k.hostname = a[1]!;
        return {};
      case 'hostname':
        k.hostname = a[0]!;
        return {};
      case 'ping':
      case 'arping': {
        const target = a[a.length - 1]!;
        return k.answering.has(target) ? { stdout: `reply from ${target}\n` } : { exitCode: 1, stdout: `no reply from ${target}\n` };
      }
      case 'selinuxenabled':
        return { exitCode: 1 };
      default:
        return { exitCode: null, failedToStart: 'ENOENT' };
    }
  }

  private deviceOfUuid(uuid: string): string | null {
    return readSnapshot(new Root(this.rootDir)).state.profiles.find((p) => p.uuid === uuid)?.device ?? null;
  }
}

export const refused = (stderr: string): Partial<CommandResult> => ({ exitCode: 1, stderr });
export const timedOut: Partial<CommandResult> = { exitCode: null, timedOut: true, stderr: '' };
