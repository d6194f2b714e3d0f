// Layer 1 of the UI tests: the real App and blessed, on fake tty streams, drawn into @xterm/headless
// (a real terminal emulator without a display). The screen is read back as a user sees it.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import xterm from '@xterm/headless';
import { afterEach, beforeEach } from 'vitest';
import { openRoot } from '../../../src/core.js';
import { App } from '../../../src/ui/app.js';
import type { AppOptions } from '../../../src/ui/options.js';
import { Authenticator, memoryThrottleStore } from '../../../src/auth/login.js';
import type { AuthEvent } from '../../../src/auth/log.js';

/** The demo tree's root password (demo/centos7/etc/shadow). */
export const DEMO_PASSWORD = 'ttyconf';

export const DEMO = fileURLToPath(new URL('../../../demo/centos7', import.meta.url));

/** Terminals started and not yet stopped, and the trees made so far (see cleanUpAfterEach). */
const running = new Set<Headless>();
const trees: string[] = [];

/** `dir`, to be removed after the test that made it (in a file that calls cleanUpAfterEach). */
export function removedAfterTest(dir: string): string {
  trees.push(dir);
  return dir;
}

/** A temp copy of the demo tree (a CentOS 7 machine); removed after its test where the file calls cleanUpAfterEach. */
export function demoRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ttyconf-ui-'));
  cpSync(DEMO, dir, { recursive: true });
  return removedAfterTest(dir);
}

/**
 * After each test of the file (or describe) that calls it: every terminal the test started is stopped,
 * then every tree it made (demoRoot, removedAfterTest) is removed. Trees made in a beforeAll are left
 * to its afterAll.
 */
export function cleanUpAfterEach(): void {
  let first = 0;
  beforeEach(() => {
    first = trees.length;
  });
  afterEach(async () => {
    for (const h of [...running]) await h.stop();
    for (const dir of trees.splice(first)) rmSync(dir, { recursive: true, force: true });
  });
}

export const KEYS: Record<string, string> = {
  Enter: '\r',
  Escape: '\x1b',
  Tab: '\t',
  BTab: '\x1b[Z',
  Up: '\x1b[A',
  Down: '\x1b[B',
  Right: '\x1b[C',
  Left: '\x1b[D',
  Home: '\x1b[H',
  End: '\x1b[F',
  PageDown: '\x1b[6~',
  PageUp: '\x1b[5~',
  Backspace: '\x7f',
  Space: ' ',
  'C-c': '\x03',
  'C-l': '\x0c',
  'C-u': '\x15',
  F5: '\x1b[15~',
};

type FakeInput = PassThrough & { isTTY: boolean; isRaw: boolean; setRawMode(raw: boolean): FakeInput };
type FakeOutput = PassThrough & { isTTY: boolean; columns: number; rows: number };

export interface HeadlessOptions extends Partial<Omit<AppOptions, 'root' | 'input' | 'output' | 'terminal'>> {
  readonly cols?: number;
  readonly rows?: number;
  readonly terminal?: string;
  /** The tree to work on; a fresh copy of the demo tree by default. */
  readonly rootDir?: string;
  /** The clock of the login (idle lock, failure delays); Date.now by default. */
  readonly authNow?: () => number;
}

export class Headless {
  readonly term: InstanceType<typeof xterm.Terminal>;
  readonly input: FakeInput;
  readonly output: FakeOutput;
  readonly app: App;
  readonly rootDir: string;
  readonly errors: string[] = [];
  /** What the login logged (never a password). */
  readonly authLog: AuthEvent[] = [];
  exitCode: number | null = null;
  /** How many chunks the app has written to the terminal. */
  writes = 0;
  private readonly ownRoot: boolean;
  private pending = Promise.resolve();

  constructor(opts: HeadlessOptions = {}) {
    const cols = opts.cols ?? 80;
    const rows = opts.rows ?? 24;
    this.ownRoot = !opts.rootDir;
    this.rootDir = opts.rootDir ?? demoRoot();
    this.term = new xterm.Terminal({ cols: cols || 80, rows: rows || 24, allowProposedApi: true });
    const input = new PassThrough() as FakeInput;
    input.isTTY = true;
    input.isRaw = false;
    input.setRawMode = (raw: boolean) => {
      input.isRaw = raw;
      return input;
    };
    const output = new PassThrough() as FakeOutput;
    output.isTTY = true;
    output.columns = cols;
    output.rows = rows;
    output.on('data', (d: Buffer) => {
      this.writes++;
      const s = d.toString('utf8');
      this.pending = this.pending.then(() => new Promise<void>((r) => this.term.write(s, r)));
    });
    this.input = input;
    this.output = output;
    this.app = new App({
      version: 'test',
      ascii: false,
      noApply: false,
      canQuit: true,
      logError: (t) => this.errors.push(t),
      refreshMs: 60_000,
      // Tests read the screen before they answer (waitFor); the type-ahead guard has its own test.
      typeAheadMs: 0,
      // The real login against the tree's /etc/shadow; the failure count in memory, not in ROOT/run.
      auth: (settings) => new Authenticator({
        root: openRoot(this.rootDir), settings, where: 'test', now: opts.authNow,
        log: (e) => void this.authLog.push(e), throttle: memoryThrottleStore(),
      }),
      ...opts,
      root: openRoot(this.rootDir),
      input,
      output,
      terminal: opts.terminal ?? 'linux',
    });
    void this.app.done.then((code) => {
      this.exitCode = code;
    });
    running.add(this);
  }

