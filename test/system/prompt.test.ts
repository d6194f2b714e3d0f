// The CLI's "Keep these settings?": a key on a terminal, a line on a pipe; end of input, abort
// (the deadline) and Ctrl-C all mean revert, and the terminal mode is always put back.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { terminalConfirm } from '../../src/apply/prompt.js';

function pipe(tty = false): { input: PassThrough & { isTTY?: boolean; setRawMode?: (r: boolean) => void }; raw: boolean[]; out: string[]; ask: ReturnType<typeof terminalConfirm> } {
  const input = new PassThrough() as PassThrough & { isTTY?: boolean; setRawMode?: (r: boolean) => void };
  const raw: boolean[] = [];
  if (tty) {
    input.isTTY = true;
    input.setRawMode = (r) => void raw.push(r);
  }
  const out: string[] = [];
  return { input, raw, out, ask: terminalConfirm({ input, write: (s) => void out.push(s) }) };
}

describe('terminalConfirm', () => {
  it('a line "y" keeps, "n" reverts (pipes)', async () => {
    const a = pipe();
    const kept = a.ask(30, new AbortController().signal);
    a.input.write('maybe\ny\n');
    expect(await kept).toBe(true);
    const b = pipe();
    const no = b.ask(30, new AbortController().signal);
    b.input.write('n\n');
    expect(await no).toBe(false);
  });

  it('end of input reverts at once, saying how to keep without asking', async () => {
    const a = pipe();
    const r = a.ask(30, new AbortController().signal);
    a.input.end();
    expect(await r).toBe(false);
    expect(a.out.join('')).toContain('--no-revert');
  });

  it('an abort (the deadline passed) reverts', async () => {
    const a = pipe();
    const ac = new AbortController();
    const r = a.ask(30, ac.signal);
    ac.abort();
    expect(await r).toBe(false);
  });

  it('on a terminal: one key, raw mode on then off; Ctrl-C reverts', async () => {
    const a = pipe(true);
    const r = a.ask(30, new AbortController().signal);
    a.input.write('x');
    a.input.write('y');
    expect(await r).toBe(true);
    expect(a.raw).toEqual([true, false]);
    expect(a.out.join('')).toContain('Keep these settings? Reverting in  30 s');
    const b = pipe(true);
    const c = b.ask(30, new AbortController().signal);
    b.input.write('\x03');
    expect(await c).toBe(false);
    expect(b.raw).toEqual([true, false]);
  });
});
