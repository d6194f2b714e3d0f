// Reboot/power off and the local shell: the core halves (src/system/power.ts, src/system/shell.ts).
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRoot } from '../../src/core.js';
import { requestPower } from '../../src/system/power.js';
import type { Runner } from '../../src/system/run.js';
import { runLoginShell, shellEnv } from '../../src/system/shell.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('requestPower', () => {
  it('runs systemctl reboot / poweroff on the running system, through the runner', async () => {
    const calls: string[][] = [];
    const run: Runner = async (file, args) => {
      calls.push([file, ...args]);
      return { command: [file, ...args], exitCode: 0, stdout: '', stderr: '', timedOut: false, failedToStart: null, durationMs: 1 };
    };
    expect(await requestPower(openRoot('/'), 'reboot', run)).toEqual({ kind: 'started', command: 'systemctl reboot' });
    expect(await requestPower(openRoot('/'), 'poweroff', run)).toEqual({ kind: 'started', command: 'systemctl poweroff' });
    expect(calls).toEqual([['systemctl', 'reboot'], ['systemctl', 'poweroff']]);
  });

  it('never runs anything under a root other than /', async () => {
    const run: Runner = async () => {
      throw new Error('must not run');
    };
    const r = await requestPower(openRoot('/tmp/some-tree'), 'reboot', run);
    expect(r.kind).toBe('refused');
  });

  it('says why systemctl failed', async () => {
    const run: Runner = async (file, args) => ({ command: [file, ...args], exitCode: 1, stdout: '', stderr: 'Access denied\n', timedOut: false, failedToStart: null, durationMs: 1 });
    expect(await requestPower(openRoot('/'), 'reboot', run)).toEqual({ kind: 'failed', reason: 'systemctl reboot: exit 1: Access denied' });
  });
});

describe('runLoginShell', () => {
  it('sets TMOUT to the idle timeout and drops the console service variables', () => {
    const env = shellEnv({ PATH: '/bin', TTYCONF_CONSOLE: '1', TTYCONF_TTY: 'tty1', INVOCATION_ID: 'x', TMOUT: '9' }, 300);
    expect(env).toEqual({ PATH: '/bin', TMOUT: '300' });
    expect(shellEnv({ TMOUT: '9' }, 0)).toEqual({});
  });

  it('starts the shell as a login shell with that environment and waits for it', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ttyconf-shell-'));
    dirs.push(d);
    const fake = join(d, 'fake-shell');
    writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$*" "TMOUT=$TMOUT" "TTYCONF=$TTYCONF_CONSOLE" > ${d}/out\nexit 3\n`);
    chmodSync(fake, 0o755);
    const r = await runLoginShell({ root: openRoot('/'), idleSeconds: 120, shell: fake, env: { PATH: process.env.PATH, TTYCONF_CONSOLE: '1' } });
    expect(r.exitCode).toBe(3);
    expect(r.failedToStart).toBeNull();
    expect(readFileSync(join(d, 'out'), 'utf8')).toBe('-l\nTMOUT=120\nTTYCONF=\n');
  });

  it('a shell that cannot start is reported, not thrown', async () => {
    const r = await runLoginShell({ root: openRoot('/'), idleSeconds: 0, shell: '/nonexistent/shell' });
    expect(r.failedToStart).toMatch(/ENOENT/);
  });

  it('never opens a shell under a root other than / (that login checked the tree, not this machine)', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ttyconf-shell-'));
    dirs.push(d);
    const fake = join(d, 'fake-shell');
    writeFileSync(fake, `#!/bin/sh\ntouch ${d}/ran\n`);
    chmodSync(fake, 0o755);
    const r = await runLoginShell({ root: openRoot(d), idleSeconds: 0, shell: fake });
    expect(r.failedToStart).toMatch(/works on the files under/);
    expect(existsSync(join(d, 'ran'))).toBe(false);
  });
});