  static async start(opts: HeadlessOptions = {}): Promise<Headless> {
    const h = new Headless(opts);
    await h.app.start();
    await h.settle();
    return h;
  }

  /** Starts and logs in as root with the demo password, as if it had been typed (for tests of the forms). */
  static async startLoggedIn(opts: HeadlessOptions = {}, password = DEMO_PASSWORD): Promise<Headless> {
    const h = await Headless.start(opts);
    await h.login(password);
    return h;
  }

  /** Logged in, from the menu to the screen of the item with this letter, once that shows `ready`. */
  static async openFeature(letter: string, ready: string, opts: HeadlessOptions = {}): Promise<Headless> {
    const s = await Headless.startLoggedIn(opts);
    await s.openMenu();
    await s.press(letter, 'Enter');
    await s.waitFor(ready);
    return s;
  }

  /** Logged in, through the menu to the form of the first (eth0) or second (eth1) interface. */
  static async openInterfaceForm(device: 'eth0' | 'eth1', opts: HeadlessOptions = {}): Promise<Headless> {
    const s = await Headless.openFeature('n', 'Choose the interface to configure', opts);
    if (device === 'eth1') await s.press('Down');
    await s.press('Enter');
    await s.waitFor(`Interface ${device}`);
    return s;
  }

  /** Enter on the status screen, until the menu shows. */
  async openMenu(): Promise<void> {
    await this.press('Enter');
    await this.waitFor('Choose what to set up');
  }

  async login(password = DEMO_PASSWORD, user = 'root'): Promise<void> {
    const r = await (await this.app.session.auth()).login(user, password);
    if (r.kind !== 'ok') throw new Error(`login as ${user} failed: ${JSON.stringify(r)}`);
    await this.settle();
  }

  /** Waits until blessed's output so far is drawn in the terminal. */
  async settle(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    await this.pending;
  }

  lines(): string[] {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < this.term.rows; y++) out.push(b.getLine(y)?.translateToString(true) ?? '');
    return out;
  }

  text(): string {
    return this.lines().join('\n');
  }

  /** Every cell as the user sees it, attributes included: character, bold, inverse (monochrome). */
  cells(): string[] {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < this.term.rows; y++) {
      const line = b.getLine(y);
      let row = '';
      for (let x = 0; x < this.term.cols; x++) {
        const c = line?.getCell(x);
        row += `${c?.getChars() || ' '}${c?.isBold() ? 'B' : '.'}${c?.isInverse() ? 'I' : '.'}`;
      }
      out.push(row);
    }
    return out;
  }

  /** The screen as one line of words (frame characters dropped), for text that may wrap. */
  flat(): string {
    return this.lines().map((l) => l.replace(/^[|\u2502]|[|\u2502]\s*$/g, '')).join(' ').replace(/\s+/g, ' ');
  }

  /** Row and column of the first occurrence of `text` on screen, or null. */
  find(text: string): { row: number; col: number } | null {
    const lines = this.lines();
    for (let row = 0; row < lines.length; row++) {
      const col = lines[row]!.indexOf(text);
      if (col >= 0) return { row, col };
    }
    return null;
  }

  /** True when the cell `offset` characters into `text` is shown inverse (the focus), visible in monochrome. */
  isInverse(text: string, offset = 0): boolean {
    const at = this.find(text);
    if (!at) throw new Error(`"${text}" is not on the screen:\n${this.text()}`);
    return Boolean(this.term.buffer.active.getLine(at.row)?.getCell(at.col + offset)?.isInverse());
  }

  isBold(text: string): boolean {
    const at = this.find(text);
    if (!at) throw new Error(`"${text}" is not on the screen:\n${this.text()}`);
    return Boolean(this.term.buffer.active.getLine(at.row)?.getCell(at.col)?.isBold());
  }

  /** Polls the screen until it shows `what` (never a timing assertion: only a generous timeout). */
  async waitFor(what: string | RegExp, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.settle();
      const t = this.text();
      if (typeof what === 'string' ? t.includes(what) : what.test(t)) return;
      if (Date.now() > deadline) throw new Error(`screen never showed ${String(what)}; it shows:\n${t}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async waitForGone(what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.settle();
      if (!this.text().includes(what)) return;
      if (Date.now() > deadline) throw new Error(`screen still shows "${what}":\n${this.text()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Sends keys one chunk at a time (named keys from KEYS, anything else as typed). */
  async press(...keys: string[]): Promise<void> {
    for (const k of keys) {
      this.input.write(KEYS[k] ?? k);
      await this.settle();
    }
  }

  /** Types text one character per chunk. */
  async type(text: string): Promise<void> {
    for (const ch of text) await this.press(ch);
  }

  resize(cols: number, rows: number): void {
    this.term.resize(cols || 80, rows || 24);
    this.output.columns = cols;
    this.output.rows = rows;
    this.output.emit('resize');
  }

  async stop(): Promise<void> {
    running.delete(this);
    await this.app.stop(0);
    this.term.dispose();
    if (this.ownRoot) rmSync(this.rootDir, { recursive: true, force: true });
  }
}
