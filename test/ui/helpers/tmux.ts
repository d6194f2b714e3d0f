// Layer 3 of the UI tests: the built program in a real terminal (tmux), typed at and read back with
// `capture-pane` as a user sees it. Every test file gets its own tmux server (-L), never the user's.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PROJECT = fileURLToPath(new URL('../../../', import.meta.url));

export function haveTmux(): boolean {
  return spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
}

/** dist/ holds the compiled program (npm ci runs `prepare`); build it when missing. */
export function ensureBuilt(): void {
  if (!existsSync(`${PROJECT}dist/cli.js`)) execFileSync('npm', ['run', '-s', 'build:tsc'], { cwd: PROJECT, stdio: 'ignore' });
}

export class TmuxScreen {
  private static servers = 0;
  readonly socket: string;

  constructor(readonly name = 'ui') {
    this.socket = `ttyconf-uitest-${process.pid}-${TmuxScreen.servers++}`;
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** Runs `shellCommand` in a new session of the given size; it ends with "EXIT=<status>" on screen. */
  start(shellCommand: string, opts: { cols: number; rows: number; env?: Record<string, string> }): void {
    const env = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}='${v}'`).join(' ');
    // stderr stays on the terminal, as on a console started by hand: nothing may scribble on the UI.
    const cmd = `env -u TMUX ${env} ${shellCommand}; echo EXIT=$?; sleep 600`;
    this.tmux('new-session', '-d', '-s', this.name, '-x', String(opts.cols), '-y', String(opts.rows), cmd);
  }

  text(): string {
    return this.tmux('capture-pane', '-p', '-t', this.name);
  }

  /** With attributes (SGR): shows inverse and bold. */
  attrs(): string {
    return this.tmux('capture-pane', '-p', '-e', '-t', this.name);
  }

  lines(): string[] {
    return this.text().split('\n');
  }

  /** The screen as one line of words, for text that may wrap. */
  flat(): string {
    return this.lines().map((l) => l.replace(/^[|\u2502]|[|\u2502]\s*$/g, '')).join(' ').replace(/\s+/g, ' ');
  }

  async waitFor(what: string | RegExp | ((screen: string) => boolean), timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const t = this.text();
      if (typeof what === 'string' ? t.includes(what) : typeof what === 'function' ? what(t) : what.test(t)) return t;
      if (Date.now() > deadline) throw new Error(`screen never showed ${String(what)}; it shows:\n${t}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Named tmux keys (Enter, Escape, Tab, BTab, Down, C-u...), one at a time. */
  async keys(...keys: string[]): Promise<void> {
    for (const k of keys) {
      this.tmux('send-keys', '-t', this.name, k);
      await new Promise((r) => setTimeout(r, 40));
    }
  }

  /**
   * Answers a question (the review): it ignores keys for its first half second, so a person must
   * have seen it; a key sent at once would be dropped as typed ahead.
   */
  async answer(...keys: string[]): Promise<void> {
    await new Promise((r) => setTimeout(r, 700));
    await this.keys(...keys);
  }

  /** Literal text, one character at a time (as a serial line delivers it). */
  async type(text: string): Promise<void> {
    for (const ch of text) {
      this.tmux('send-keys', '-t', this.name, '-l', ch);
      await new Promise((r) => setTimeout(r, 15));
    }
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { stdio: 'ignore' });
  }
}
