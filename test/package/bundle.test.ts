// The bundle as a vendor runs it: one file copied into an empty directory (no node_modules, no
// blessed usr/ files anywhere near), started with plain node, and its UI on every kind of TERM.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USAGE } from '../../src/cli.js';
import { cli } from '../helpers/cli.js';
import { type BuildReport, Tmux, buildBundle, hasCommand, packageJson, projectRoot, serviceEnv } from './harness.js';

const TERMS = ['linux', 'vt220', 'xterm-256color', 'dumb-unknown-xyz'] as const;
const tmuxMissing = hasCommand('tmux') ? null : 'tmux is not installed (apt-get install tmux; .ci/run installs it)';

let dir: string; // holds only the copied bundle and demo trees
let bundle: string;
let report: BuildReport;
const temps: string[] = [];

function temp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}

/** A fresh copy of demo/centos7 inside the run directory. */
function demoCopy(): string {
  const root = mkdtempSync(join(dir, 'root-'));
  cpSync(join(projectRoot, 'demo', 'centos7'), root, { recursive: true });
  return root;
}

function run(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [bundle, ...args], { cwd: dir, encoding: 'utf8', env: serviceEnv('dumb', dir) });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  const buildDir = temp('ttyconf-build-');
  report = buildBundle(join(buildDir, 'ttyconf.cjs'));
  dir = temp('ttyconf-run-');
  bundle = join(dir, 'ttyconf.cjs');
  copyFileSync(report.outfile, bundle);
  chmodSync(bundle, statSync(report.outfile).mode & 0o777);
}, 120_000);

afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

