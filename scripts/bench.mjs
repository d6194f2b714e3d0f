#!/usr/bin/env node
// npm run bench [-- --runs N]: start-up, key-to-redraw and memory of the console UI, side by side
// with bare `node -e`, `dialog --menu` and `whiptail --menu` measured the same way in the same run.
// Figures and verdict lines only, never pass/fail exit codes.
//
// It builds what it measures first (`npm run build:tsc` for dist/, scripts/build.mjs for the bundle);
// BENCH_NO_BUILD=1 measures what is there and says what is missing.
// Environment: BENCH_RUNS (default 20, the fewest that give a stable median), BENCH_CASES (comma-separated
// substrings of case names to keep, e.g. "bare,bundle"), BENCH_EXTRA ("label=/path/to/entry.cjs,...":
// more ttyconf entries measured like the bundle, to compare variants in one run), BENCH_LANG (the
// locale of every case; default C.UTF-8), BENCH_INSTRUCTIONS (N: also count with valgrind the
// instructions to the first screen, median of N starts; a figure the machine's load hardly moves).
// Each case runs with only PATH, LANG and TERM=linux.
//
// Method: every case runs in a detached tmux session
// of 80x25 at TERM=linux behind a gate (a shell that writes its PID, waits on a FIFO, then execs the
// program), so the clock starts right before the program does. The screen is polled with
// `capture-pane` every 2 ms until a text only the finished screen holds appears. Key-to-redraw: send
// a key, poll `capture-pane -e` (attributes too, so a moved highlight counts) until the screen
// differs. Memory: VmHWM from /proc/PID/status at rest (400 ms after the first screen, before a key) and at the end. One warm-up, then the cases
// run interleaved (A B C, A B C, ...); medians and min-max; ratios only within one run.
// The polling goes through one tmux control-mode client (`tmux -C`) instead of a new tmux process
// per poll: on a 2-core machine a fork+exec every 2 ms steals the CPU the measured program needs.
// Everything runs on a private tmux server (-L), never the user's.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const project = join(here, '..');
const argRuns = process.argv.indexOf('--runs');
const RUNS = Math.max(1, Math.floor(Number(argRuns > 0 ? process.argv[argRuns + 1] : process.env.BENCH_RUNS) || 20));
const COLS = 80;
const ROWS = 25;
const TIMEOUT_MS = 15_000;
const SOCKET = `ttyconf-bench-${process.pid}`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** One tmux control-mode client: commands in, `%begin ... %end` blocks out, in order. */
class Control {
  constructor() {
    this.queue = [];
    this.buf = '';
    this.block = null;
    this.proc = spawn('tmux', ['-L', SOCKET, '-C', 'new-session', '-s', 'bench-control', '-x', '20', '-y', '5', 'sleep 100000'], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    this.skip = 1; // the block answering the control client's own new-session
    this.proc.stdout.setEncoding('utf8');
    this.proc.stdout.on('data', (d) => this.data(d));
  }

  data(d) {
    this.buf += d;
    let nl;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const l = this.buf.slice(0, nl);
      this.buf = this.buf.slice(nl + 1);
      if (this.block === null) {
        if (l.startsWith('%begin ')) this.block = [];
      } else if (l.startsWith('%end ') || l.startsWith('%error ')) {
        const lines = this.block;
        this.block = null;
        if (this.skip > 0) {
          this.skip--;
          continue;
        }
        const waiter = this.queue.shift();
        if (waiter && l.startsWith('%error ')) waiter.reject(new Error(lines.join('\n')));
        else if (waiter) waiter.resolve(lines.join('\n'));
      } else this.block.push(l);
    }
  }

