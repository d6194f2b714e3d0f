// The first screen's terminal by file descriptor (src/ui/ttyFd.ts): the size and the write Node's
// tty streams would give, and fd 1 left in blocking mode as node:tty leaves stdout.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MODULE = fileURLToPath(new URL('../../dist/ui/ttyFd.js', import.meta.url));

// Prints what ttyFd sees, then writes through earlyTty; O_NONBLOCK is 04000 in /proc/self/fdinfo.
const PROBE = `
import { readFileSync } from 'node:fs';
const { earlyTty, isTerminal } = await import(${JSON.stringify(MODULE)});
const nonblock = () => (parseInt(/flags:\\s+(\\d+)/.exec(readFileSync('/proc/self/fdinfo/1', 'utf8'))[1], 8) & 0o4000) !== 0;
const early = earlyTty(1);
const report = { in: isTerminal(0), out: isTerminal(1), size: early && early.size, nonblockAfter: nonblock(), stdoutIsTTY: process.stdout.isTTY };
const rest = early ? early.write('EARLY-WRITE-OK\\n') : null;
process.stderr.write(JSON.stringify({ ...report, rest: rest && rest.length }) + '\\n');
`;

describe('ttyFd', () => {
  it('in a terminal: sizes and writes like node:tty, and leaves fd 1 blocking', async () => {
    const pty = createRequire(import.meta.url)('@lydell/node-pty') as typeof import('@lydell/node-pty');
    const p = pty.spawn(process.execPath, ['--input-type=module', '-e', PROBE.replace("process.stderr.write(", "console.log('REPORT' + ")], {
      name: 'linux', cols: 100, rows: 30, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'linux' },
    });
    let out = '';
    p.onData((d) => (out += d));
    await new Promise<void>((done) => p.onExit(() => done()));
    expect(out).toContain('EARLY-WRITE-OK');
    const report = JSON.parse(/REPORT(\{.*\})/.exec(out)![1]!);
    expect(report).toEqual({ in: true, out: true, size: { columns: 100, rows: 30 }, nonblockAfter: false, stdoutIsTTY: true, rest: 0 });
  });

  it('on pipes: not a terminal, so the UI refuses and nothing is written early', () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE], { encoding: 'utf8', input: '' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr)).toEqual({ in: false, out: false, size: null, nonblockAfter: false, rest: null });
  });
});
