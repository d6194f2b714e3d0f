// The first screen is drawn without blessed (src/ui/firstPaint.ts); blessed takes the terminal on the
// first key (src/ui/consoleTerm.ts). What the user sees must not change at the hand-over, and no key
// typed while blessed loads may be lost.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { ConsoleTerm } from '../../src/ui/consoleTerm.js';
import { sameAsBlessed } from '../../src/ui/firstPaint.js';
import { ASCII_BORDER, compose } from '../../src/ui/frame.js';
import type { Key } from '../../src/ui/keys.js';
import { line } from '../../src/ui/text.js';
import type { TermOptions, Terminal } from '../../src/ui/termCaps.js';
import { Headless, cleanUpAfterEach } from './helpers/headless.js';

const LOCALE = ['LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE'] as const;

/** Runs fn with exactly these locale variables (blessed and the first paint both read process.env). */
async function withLocale<T>(lang: string | undefined, fn: () => Promise<T>): Promise<T> {
  const saved = LOCALE.map((k) => [k, process.env[k]] as const);
  for (const k of LOCALE) delete process.env[k];
  if (lang !== undefined) process.env.LANG = lang;
  try {
    return await fn();
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

let h: Headless | null = null;
cleanUpAfterEach();

const FIXED_CLOCK = (): Date => new Date(2026, 10, 25, 9, 30);

describe('the first screen and blessed draw the same cells', () => {
  it.each([
    ['linux', 'C.UTF-8'],
    // A console service often has no LANG: the Linux VT still gets UTF-8 box lines from both.
    ['linux', undefined],
    ['vt220', undefined],
    ['xterm-256color', 'en_US.UTF-8'],
  ] as const)('TERM=%s LANG=%s: every character, bold and inverse as before the hand-over', async (terminal, lang) => {
    await withLocale(lang, async () => {
      expect(sameAsBlessed({ terminal, ascii: false })).toBe(true);
      h = await Headless.start({ terminal, now: FIXED_CLOCK });
      await h.waitFor('Search domains');
      const first = h.cells();
      const writes = h.writes;
      // Ctrl-L is a key: blessed takes over and draws everything again.
      await h.press('C-l');
      for (let i = 0; i < 100 && h.writes === writes; i++) await new Promise((r) => setTimeout(r, 20));
      await h.settle();
      expect(h.writes).toBeGreaterThan(writes);
      expect(h.cells()).toEqual(first);
    });
  });
});

describe('the hand-over to blessed', () => {
  it('keys typed while blessed loads all arrive, in order', async () => {
    await withLocale('C.UTF-8', async () => {
      h = await Headless.start({ terminal: 'linux', now: FIXED_CLOCK });
      await h.waitFor('Search domains');
      // Enter, Down, Down in one chunk, before blessed is there: the menu opens on its third entry.
      h.input.write('\r\x1b[B\x1b[B');
      await h.waitFor('Choose what to set up');
      await h.settle();
      expect(h.isInverse('H  Hostname')).toBe(true);
    });
  });

  it('loads nothing until a key; a key loads blessed once and hands it the keys in order', async () => {
    await withLocale('C.UTF-8', async () => {
      const t = fakeTerminal();
      const term = new ConsoleTerm(t.opts, failOnFatal, t.load);
      const keys: string[] = [];
      term.onKey((k) => keys.push(k.name === 'char' ? k.ch : k.name));
      term.paint(compose({ width: 40, height: 10 }, CHROME, { lines: [line('hello')] }, 0));
      expect(t.loads).toBe(0);
      expect(t.written()).toContain('hello');
      t.opts.input.emit('data', Buffer.from('a'));
      t.opts.input.emit('data', Buffer.from('b'));
      expect(t.loads).toBe(1);
      await term.upgrade();
      t.opts.input.emit('data', Buffer.from('c'));
      expect(keys).toEqual(['a', 'b', 'c']);
      expect(t.loads).toBe(1);
      expect(term.upgraded).toBe(true);
    });
  });

  it('with preloadIdleMs, blessed takes over once the first screen has been quiet that long; every paint waits again', async () => {
    await withLocale('C.UTF-8', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      try {
        const t = fakeTerminal();
        const term = new ConsoleTerm({ ...t.opts, preloadIdleMs: 100 }, failOnFatal, t.load);
        const frame = (text: string) => compose({ width: 40, height: 10 }, CHROME, { lines: [line(text)] }, 0);
        term.paint(frame('hello'));
        vi.advanceTimersByTime(60);
        term.paint(frame('hello again'));
        vi.advanceTimersByTime(99);
        expect(t.loads).toBe(0);
        vi.advanceTimersByTime(1);
        expect(t.loads).toBe(1);
        await term.upgrade();
        expect(term.upgraded).toBe(true);
        expect(t.constructed).toBe(1);
      } finally {
        vi.useRealTimers();
      }
    });
  });

  it('a key typed while blessed preloads is neither lost nor read twice, and keys stay in order', async () => {
    await withLocale('C.UTF-8', async () => {
      const t = fakeTerminal();
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const load = async () => {
        await gate;
        return t.load();
      };
      const term = new ConsoleTerm({ ...t.opts, preloadIdleMs: 1 }, failOnFatal, load);
      const keys: string[] = [];
      term.onKey((k) => keys.push(k.name === 'char' ? k.ch : k.name));
      term.paint(compose({ width: 40, height: 10 }, CHROME, { lines: [line('hello')] }, 0));
      await sleep(20); // the preload has started and waits on the gate; the streams are attached
      t.opts.input.emit('data', Buffer.from('\x1b[B'));
      t.opts.input.emit('data', Buffer.from('q'));
      release();
      await term.upgrade();
      t.opts.input.emit('data', Buffer.from('r'));
      expect(keys).toEqual(['\x1b[B', 'q', 'r']);
      expect(t.constructed).toBe(1);
    });
  });

  it('a console stopped before it was idle never preloads blessed', async () => {
    await withLocale('C.UTF-8', async () => {
      const t = fakeTerminal();
      const term = new ConsoleTerm({ ...t.opts, preloadIdleMs: 10 }, failOnFatal, t.load);
      term.paint(compose({ width: 40, height: 10 }, CHROME, { lines: [line('hello')] }, 0));
      term.destroy();
      await sleep(40);
      expect(t.loads).toBe(0);
    });
  });

  it('where the first paint would differ from blessed (DEC line drawing: screen without UTF-8), blessed draws the first screen', async () => {
    await withLocale(undefined, async () => {
      expect(sameAsBlessed({ terminal: 'screen', ascii: false })).toBe(false);
      const t = fakeTerminal('screen');
      const term = new ConsoleTerm(t.opts, failOnFatal, t.load);
      expect(t.loads).toBe(1);
      term.paint(compose({ width: 40, height: 10 }, CHROME, { lines: [line('hello')] }, 0));
      expect(t.written()).toBe('');
      await term.upgrade();
      expect(t.painted.map((c) => c.text.join('\n')).join('')).toContain('hello');
    });
  });

  it('a console stopped while blessed loads never starts it', async () => {
    await withLocale('C.UTF-8', async () => {
      const t = fakeTerminal();
      const term = new ConsoleTerm(t.opts, failOnFatal, t.load);
      t.opts.input.emit('data', Buffer.from('x'));
      term.destroy();
      await term.upgrade();
      expect(t.constructed).toBe(0);
    });
  });
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const failOnFatal = (e: unknown): void => {
  throw e;
};

describe('when blessed cannot start', () => {
  it.each([
    ['cannot be loaded', async () => Promise.reject(new Error('no blessed'))],
    ['throws when made', async () => ({ Term: class { constructor() { throw new Error('bad terminal'); } } as never })],
  ])('it %s: the app is told once, and stopping restores the terminal and lets the process end', async (_, load) => {
    await withLocale('C.UTF-8', async () => {
      const t = fakeTerminal();
      const fatal: unknown[] = [];
      const paused: boolean[] = [];
      t.opts.input.pause = function pause() {
        paused.push(true);
        return this;
      };
      const term = new ConsoleTerm(t.opts, (e) => fatal.push(e), load);
      term.paint(compose({ width: 40, height: 10 }, CHROME, { lines: [line('hello')] }, 0));
      await new Promise((r) => setImmediate(r)); // the streams attach after the first paint
      t.opts.input.emit('data', Buffer.from('x'));
      await term.upgrade();
      expect(fatal).toHaveLength(1);
      term.destroy();
      expect(paused).toEqual([true]);
      expect(t.written()).toContain('\x1b[?25h'); // cursor back on
    });
  });
});

const CHROME = { headerLeft: 'ttyconf', headerRight: '', title: 'T', help: [], notice: null, border: ASCII_BORDER };

/** Fake tty streams and a fake blessed Term that turns each input chunk into a key. */
function fakeTerminal(terminal = 'linux') {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
  const output = Object.assign(new PassThrough(), { isTTY: true, columns: 40, rows: 10 });
  const chunks: Buffer[] = [];
  output.on('data', (d: Buffer) => chunks.push(d));
  const state = {
    loads: 0,
    constructed: 0,
    painted: [] as { text: readonly string[] }[],
  };
  class FakeTerm implements Terminal {
    readonly border = ASCII_BORDER;
    private readonly keys = new EventEmitter();
    constructor(opts: TermOptions) {
      state.constructed++;
      opts.input.on('data', (d: Buffer) => this.keys.emit('key', { name: 'char', ch: d.toString() } satisfies Key));
    }
    size() { return { width: 40, height: 10 }; }
    paint(c: { text: readonly string[] }) { state.painted.push(c); }
    invalidate() {}
    suspend() {}
    resume() {}
    onKey(fn: (k: Key) => void) { this.keys.on('key', fn); }
    onResize() {}
    destroy() {}
  }
  return {
    opts: { input, output, terminal, ascii: false } as TermOptions & { input: PassThrough },
    load: async () => {
      state.loads++;
      return { Term: FakeTerm };
    },
    written: () => Buffer.concat(chunks).toString('utf8'),
    get loads() { return state.loads; },
    get constructed() { return state.constructed; },
    get painted() { return state.painted; },
  };
}
