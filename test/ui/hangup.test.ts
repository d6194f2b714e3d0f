// A hangup (serial line dropped, VT hung up) must end ttyconf cleanly by SIGHUP, never with Node's
// ResetStdio assertion (an abort and a core dump on every disconnect).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, useTempRoots } from '../helpers/tree.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const root = useTempRoots();

async function until(check: () => boolean, ms = 15000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!hasTmux)('hangup', () => {
  it('ends by SIGHUP with nothing on stderr', async () => {
    const r = root();
    const sock = `ttyconf-hangup-${process.pid}`;
    const out = join(r, 'result');
    // bash ignores SIGHUP so it survives the hangup and records how ttyconf ended.
    const script = `trap '' HUP; TERM=linux ${process.execPath} ${BIN} ui --root ${r} 2>${out}.err; echo $? > ${out}`;
    execFileSync('tmux', ['-L', sock, 'new-session', '-d', '-x', '80', '-y', '24', 'bash', '-c', script]);
    try {
      await until(() => execFileSync('tmux', ['-L', sock, 'capture-pane', '-p'], { encoding: 'utf8' }).includes('eth1'));
    } finally {
      spawnSync('tmux', ['-L', sock, 'kill-server']);
    }
    await until(() => existsSync(out) && readFileSync(out, 'utf8').trim() !== '');
    expect(readFileSync(`${out}.err`, 'utf8')).toBe('');
    expect(readFileSync(out, 'utf8').trim()).toBe('129');
  });
});
if (!hasTmux) console.warn('SKIPPED: hangup test needs tmux');
