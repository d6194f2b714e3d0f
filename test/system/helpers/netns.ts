// Real-kernel tests: two network namespaces joined by a veth pair ("gw" holds 192.0.2.1, "box" is the
// machine ttyconf configures, its end renamed eth0), and ttyconf built from the sources into one
// runnable file. Only documentation addresses, only inside the namespaces: nothing leaves them.
import { type ChildProcess, type SpawnOptions, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { PROJECT } from '../../helpers/tree.js';

/** Why the namespace tests cannot run here, or null when they can. */
export function netnsUnavailable(): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root (ip netns add needs CAP_SYS_ADMIN)';
  const probe = `ttyc-probe-${process.pid}`;
  const r = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (r.error) return `cannot run ip: ${r.error.message}`;
  if (r.status !== 0) return `ip netns add failed: ${r.stderr.trim()}`;
  spawnSync('ip', ['netns', 'del', probe]);
  for (const tool of ['ping', 'arping']) {
    if (spawnSync(tool, ['-V']).error) return `${tool} is not installed (Debian: iputils-ping iputils-arping)`;
  }
  return null;
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export interface Pair {
  readonly gw: string;
  readonly box: string;
  destroy(): void;
}

let counter = 0;

/** gw: 192.0.2.1/24 on its veth; box: eth0 with 192.0.2.10/24 and a default route via 192.0.2.1. */
export function makePair(): Pair {
  const id = `${process.pid % 10000}x${counter++}`;
  const gw = `ttyc-gw-${id}`;
  const box = `ttyc-box-${id}`;
  ip('netns', 'add', gw);
  ip('netns', 'add', box);
  try {
    ip('link', 'add', `tg${id}`, 'type', 'veth', 'peer', 'name', `tb${id}`);
    ip('link', 'set', `tg${id}`, 'netns', gw);
    ip('link', 'set', `tb${id}`, 'netns', box);
    ip('-n', box, 'link', 'set', `tb${id}`, 'name', 'eth0');
    ip('-n', gw, 'addr', 'add', '192.0.2.1/24', 'dev', `tg${id}`);
    for (const [ns, dev] of [[gw, `tg${id}`], [gw, 'lo'], [box, 'eth0'], [box, 'lo']] as const) ip('-n', ns, 'link', 'set', dev, 'up');
    ip('-n', box, 'addr', 'add', '192.0.2.10/24', 'dev', 'eth0');
    ip('-n', box, 'route', 'add', 'default', 'via', '192.0.2.1', 'dev', 'eth0');
  } catch (e) {
    spawnSync('ip', ['netns', 'del', gw]);
    spawnSync('ip', ['netns', 'del', box]);
    throw e;
  }
  return {
    gw,
    box,
    destroy: () => {
      spawnSync('ip', ['netns', 'del', box]);
      spawnSync('ip', ['netns', 'del', gw]);
    },
  };
}

/** What the box's kernel holds: eth0's IPv4 addresses and the default route. */
export function boxNet(box: string): { addrs: string[]; route: string } {
  const a = execFileSync('ip', ['-n', box, '-o', '-4', 'addr', 'show', 'dev', 'eth0'], { encoding: 'utf8' });
  const r = execFileSync('ip', ['-n', box, '-4', 'route', 'show', 'default'], { encoding: 'utf8' });
  return { addrs: [...a.matchAll(/inet ([\d.]+\/\d+)/g)].map((m) => m[1]!), route: r.trim().replace(/\s+/g, ' ') };
}

/** A root that describes the box: eth0 static 192.0.2.10/24 via 192.0.2.1, DNS 192.0.2.1. */
function boxRoot(parent: string): string {
  const root = mkdtempSync(join(parent, 'root-'));
  mkdirSync(join(root, 'etc/sysconfig/network-scripts'), { recursive: true });
  writeFileSync(join(root, 'etc/sysconfig/network-scripts/ifcfg-eth0'),
    'DEVICE=eth0\nNAME="System eth0"\nTYPE=Ethernet\nONBOOT=yes\nBOOTPROTO=none\nIPADDR=192.0.2.10\nPREFIX=24\nGATEWAY=192.0.2.1\nDEFROUTE=yes\nIPV6INIT=no\n');
  writeFileSync(join(root, 'etc/resolv.conf'), 'nameserver 192.0.2.1\n');
  writeFileSync(join(root, 'etc/hostname'), 'box.example.com\n');
  return root;
}

/** Bundles src/cli.ts into <dir>/ttyconf.mjs (inside the project, so node_modules resolve). */
async function buildCli(): Promise<string> {
  const esbuild = await import('esbuild');
  mkdirSync(join(PROJECT, 'node_modules', '.cache'), { recursive: true });
  const dir = mkdtempSync(join(PROJECT, 'node_modules', '.cache', 'ttyconf-system-test-'));
  const out = join(dir, 'ttyconf.mjs');
  await esbuild.build({
    stdin: { contents: "import { main } from './src/cli.ts';\nmain(process.argv.slice(2)).then((c) => { process.exitCode = c; });\n", resolveDir: PROJECT, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: out,
    logLevel: 'error',
  });
  return out;
}

/** What a run of ttyconf inside a namespace ended with. */
export interface Ran {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/** The part of a namespace test file that is the same in each: ttyconf built once, a temp folder for the roots, pairs made and destroyed. */
export interface NetnsSuite {
  /** A new pair of namespaces, destroyed after the file. */
  pair(): Pair;
  /** A new root describing the box (see boxRoot). */
  root(): string;
  /** Runs ttyconf inside `box` to its end (`uts`: in a UTS namespace of its own) with `input` on stdin. */
  inBox(box: string, args: string[], input?: string, opts?: { uts?: boolean }): Ran;
  /** Starts ttyconf inside `box` and returns at once. */
  spawnInBox(box: string, args: string[], opts?: SpawnOptions): ChildProcess;
}

/**
 * Registers the before/after hooks of a namespace test file; call it at the top of its describe.
 * `timeouts` is TTYCONF_TIMEOUTS: short waits keep the suite fast, nothing asserts how long anything took.
 */
export function netnsSuite(tmpPrefix: string, timeouts: string): NetnsSuite {
  const env = { ...process.env, TTYCONF_TIMEOUTS: timeouts };
  const pairs: Pair[] = [];
  let cli = '';
  let tmp = '';
  beforeAll(async () => {
    cli = await buildCli();
    tmp = mkdtempSync(join(tmpdir(), tmpPrefix));
  }, 60_000);
  afterAll(() => {
    for (const p of pairs) p.destroy();
    if (cli) rmSync(dirname(cli), { recursive: true, force: true });
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });
  return {
    pair: () => {
      const p = makePair();
      pairs.push(p);
      return p;
    },
    root: () => boxRoot(tmp),
    inBox: (box, args, input = '', opts = {}) => {
      const argv = ['netns', 'exec', box, ...(opts.uts ? ['unshare', '--uts'] : []), process.execPath, cli, ...args];
      const r = spawnSync('ip', argv, { input, encoding: 'utf8', env, timeout: 60_000 });
      return { code: r.status, out: r.stdout, err: r.stderr };
    },
    spawnInBox: (box, args, opts = {}) => spawn('ip', ['netns', 'exec', box, process.execPath, cli, ...args], { env, ...opts }),
  };
}
