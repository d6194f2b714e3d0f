// Borders as a real terminal (tmux) shows them: never DEC graphics letters (`lqqk`).
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, useTempRoots } from '../helpers/tree.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const root = useTempRoots();

describe.skipIf(!hasTmux)('borders in tmux', () => {
  it.each([
    ['xterm-256color', 'C.UTF-8', /^┌─ Status ─+┐$/],
    ['xterm-256color', null, /^\+- Status -+\+$/],
    ['tmux-256color', 'C.UTF-8', /^┌─ Status ─+┐$/],
    ['linux', null, /^┌─ Status ─+┐$/],
    ['vt220', 'C.UTF-8', /^\+- Status -+\+$/],
  ])('TERM=%s LANG=%s', async (term, lang, border) => {
    const r = root();
    const sock = `ttyconf-borders-${process.pid}`;
    const env = lang ? `LANG=${lang}` : '-u LANG';
    execFileSync('tmux', ['-L', sock, 'new-session', '-d', '-x', '80', '-y', '24',
      `env -u LC_ALL ${env} TERM=${term} ${process.execPath} ${BIN} ui --root ${r}`]);
    try {
      let screen = '';
      for (let i = 0; i < 300 && !screen.includes('eth1'); i++) {
        await new Promise((res) => setTimeout(res, 50));
        screen = execFileSync('tmux', ['-L', sock, 'capture-pane', '-p'], { encoding: 'utf8' });
      }
      expect(screen.split('\n')[1]).toMatch(border);
    } finally {
      spawnSync('tmux', ['-L', sock, 'kill-server']);
    }
  });
});
if (!hasTmux) console.warn('SKIPPED: border test needs tmux');
