// Setting root's password (first boot): the hash openssl agrees with, written by the real chpasswd
// under the password-file lock; /etc/shadow otherwise untouched byte for byte, mode 0000 kept, the old
// file kept as /etc/shadow-, and first-boot mode on and off.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verify } from 'unixcrypt';
import { FIRSTBOOT_MARKER, armFirstBoot, firstBootState, isUnsetHash, setFirstRootPassword } from '../../src/auth/firstboot.js';
import type { AuthEvent } from '../../src/auth/log.js';
import { Authenticator, memoryThrottleStore } from '../../src/auth/login.js';
import { hashPassword, setPassword, validateNewPassword } from '../../src/auth/password.js';
import { daysSinceEpoch } from '../../src/auth/shadow.js';
import { Root } from '../../src/files/root.js';
import { DEFAULT_SETTINGS, type Settings } from '../../src/settings.js';
import { accountsRoot, opensslHash, removeRoot } from './helpers.js';

const shadowOf = (dir: string): string => readFileSync(join(dir, 'etc/shadow'), 'utf8');

describe('validateNewPassword: every rule at once, the value never echoed', () => {
  it('accepts printable ASCII of 8+ characters, repeated', () => expect(validateNewPassword('Secret 123!', 'Secret 123!')).toEqual([]));
  it('lists all broken rules', () => {
    expect(validateNewPassword('sh\u00e9', 'other')).toEqual([
      { field: 'password', value: '(hidden)', rule: 'must be at least 8 characters' },
      { field: 'password', value: '(hidden)', rule: 'must be printable ASCII (letters, digits, punctuation, space)' },
      { field: 'confirmation', value: '(hidden)', rule: 'must repeat the password exactly' },
    ]);
  });
});

describe('hashPassword', () => {
  it('is a $6$ hash with a 16-character salt that openssl computes the same way', () => {
    const h = hashPassword('new root pw');
    const m = /^\$6\$([./0-9A-Za-z]{16})\$[./0-9A-Za-z]{86}$/.exec(h);
    expect(m).not.toBeNull();
    expect(opensslHash('6', m![1]!, 'new root pw')).toBe(h);
    expect(verify('new root pw', h)).toBe(true);
  });
  it('uses a fresh salt each time', () => expect(hashPassword('x')).not.toBe(hashPassword('x')));
});

// chpasswd -R chroots into the tree, which only root may do.
const asRoot = process.getuid?.() === 0;
const hasChpasswd = spawnSync('chpasswd', ['--help']).error === undefined;
if (!asRoot || !hasChpasswd) console.warn(`password.test: setPassword skipped: ${asRoot ? 'no chpasswd on this machine' : 'chpasswd -R needs root'}`);
const python = ['python3', 'python'].find((p) => spawnSync(p, ['-c', 'import fcntl']).status === 0);

/** Holds lckpwdf's lock (an fcntl write lock on etc/.pwd.lock) in another process until killed. */
async function holdPwdLock(root: string): Promise<ChildProcess> {
  const code = 'import fcntl, os, sys\nfd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT, 0o600)\nfcntl.lockf(fd, fcntl.LOCK_EX)\nprint("locked", flush=True)\nsys.stdin.read()\n';
  const child = spawn(python!, ['-c', code, join(root, 'etc/.pwd.lock')], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (c) => reject(new Error(`lock holder exited with ${c}`)));
  });
  return child;
}