  cmd(...words) {
    const line = words.map((w) => (/^[\w@%./:=,-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
    return new Promise((resolve, reject) => {
      this.queue.push({ resolve, reject });
      this.proc.stdin.write(line + '\n');
    });
  }

  close() {
    this.proc.stdin.end();
    spawnSync('tmux', ['-L', SOCKET, 'kill-server'], { stdio: 'ignore' });
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const work = mkdtempSync(join(tmpdir(), 'ttyconf-bench-'));
const treeTemplate = join(project, 'demo', 'centos7');

async function waitFor(ctl, s, test, attrs) {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const screen = await ctl.cmd('capture-pane', '-p', ...(attrs ? ['-e'] : []), '-t', s);
    if (test(screen)) return screen;
    if (Date.now() > deadline) throw new Error('timed out waiting for the screen');
    await sleep(2);
  }
}

const IDLE_MS = 400;

/**
 * Every case runs in the environment a console service gets from systemd (PATH, LANG from
 * locale.conf, TERM), not the caller's: variables such as NODE_EXTRA_CA_CERTS or NODE_OPTIONS
 * change Node's memory and start-up (NODE_EXTRA_CA_CERTS alone: +1.9 MB). LANG is a UTF-8 locale,
 * as CentOS/RHEL install it; BENCH_LANG overrides it (BENCH_LANG= : no LANG at all, as a service on
 * a machine without locale.conf; BENCH_LANG=C: a locale without UTF-8, where ttyconf's
 * first screen waits for blessed, see src/ui/firstPaint.ts).
 */
const SERVICE_ENV = [
  `PATH=${shq(process.env.PATH ?? '/usr/bin:/bin')}`,
  ...(process.env.BENCH_LANG === '' ? [] : [`LANG=${shq(process.env.BENCH_LANG ?? 'C.UTF-8')}`]),
  'TERM=linux',
].join(' ');

function shq(v) {
  return `'${v.replace(/'/g, `'\\''`)}'`;
}

function hwmKb(pid) {
  const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : null;
}

/** One start of one case: time to the finished first screen, key-to-redraw samples, VmHWM. */
async function runOnce(ctl, c, n) {
  const s = `case-${n}`;
  const pidFile = join(work, `${s}.pid`);
  const fifo = join(work, `${s}.fifo`);
  execFileSync('mkfifo', [fifo]);
  const setup = c.setup ? c.setup(n) : {};
  const argv = c.argv(setup).map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const gateFile = join(work, `${s}.sh`);
  writeFileSync(gateFile, `echo $$ > '${pidFile}'; read _ < '${fifo}'; exec env -i ${SERVICE_ENV} ${argv}\n`);
  await ctl.cmd('new-session', '-d', '-s', s, '-x', String(COLS), '-y', String(ROWS), `sh ${gateFile}`);
  const result = { start: null, firstKey: null, keys: [], idleKb: null, hwmKb: null, error: null };
  try {
    const deadline = Date.now() + TIMEOUT_MS;
    while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8').trim() === '') {
      if (Date.now() > deadline) throw new Error('the gate did not start');
      await sleep(1);
    }
    const pid = readFileSync(pidFile, 'utf8').trim();
    const t0 = now();
    writeFileSync(fifo, 'go\n');
    await waitFor(ctl, s, (screen) => screen.includes(c.ready));
    result.start = now() - t0;
    // The console at rest: what it holds once the work after the first paint is done, before a key.
    await sleep(IDLE_MS);
    result.idleKb = hwmKb(pid);
    if (c.keyPrep) {
      // The first key: blessed, which the first screen is drawn without, must be ready for it (the
      // console loads it when idle, 100 ms after the first screen).
      const t2 = now();
      for (const k of c.keyPrep.keys) await ctl.cmd('send-keys', '-t', s, k);
      await waitFor(ctl, s, (screen) => screen.includes(c.keyPrep.wait));
      result.firstKey = now() - t2;
    }
    if (c.key) {
      // Down, Up, Down: every key moves the highlight, also in menus that do not wrap around.
      for (const key of [c.key, c.keyBack, c.key]) {
        await sleep(30);
        const before = await ctl.cmd('capture-pane', '-p', '-e', '-t', s);
        const t1 = now();
        await ctl.cmd('send-keys', '-t', s, key);
        await waitFor(ctl, s, (screen) => screen !== before, true);
        result.keys.push(now() - t1);
      }
    }
    result.hwmKb = hwmKb(pid);
  } catch (e) {
    result.error = e.message;
  } finally {
    await ctl.cmd('kill-session', '-t', s).catch(() => undefined);
    rmSync(fifo, { force: true });
    rmSync(pidFile, { force: true });
    rmSync(gateFile, { force: true });
    if (setup.dir) rmSync(setup.dir, { recursive: true, force: true });
  }
  return result;
}

const node = process.execPath;
const SCREEN = 'Interfaces, addresses, gateway, DNS\\nREADY';
const MENU = ['--menu', 'Choose what to set up:', '15', '50', '4', 'N', 'Network interfaces', 'D', 'DNS', 'H', 'Hostname'];
const ttyconfCase = (name, entry, nodeFlags = []) => ({
  name,
  setup: (n) => {
    const dir = join(work, `tree-${n}`);
    cpSync(treeTemplate, dir, { recursive: true });
    return { dir };
  },
  argv: ({ dir }) => [node, ...nodeFlags, entry, 'ui', '--root', dir],
  // The key help line is the last row drawn; the status data comes first in the same write.
  ready: 'Ctrl-L Redraw',
  keyPrep: { keys: ['Enter'], wait: 'Choose what to set up' },
  key: 'Down',
  keyBack: 'Up',
});
/**
 * @typedef {{ name: string, argv: (ctx: any) => string[], ready: string, setup?: (n: number) => { dir?: string },
 *   key?: string, keyBack?: string, keyPrep?: { keys: string[], wait: string }, need?: string, dist?: boolean,
 *   bundle?: boolean, bundleOnRoot?: boolean, extra?: string }} BenchCase
 */
/** @type {BenchCase[]} */
const cases = [
  { name: 'sh printf (harness)', argv: () => ['sh', '-c', `printf '${SCREEN}\\n'; exec sleep 600`], ready: 'READY' },
  { name: 'bare node -e', argv: () => [node, '-e', `process.stdout.write('${SCREEN}\\n'); setTimeout(() => {}, 600000)`], ready: 'READY' },
  { name: 'dialog --menu', need: 'dialog', argv: () => ['dialog', ...MENU], ready: '<Cancel>', key: 'Down', keyBack: 'Up' },
  { name: 'whiptail --menu', need: 'whiptail', argv: () => ['whiptail', ...MENU], ready: '<Cancel>', key: 'Down', keyBack: 'Up' },
  { ...ttyconfCase('ttyconf ui (dist, tsc)', join(project, 'bin', 'ttyconf.js')), dist: true },
  { ...ttyconfCase('ttyconf ui (bundle)', join(project, 'build', 'ttyconf.cjs')), bundle: true },
  // The same on this machine's own root, as the console runs: the live state comes from its kernel
  // (only reads before the first key; nothing is written).
  {
    ...ttyconfCase('ttyconf ui (bundle, on /)', join(project, 'build', 'ttyconf.cjs')),
    setup: () => ({}),
    argv: () => [node, join(project, 'build', 'ttyconf.cjs'), 'ui'],
    bundleOnRoot: true,
  },
  ...(process.env.BENCH_EXTRA ?? '').split(',').filter(Boolean).map((spec) => {
    const eq = spec.indexOf('=');
    const [label, rest] = eq > 0 ? [spec.slice(0, eq), spec.slice(eq + 1)] : [spec, spec];
    const [path, ...flags] = rest.split(' ');
    return { ...ttyconfCase(`ttyconf ui (${label})`, path, flags), extra: path };
  }),
];

/** The start-up targets: the console's (the stricter) and the first UI's, both reported from the same run. */
const TARGETS = [
  { name: 'console', ratio: 1.25, keyMs: 10, rssMb: 50 },
  { name: 'first UI', ratio: 1.6, keyMs: 10, rssMb: 60 },
];

/**
 * BENCH_INSTRUCTIONS=N: the instructions each start executes up to its first screen, counted by
 * valgrind's callgrind (median of N starts per case). Unlike the times, the count hardly moves with
 * the machine's load or speed, so two builds compare on any machine. Each start runs as the timed
 * ones do (a tmux session of 80x25, the service environment); a preloaded hook ends ttyconf right
 * after its first write to the terminal, and bare node ends in its write's callback.
 */
async function countInstructions(ctl, active, runs) {
  const hook = join(work, 'exit-at-first-write.cjs');
  writeFileSync(
    hook,
    "const fs = require('fs');\nconst write = fs.writeSync;\n" +
      'fs.writeSync = function (fd, ...rest) { const r = write.call(this, fd, ...rest); if (fd === 1) process.reallyExit(0); return r; };\n',
  );
  const counted = active.filter((c) => c.name === 'bare node -e' || c.bundle || c.bundleOnRoot || c.extra);
  const counts = new Map(counted.map((c) => [c.name, []]));
  let n = 0;
  for (let run = 0; run < runs; run++) {
    for (const c of counted) {
      const s = `count-${n++}`;
      const setup = c.setup ? c.setup(s) : {};
      const log = join(work, `${s}.log`);
      const argv = c.name === 'bare node -e'
        ? [node, '-e', `process.stdout.write('${SCREEN}\\n', () => process.reallyExit(0))`]
        : ((a) => [a[0], '-r', hook, ...a.slice(1)])(c.argv(setup));
      const cmd = `exec env -i ${SERVICE_ENV} valgrind --tool=callgrind --callgrind-out-file=/dev/null --log-file=${shq(log)} ${argv.map(shq).join(' ')}`;
      await ctl.cmd('new-session', '-d', '-s', s, '-x', String(COLS), '-y', String(ROWS), cmd);
      try {
        const deadline = Date.now() + 10 * TIMEOUT_MS;
        for (;;) {
          const m = existsSync(log) ? /Collected : (\d+)/.exec(readFileSync(log, 'utf8')) : null;
          if (m) {
            counts.get(c.name).push(Number(m[1]) / 1e6);
            break;
          }
          if (Date.now() > deadline) {
            console.log(`bench: ${c.name}: no instruction count within ${(10 * TIMEOUT_MS) / 1000} s`);
            break;
          }
          await sleep(50);
        }
      } finally {
        await ctl.cmd('kill-session', '-t', s).catch(() => undefined);
        if (setup.dir) rmSync(setup.dir, { recursive: true, force: true });
      }
    }
    process.stderr.write(`bench: instructions, run ${run + 1}/${runs}\n`);
  }
  return counts;
}

function printInstructions(counts, runs) {
  const bare = counts.get('bare node -e') ?? [];
  const bareMedian = bare.length ? median(bare) : null;
  const rows = [['case', 'instructions to the first screen (M)', 'x bare node']];
  for (const [name, xs] of counts) {
    const m = xs.length ? median(xs) : null;
    rows.push([name, m === null ? '-' : `${m.toFixed(1)} (${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)})`, m !== null && bareMedian ? (m / bareMedian).toFixed(2) : '-']);
  }
  const widths = rows[0].map((_, k) => Math.max(...rows.map((r) => r[k].length)));
  console.log('');
  for (const r of rows) console.log(r.map((v, k) => v.padEnd(widths[k])).join('  '));
  console.log(`Instructions: valgrind --tool=callgrind, median (min-max) of ${runs} starts, up to the first write of the screen.`);
}

/** dist/ and the bundle, built from the tree as it is now (a stale build would measure old code). */
function build() {
  if (process.env.BENCH_NO_BUILD === '1') return;
  /** @type {[string, string[]][]} */
  const steps = [['dist/ (npm run build:tsc)', ['run', '-s', 'build:tsc']], ['build/ttyconf.cjs (npm run build)', ['run', '-s', 'build', '--', '--quiet']]];
  for (const [what, args] of steps) {
    process.stderr.write(`bench: building ${what}\n`);
    const r = spawnSync('npm', args, { cwd: project, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) console.log(`bench: building ${what} FAILED (exit ${r.status}): its case measures what is on disk, if anything`);
  }
}

async function main() {
  if (!has('tmux')) {
    console.error('bench: tmux is not installed (apt-get install -y tmux); nothing measured.');
    process.exitCode = 1;
    return;
  }
  build();
  const only = (process.env.BENCH_CASES ?? '').split(',').filter(Boolean);
  const active = [];
  for (const c of cases) {
    if (only.length && !c.extra && !only.some((o) => c.name.includes(o))) continue;
    if (c.dist && !existsSync(join(project, 'dist', 'cli.js'))) {
      console.log(`bench: dist/ is missing: "${c.name}" is skipped (npm run build:tsc).`);
    } else if (c.extra && !existsSync(c.extra)) {
      console.log(`bench: ${c.extra} is missing: "${c.name}" is skipped.`);
    } else if (c.need && !has(c.need)) {
      console.log(`bench: ${c.need} is NOT installed: "${c.name}" is skipped (apt-get update; apt-get install -y dialog whiptail).`);
    } else if ((c.bundle || c.bundleOnRoot) && !existsSync(join(project, 'build', 'ttyconf.cjs'))) {
      console.log(`bench: build/ttyconf.cjs is missing: "${c.name}" is skipped (npm run build).`);
    } else active.push(c);
  }
  console.log(`bench: ${RUNS} runs per case after one warm-up, interleaved; ${COLS}x${ROWS}, TERM=linux, node ${process.version}${RUNS < 20 ? ' (FEWER than the 20 runs a stable median needs)' : ''}`);
  const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`bench: ${cpus().length} CPUs, load average ${load()} at the start (figures taken on a busy machine are not comparable)`);
  const ctl = new Control();
  const samples = new Map(active.map((c) => [c.name, { start: [], firstKey: [], keys: [], idle: [], hwm: [], errors: [] }]));
  const instructionRuns = Math.floor(Number(process.env.BENCH_INSTRUCTIONS) || 0);
  if (instructionRuns > 0 && !has('valgrind')) console.log('bench: valgrind is NOT installed: no instruction counts (apt-get install -y valgrind).');
  let instructions = null;
  let n = 0;
  try {
    for (let run = 0; run <= RUNS; run++) {
      for (const c of active) {
        const r = await runOnce(ctl, c, n++);
        if (run === 0) continue;
        const s = samples.get(c.name);
        if (r.error) s.errors.push(r.error);
        else {
          s.start.push(r.start);
          if (r.firstKey !== null) s.firstKey.push(r.firstKey);
          if (r.keys.length) s.keys.push(median(r.keys));
        }
        if (r.idleKb !== null) s.idle.push(r.idleKb / 1024);
        if (r.hwmKb !== null) s.hwm.push(r.hwmKb / 1024);
      }
      process.stderr.write(run === 0 ? 'bench: warm-up done\n' : `bench: run ${run}/${RUNS}\n`);
    }
    if (instructionRuns > 0 && has('valgrind')) instructions = await countInstructions(ctl, active, instructionRuns);
  } finally {
    ctl.close();
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`bench: load average ${load()} at the end`);
  const bare = samples.get('bare node -e');
  const bareMedian = bare && bare.start.length ? median(bare.start) : null;
  const fmt = (xs, digits = 1) => (xs.length ? `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)})` : '-');
  const rows = [['case', 'first screen ms', 'x bare node', 'first key ms', 'key-to-redraw ms', 'RSS at rest MB', 'peak RSS MB']];
  for (const c of active) {
    const s = samples.get(c.name);
    const ratio = bareMedian && s.start.length ? (median(s.start) / bareMedian).toFixed(2) : '-';
    rows.push([c.name, fmt(s.start), ratio, s.firstKey.length ? fmt(s.firstKey) : '-', c.key ? fmt(s.keys) : '-', fmt(s.idle), fmt(s.hwm)]);
  }
  const widths = rows[0].map((_, k) => Math.max(...rows.map((r) => r[k].length)));
  console.log('');
  for (const r of rows) console.log(r.map((v, k) => v.padEnd(widths[k])).join('  '));
  console.log('');
  console.log('Medians (min-max). x bare node: ratio of medians within this run.');
  console.log(`First key: Enter on the status screen ${IDLE_MS} ms after it appeared, until the menu is drawn. Key-to-redraw: Down/Up/Down in the menu, per-run median; both include one send-keys round trip.`);
  console.log(`RSS at rest: VmHWM ${IDLE_MS} ms after the first screen, before any key (an idle console). Peak RSS: VmHWM at the end, after the keys.`);
  const bundle = active.find((c) => c.bundle);
  const bs = bundle && samples.get(bundle.name);
  if (!bs || !bs.start.length || !bareMedian) {
    console.log('Verdict: not measured (the bundle or bare node has no successful run).');
  } else {
    const ratio = median(bs.start) / bareMedian;
    const key = bs.keys.length ? median(bs.keys) : null;
    const firstKey = bs.firstKey.length ? median(bs.firstKey) : null;
    const rss = bs.hwm.length ? median(bs.hwm) : null;
    const rssMax = bs.hwm.length ? Math.max(...bs.hwm) : null;
    const rest = bs.idle.length ? median(bs.idle) : null;
    for (const t of TARGETS) {
      const met = (ok) => (ok === null ? 'not measured' : ok ? 'met' : 'NOT met');
      console.log(
        `Verdict, ${t.name} targets (bundle): first screen ${median(bs.start).toFixed(1)} ms = ${ratio.toFixed(2)}x bare node ${bareMedian.toFixed(1)} ms ` +
          `(target <= ${t.ratio}x: ${met(ratio <= t.ratio)}); first key ${firstKey === null ? '-' : firstKey.toFixed(1)} ms (<= ${t.keyMs}: ${met(firstKey === null ? null : firstKey <= t.keyMs)}); ` +
          `key-to-redraw ${key === null ? '-' : key.toFixed(1)} ms (<= ${t.keyMs}: ${met(key === null ? null : key <= t.keyMs)}); ` +
          `peak RSS ${rss === null ? '-' : rss.toFixed(1)} MB, max ${rssMax === null ? '-' : rssMax.toFixed(1)} (<= ${t.rssMb}: ${met(rss === null ? null : rss <= t.rssMb)}; ` +
          `at rest before a key ${rest === null ? '-' : rest.toFixed(1)} MB: ${met(rest === null ? null : rest <= t.rssMb)}).`,
      );
    }
  }
  if (instructions) printInstructions(instructions, instructionRuns);
  for (const c of active) {
    const s = samples.get(c.name);
    if (s.errors.length) console.log(`${c.name}: ${s.errors.length} failed run(s): ${[...new Set(s.errors)].join('; ')}`);
  }
}

await main();
