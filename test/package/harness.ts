// Shared by the packaging tests: build the bundle like `npm run build`, and drive programs in tmux.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const packageJson = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string; license: string };

/** What `node scripts/build.mjs --report FILE` writes. */
export interface BuildReport {
  readonly outfile: string;
  readonly bytes: number;
  readonly version: string;
  readonly dynamicImports: readonly string[];
  readonly lazyModules: number;
  /** The program's parts in the start-up script, and on the line of those compiled on first use. */
  readonly startupParts: { readonly parts: number; readonly bytes: number };
  readonly lazyParts: { readonly parts: number; readonly bytes: number };
  /** The start-up parts' exports objects that are made when first used, not at start-up. */
  readonly exportObjectsOnFirstUse: number;
  readonly packages: readonly { name: string; version: string; license: string }[];
  readonly licenses: readonly string[];
}

/** Runs scripts/build.mjs into `outfile` (a temp path: tests never race on build/). */
export function buildBundle(outfile: string, entry?: string): BuildReport {
  const report = join(mkdtempSync(join(tmpdir(), 'ttyconf-report-')), 'report.json');
  const args = ['scripts/build.mjs', '--outfile', outfile, '--report', report, '--quiet', ...(entry ? ['--entry', entry] : [])];
  const r = spawnSync(process.execPath, args, { cwd: projectRoot, encoding: 'utf8' });
  try {
    if (r.status !== 0) throw new Error(`scripts/build.mjs failed (${r.status}):\n${r.stdout}${r.stderr}`);
    return JSON.parse(readFileSync(report, 'utf8')) as BuildReport;
  } finally {
    rmSync(dirname(report), { recursive: true, force: true });
  }
}

export function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', name], { stdio: 'ignore' }).status === 0;
}

/** Like the environment of a systemd service: no LANG, no TMUX, a fixed PATH (plus this node's dir). */
export function serviceEnv(term: string, home: string): Record<string, string> {
  return {
    PATH: `${dirname(process.execPath)}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    HOME: home,
    TERM: term,
  };
}

/** A private tmux server (its own socket), so tests never touch anyone's tmux. */
export class Tmux {
  private readonly socket = `ttyconf-pkg-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private started = false;

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }

  /**
   * Starts argv in an 80x25 window with exactly `env`. A small sh wrapper prints "[exited N]" when the
   * program ends and keeps the pane, so the exit status and the last screen can be read (tmux's own
   * pane_dead_status is sometimes empty for a moment after the pane dies).
   */
  start(name: string, argv: readonly string[], env: Record<string, string>, cwd: string): void {
    const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    const wrapped = ['env', '-i', ...envArgs, 'sh', '-c', '"$@"; echo "[exited $?]"; exec sleep 86400', 'sh', ...argv];
    this.tmux('new-session', '-d', '-s', name, '-x', '80', '-y', '25', '-c', cwd, '--', ...wrapped);
    this.started = true;
  }

  capture(name: string): string {
    return this.tmux('capture-pane', '-p', '-t', name);
  }

  /** The screen with its attributes (bold, reverse) as escape sequences. */
  captureStyled(name: string): string {
    return this.tmux('capture-pane', '-p', '-e', '-t', name);
  }

  sendKeys(name: string, ...keys: string[]): void {
    this.tmux('send-keys', '-t', name, ...keys);
  }

  /** Polls the screen until `done` holds or the program exits; returns the last screen and the exit status (null: still running). */
  async waitFor(name: string, done: (screen: string) => boolean, timeoutMs = 20_000): Promise<{ screen: string; exited: number | null }> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.capture(name);
      const m = /\[exited (\d+)\]/.exec(screen);
      const exited = m ? Number(m[1]) : null;
      if (done(screen) || exited !== null || Date.now() > until) return { screen, exited };
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * The screen (attributes too) once it has not changed for `quietMs`: whatever the program draws
   * after an event has been drawn whole, whenever the load of the machine let it run.
   */
  async waitSettled(name: string, quietMs = 500, timeoutMs = 20_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    let last = this.captureStyled(name);
    let since = Date.now();
    for (;;) {
      await new Promise((r) => setTimeout(r, 50));
      const now = this.captureStyled(name);
      if (now !== last) {
        last = now;
        since = Date.now();
      } else if (Date.now() - since >= quietMs) return now;
      if (Date.now() > until) throw new Error(`the screen of ${name} did not settle within ${timeoutMs} ms:\n${now}`);
    }
  }

  kill(): void {
    if (!this.started) return;
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { stdio: 'ignore' });
    // tmux leaves the socket file behind.
    rmSync(join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${process.getuid?.() ?? 0}`, this.socket), { force: true });
    this.started = false;
  }
}