describe('the bundle file', () => {
  it('runs from a directory where node finds no node_modules', () => {
    const req = createRequire(join(dir, 'probe.js'));
    for (const dep of ['blessed', 'execa', 'ini', 'unixcrypt']) expect(() => req.resolve(dep), dep).toThrow();
  });

  it('is one executable CommonJS file with a node shebang', () => {
    const text = readFileSync(bundle, 'utf8');
    expect(text.split('\n', 1)[0]).toBe('#!/usr/bin/env node');
    expect(statSync(bundle).mode & 0o111).toBe(0o111);
    expect(report.bytes).toBe(Buffer.byteLength(text));
    expect(report.version).toBe(packageJson.version);
  });

  it('requires nothing at run time but node built-ins, its own parts (and the never-loaded Terminal widget deps)', () => {
    const text = readFileSync(bundle, 'utf8');
    const required = new Set([...text.matchAll(/\brequire\((["'])([^"']+)\1\)/g)].map((m) => m[2]!));
    const foreign = [...required].filter((m) => !isBuiltin(m) && m !== 'term.js' && m !== 'pty.js' && !/^\.\/part-[A-Z0-9]+\.js$/.test(m));
    expect(foreign).toEqual([]);
  });

  it('leaves out of the start-up script what only later commands and screens use', () => {
    for (const m of ['src/ui/main.ts', 'src/commands/console.ts']) expect(report.dynamicImports).toContain(m);
    expect(report.lazyModules).toBeGreaterThan(0);
    expect(report.startupParts.parts).toBeGreaterThan(0);
    expect(report.lazyParts.parts).toBeGreaterThan(0);
    // What only later commands and screens run is at least a third of the program (ES module bytes).
    expect(report.lazyParts.bytes).toBeGreaterThan(report.startupParts.bytes / 2);
    // The exports objects that only later parts read are made when one first does (the build
    // fails if esbuild's output has an object it cannot rewrite); the commands below load later
    // parts that read them.
    expect(report.exportObjectsOnFirstUse).toBeGreaterThan(report.startupParts.parts / 2);
  });

  it('carries the licence of every bundled package', () => {
    const licences = readFileSync(report.outfile.replace(/\.cjs$/, '.licenses.txt'), 'utf8');
    for (const p of report.packages) expect(licences).toContain(`${p.name} ${p.version} (${p.license})`);
    expect(report.packages.map((p) => p.name)).toEqual(expect.arrayContaining(['blessed', 'execa']));
  });
});

describe('the bundle on the command line', () => {
  it('--version prints the package version without reading package.json', () => {
    expect(run('--version')).toEqual({ code: 0, out: `ttyconf ${packageJson.version}\n`, err: '' });
  });

  it('runs through its shebang with the node on PATH', () => {
    const r = spawnSync(bundle, ['--version'], { cwd: dir, encoding: 'utf8', env: serviceEnv('dumb', dir) });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`ttyconf ${packageJson.version}\n`);
  });

  it('--help prints the usage', () => {
    expect(run('--help')).toEqual({ code: 0, out: USAGE, err: '' });
  });

  it('show --root prints the demo machine exactly as the unbundled CLI does', async () => {
    const root = demoCopy();
    const bundled = run('show', '--root', root);
    expect(bundled.code).toBe(0);
    for (const s of ['eth0', 'eth1', 'localhost.localdomain']) expect(bundled.out).toContain(s);
    const direct = await cli('show', '--root', root);
    expect(bundled.out).toBe(direct.out);
    const json = JSON.parse(run('show', '--json', '--root', root).out) as { version: number; interfaces: { name: string }[] };
    expect(json.version).toBe(1);
    expect(json.interfaces.map((i) => i.name)).toEqual(expect.arrayContaining(['eth0', 'eth1']));
  });

  it('set writes the files (atomic commit, backup) and reports invalid input with exit 2', () => {
    const root = demoCopy();
    const ok = run('set', 'hostname', 'node1.example.com', '--no-apply', '--root', root);
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    expect(readFileSync(join(root, 'etc', 'hostname'), 'utf8')).toBe('node1.example.com\n');
    expect(statSync(join(root, 'var', 'lib', 'ttyconf', 'backups')).isDirectory()).toBe(true);

    const bad = run('set', 'ip', 'eth0', 'static', '192.0.2.0/24', '--no-apply', '--root', root);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('invalid address');
  });
});

describe.skipIf(tmuxMissing)(`blessed in the bundle, on every TERM${tmuxMissing ? ` (skipped: ${tmuxMissing})` : ''}`, () => {
  const tmux = new Tmux();
  let smoke: string;

  beforeAll(() => {
    const smokeDir = temp('ttyconf-smoke-');
    smoke = join(smokeDir, 'smoke.cjs');
    buildBundle(smoke, join(projectRoot, 'test', 'package', 'fixtures', 'blessed-smoke.ts'));
  }, 120_000);
  afterAll(() => tmux.kill());

  // blessed's index (all widgets through widget.js) and its fallback terminfo files, which the
  // bundle embeds: an unknown TERM and an unparsable xterm-256color entry both need them.
  it.each(TERMS)('loads every widget and draws a box at TERM=%s', async (term) => {
    const name = `smoke-${term}`;
    tmux.start(name, [process.execPath, smoke], serviceEnv(term, dir), dir);
    const { screen, exited } = await tmux.waitFor(name, (s) => s.includes('SMOKE-OK'));
    expect(exited, screen).toBeNull();
    expect(screen).toMatch(/SMOKE-OK widgets=3\d/);
    expect(screen).toMatch(/terminfo=(system|internal)/);
    tmux.sendKeys(name, 'q');
    const end = await tmux.waitFor(name, () => false, 10_000);
    expect(end.exited, end.screen).toBe(0);
  });

  // The first screen is drawn before blessed loads (src/ui/firstPaint.ts); blessed takes the terminal
  // when the console is idle (or on the first key) and draws everything again: the terminal must show
  // the same cells, attributes too, then and whenever blessed draws the status screen.
  it.each([
    ['linux', 'C.UTF-8'],
    ['linux', ''],
    ['vt220', ''],
  ])('TERM=%s LANG=%s: blessed redraws exactly the first screen', async (term, lang) => {
    const name = `same-${term}-${lang || 'none'}`.replace(/[^A-Za-z0-9-]/g, '');
    const env = { ...serviceEnv(term, dir), ...(lang ? { LANG: lang } : {}) };
    tmux.start(name, [process.execPath, bundle, '--root', demoCopy()], env, dir);
    // The login's line is on the first paint already (the settings say whether a login is needed).
    const { screen, exited } = await tmux.waitFor(name, (s) => s.includes('Redraw'));
    expect(exited).toBeNull();
    expect(screen).toContain('Not logged in');
    const clockless = (s: string): string => s.replace(/\d\d:\d\d/, 'HH:MM');
    const first = clockless(tmux.captureStyled(name));
    // At rest: the work after the first paint done, blessed loaded while the console was idle.
    expect(clockless(await tmux.waitSettled(name))).toBe(first);
    // Ctrl-L: blessed draws everything again. Enter: the menu, so blessed has the keyboard (a failed
    // hand-over would leave the same screen above). Escape: blessed draws the status screen over it.
    tmux.sendKeys(name, 'C-l', 'Enter');
    const menu = await tmux.waitFor(name, (s) => s.includes('Choose what to set up'));
    expect(menu.exited).toBeNull();
    tmux.sendKeys(name, 'Escape');
    const back = await tmux.waitFor(name, (s) => s.includes('Redraw') && !s.includes('Choose what to set up'));
    expect(back.exited).toBeNull();
    expect(clockless(await tmux.waitSettled(name))).toBe(first);
  });

  it('keys typed while blessed loads are all handled, in order', async () => {
    const name = 'typeahead';
    tmux.start(name, [process.execPath, bundle, '--root', demoCopy()], { ...serviceEnv('linux', dir), LANG: 'C.UTF-8' }, dir);
    await tmux.waitFor(name, (s) => s.includes('Redraw'));
    tmux.sendKeys(name, 'Enter', 'Down', 'Down');
    const { screen } = await tmux.waitFor(name, (s) => s.includes('Choose what to set up') && s.includes('> H  Hostname'));
    expect(screen).toContain('> H  Hostname');
  });

  // The product's UI: the status screen of the demo machine, as anyone at the console sees it.
  it.each(TERMS)('the UI shows the demo machine at TERM=%s', async (term) => {
    const name = `ui-${term}`;
    const root = demoCopy();
    tmux.start(name, [process.execPath, bundle, '--root', root], serviceEnv(term, dir), dir);
    const want = ['eth0', 'eth1', 'localhost.localdomain'];
    const { screen, exited } = await tmux.waitFor(name, (s) => want.every((w) => s.includes(w)), 30_000);
    expect(exited, `the UI exited:\n${screen}`).toBeNull();
    for (const w of want) expect(screen, screen).toContain(w);
    expect(screen).not.toMatch(/Error|at .*\.cjs:\d+/);
  });
});