describe.skipIf(!asRoot || !hasChpasswd)('setPassword on a temp /etc/shadow (the real chpasswd)', () => {
  let dir: string;
  let lines: Record<string, string>;
  beforeEach(() => ({ dir, lines } = accountsRoot('!!')));
  afterEach(() => removeRoot(dir));

  it('writes root a hash the old password store agrees with; other lines byte-identical; mode kept; old file kept', async () => {
    const modeBefore = statSync(join(dir, 'etc/shadow')).mode & 0o7777;
    const old = shadowOf(dir);
    const today = daysSinceEpoch(Date.now());
    const r = await setPassword(new Root(dir), 'root', 'first root pw', 'first root pw');
    expect(r).toEqual({ ok: true, value: undefined });
    const after = shadowOf(dir).split('\n');
    const [user, hash, day, ...rest] = after[0]!.split(':');
    expect([user, rest.join(':')]).toEqual(['root', '0:99999:7:::']);
    expect([today, today + 1]).toContain(Number(day));
    expect(verify('first root pw', hash!)).toBe(true);
    const salt = hash!.split('$')[2]!;
    expect(opensslHash('6', salt, 'first root pw')).toBe(hash);
    expect(after.slice(1).join('\n')).toBe(Object.values(lines).slice(1).join('\n') + '\n');
    expect(statSync(join(dir, 'etc/shadow')).mode & 0o7777).toBe(modeBefore);
    if (process.getuid?.() === 0) expect(modeBefore).toBe(0o000);
    expect(readFileSync(join(dir, 'etc/shadow-'), 'utf8')).toBe(old);
    // And the login now accepts it.
    const auth = new Authenticator({ root: new Root(dir), settings: DEFAULT_SETTINGS, log: () => undefined, where: 'tty1', throttle: memoryThrottleStore() });
    expect(await auth.login('root', 'first root pw')).toEqual({ kind: 'ok', user: 'root' });
  });

  it('refuses bad input and writes nothing', async () => {
    const before = shadowOf(dir);
    const r = await setPassword(new Root(dir), 'root', 'short', 'shorter');
    expect(r.ok).toBe(false);
    if (!r.ok && r.error.kind === 'invalid') expect(r.error.errors.map((e) => e.field)).toEqual(['password', 'confirmation']);
    expect(shadowOf(dir)).toBe(before);
    expect(existsSync(join(dir, 'etc/shadow-'))).toBe(false);
  });

  it('waits for the password-file lock that passwd and useradd take, and writes once it is free', async () => {
    if (!python) return void console.warn('password.test: lock test skipped: no python to hold an fcntl lock');
    const holder = await holdPwdLock(dir);
    const before = shadowOf(dir);
    let settled = false;
    const pending = setPassword(new Root(dir), 'root', 'while locked', 'while locked').finally(() => void (settled = true));
    await new Promise((r) => setTimeout(r, 1500));
    expect(settled).toBe(false);
    expect(shadowOf(dir)).toBe(before);
    holder.stdin!.end();
    expect(await pending).toEqual({ ok: true, value: undefined });
    expect(verify('while locked', shadowOf(dir).split('\n')[0]!.split(':')[1]!)).toBe(true);
  });

  it('a chpasswd that fails is a clear error and nothing is written', async () => {
    const before = shadowOf(dir);
    const failing = async (file: string, args: readonly string[]) => ({ command: [file, ...args], exitCode: 1, stdout: '', stderr: 'chpasswd: cannot lock /etc/shadow; try again later.\n', timedOut: false, failedToStart: null, durationMs: 1 });
    const r = await setPassword(new Root(dir), 'root', 'first root pw', 'first root pw', { run: failing });
    expect(r).toEqual({ ok: false, error: { kind: 'write-failed', message: `chpasswd -e -R ${dir}: exit 1: chpasswd: cannot lock /etc/shadow; try again later.; the password was not changed` } });
    expect(shadowOf(dir)).toBe(before);
  });

  it('onlyIf: refuses when the field changed meanwhile (another console set it first)', async () => {
    const r = await setPassword(new Root(dir), 'alice', 'another pw 1', 'another pw 1', { onlyIf: isUnsetHash });
    expect(r).toMatchObject({ ok: false, error: { kind: 'not-allowed', message: expect.stringContaining('alice already has a password') } });
  });
});

describe('first boot', () => {
  let dir: string;
  const settings = (enabled: boolean): Settings => ({ ...DEFAULT_SETTINGS, firstboot: { enabled } });
  beforeEach(() => ({ dir } = accountsRoot('!!')));
  afterEach(() => removeRoot(dir));

  it.each([['', true], ['!!', true], ['!', true], ['*', true], [`!${opensslHash('6', 'x', 'y')}`, false], [opensslHash('6', 'x', 'y'), false], ['$y$j9T$a$b', false]])(
    'isUnsetHash(%j) = %s',
    (field, unset) => expect(isUnsetHash(field)).toBe(unset),
  );

  it('asks only when armed, enabled and root has no password', async () => {
    const root = new Root(dir);
    expect(await firstBootState(root, settings(true))).toEqual({ kind: 'no', why: 'not armed' });
    expect(await armFirstBoot(root)).toEqual({ ok: true, value: true });
    expect(await armFirstBoot(root)).toEqual({ ok: true, value: false });
    expect(await firstBootState(root, settings(false))).toEqual({ kind: 'no', why: 'turned off in ttyconf.conf' });
    expect(await firstBootState(root, settings(true))).toEqual({ kind: 'ask' });
  });

  it.skipIf(!asRoot || !hasChpasswd)('setting the first password ends the mode; a second console cannot set it again', async () => {
    const root = new Root(dir);
    await armFirstBoot(root);
    const events: AuthEvent[] = [];
    const opts = { log: (e: AuthEvent) => void events.push(e), where: 'tty1' };
    expect(await setFirstRootPassword(root, 'first root pw', 'first root pw', opts)).toEqual({ ok: true, value: undefined });
    expect(existsSync(join(dir, FIRSTBOOT_MARKER))).toBe(false);
    expect(events).toEqual([{ kind: 'password-set', user: 'root', where: 'tty1', why: 'first boot' }]);
    expect(await firstBootState(root, settings(true))).toEqual({ kind: 'no', why: 'not armed' });
    const second = await setFirstRootPassword(root, 'other pw 123', 'other pw 123', opts);
    expect(second).toMatchObject({ ok: false, error: { kind: 'not-allowed' } });
    expect(verify('first root pw', shadowOf(dir).split('\n')[0]!.split(':')[1]!)).toBe(true);
  });

  it('root with a password (set any other way) ends the mode by itself', async () => {
    removeRoot(dir);
    ({ dir } = accountsRoot());
    const root = new Root(dir);
    await armFirstBoot(root);
    expect(await firstBootState(root, settings(true))).toEqual({ kind: 'no', why: 'root has a password' });
    expect(existsSync(join(dir, FIRSTBOOT_MARKER))).toBe(false);
  });

  it('a locked root is left alone (the admin locked it on purpose)', async () => {
    removeRoot(dir);
    ({ dir } = accountsRoot(`!${opensslHash('6', 'salt', 'pw')}`));
    await armFirstBoot(new Root(dir));
    expect((await firstBootState(new Root(dir), settings(true))).kind).toBe('no');
  });
});
