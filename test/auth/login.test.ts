// The console login flow against a temp /etc/shadow: success, the growing delay (kept across a
// restart), locked and unsupported hashes, the login group, the idle lock, logging.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuthEvent, formatAuthEvent, syslogAuthLogger } from '../../src/auth/log.js';
import { Authenticator, NotAuthenticatedError, THROTTLE_PATH, memoryThrottleStore } from '../../src/auth/login.js';
import { Root } from '../../src/files/root.js';
import { LOGIN_PASSWORD_MAX, TOO_LONG } from '../../src/model/password.js';
import { DEFAULT_SETTINGS, type Settings } from '../../src/settings.js';
import type { CommandResult, Runner } from '../../src/system/run.js';
import { PW, accountsRoot, opensslHash, removeRoot } from './helpers.js';

function settings(login: Partial<Settings['login']> = {}): Settings {
  return { ...DEFAULT_SETTINGS, login: { ...DEFAULT_SETTINGS.login, ...login } };
}

describe('Authenticator', () => {
  let dir: string;
  let clock: number;
  let events: AuthEvent[];
  const make = (s: Settings = settings(), throttle?: ReturnType<typeof memoryThrottleStore>): Authenticator =>
    new Authenticator({ root: new Root(dir), settings: s, log: (e) => void events.push(e), where: 'tty1', now: () => clock, throttle });

  beforeEach(() => {
    dir = accountsRoot().dir;
    clock = Date.UTC(2024, 5, 1);
    events = [];
  });
  afterEach(() => removeRoot(dir));

  it('the status screen needs no login; a change does, and the right root password opens the session', async () => {
    const auth = make();
    expect(auth.isUnlocked()).toBe(false);
    expect(() => auth.assertUnlocked()).toThrow(NotAuthenticatedError);
    expect(await auth.login('root', PW.root)).toEqual({ kind: 'ok', user: 'root' });
    expect(auth.isUnlocked()).toBe(true);
    expect(auth.user()).toBe('root');
    expect(events).toEqual([{ kind: 'login', user: 'root', where: 'tty1' }]);
  });

  it('tells a listener of each event as it happens (the console starts its idle timer on a login), until it stops listening', async () => {
    const auth = make(settings({ idleTimeoutSec: 60 }));
    const heard: { kind: string; idleLockMs: number | null }[] = [];
    const stop = auth.onEvent((e) => heard.push({ kind: e.kind, idleLockMs: auth.msUntilIdleLock() }));
    await auth.login('root', 'wrong');
    clock += 60_000;
    await auth.login('root', PW.root);
    // The session is open when the listener hears of the login: the idle timer can start from it.
    expect(heard).toEqual([{ kind: 'failure', idleLockMs: null }, { kind: 'login', idleLockMs: 60_000 }]);
    auth.logout();
    stop();
    await auth.login('root', PW.root);
    expect(heard.map((e) => e.kind)).toEqual(['failure', 'login', 'lock']);
    expect(events.map((e) => e.kind)).toEqual(['failure', 'login', 'lock', 'login']);
  });

  it('a broken logger never breaks the login', async () => {
    const auth = new Authenticator({ root: new Root(dir), settings: settings(), where: 'tty1', now: () => clock, throttle: memoryThrottleStore(), log: () => {
      throw new Error('syslog down');
    } });
    expect(await auth.login('root', PW.root)).toEqual({ kind: 'ok', user: 'root' });
    auth.logout();
    expect(await auth.login('root', 'wrong')).toMatchObject({ kind: 'denied' });
  });

  it('a password longer than any login takes is refused before /etc/shadow is read or anything hashed', async () => {
    const auth = make();
    // Checked up to the limit (wrong here, as any 512 x's is).
    expect(await auth.login('root', 'x'.repeat(LOGIN_PASSWORD_MAX))).toMatchObject({ kind: 'denied', message: expect.stringMatching(/^Wrong user name or password\./) });
    clock += 60_000;
    rmSync(join(dir, 'etc/shadow'));
    // Past it: no read (an unreadable shadow would say "Cannot check passwords"), a plain refusal.
    const r = await make().login('root', 'x'.repeat(200_000));
    expect(r).toMatchObject({ kind: 'denied', message: expect.stringContaining(TOO_LONG) });
    expect(events.at(-1)).toMatchObject({ kind: 'failure', user: null });
  });

  it('an empty user name means root', async () => {
    expect(await make().login('  ', PW.root)).toEqual({ kind: 'ok', user: 'root' });
  });

  it('wrong passwords: 2 s, 4 s, 8 s, 16 s, 30 s, 30 s; attempts during the delay are not even checked', async () => {
    const auth = make();
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await auth.login('root', 'wrong');
      expect(r.kind).toBe('denied');
      if (r.kind !== 'denied') return;
      waits.push(r.waitMs);
      expect(r.message).toBe(`Wrong user name or password. Try again in ${r.waitMs / 1000} s.`);
      // Too soon: refused without a check, even with the right password.
      clock += r.waitMs - 1;
      expect(await auth.login('root', PW.root)).toEqual({ kind: 'wait', message: 'Wait 1 s before trying again.', waitMs: 1 });
      expect(auth.isUnlocked()).toBe(false);
      clock += 1;
    }
    expect(waits).toEqual([2000, 4000, 8000, 16000, 30000, 30000]);
    expect(await auth.login('root', PW.root)).toEqual({ kind: 'ok', user: 'root' });
    // Success resets the count.
    auth.logout();
    expect((await auth.login('root', 'wrong')).kind === 'denied' && (await auth.msUntilNextAttempt())).toBe(2000);
  });

  it('the delay survives a restart of ttyconf (kept in /run/ttyconf)', async () => {
    const first = new Authenticator({ root: new Root(dir), settings: settings(), log: () => undefined, where: 'tty1', now: () => clock });
    await first.login('root', 'wrong');
    clock += 2000;
    await first.login('root', 'wrong');
    expect(JSON.parse(readFileSync(join(dir, THROTTLE_PATH), 'utf8'))).toEqual({ failures: 2, lastFailure: clock });
    // A crash or Ctrl-C restarts ttyconf: the new process still makes the attacker wait.
    const second = new Authenticator({ root: new Root(dir), settings: settings(), log: () => undefined, where: 'tty1', now: () => clock });
    expect(await second.login('root', PW.root)).toMatchObject({ kind: 'wait', waitMs: 4000 });
    clock += 4000;
    expect(await second.login('root', PW.root)).toEqual({ kind: 'ok', user: 'root' });
    expect(JSON.parse(readFileSync(join(dir, THROTTLE_PATH), 'utf8'))).toEqual({ failures: 0, lastFailure: null });
  });

  it('failures are logged with the count and never with the password', async () => {
    const auth = make();
    await auth.login('root', 'hunter2-secret');
    await auth.login('root', 'too-soon');
    clock += 2000;
    await auth.login('hunter2', 'x'); // a password typed into the user field
    expect(events).toEqual([
      { kind: 'failure', user: 'root', where: 'tty1', failures: 1, waitMs: 2000 },
      { kind: 'throttled', where: 'tty1', waitMs: 2000 },
      { kind: 'failure', user: null, where: 'tty1', failures: 2, waitMs: 4000 },
    ]);
    const text = events.map(formatAuthEvent).join('\n');
    expect(text).not.toContain('hunter2');
    expect(text).toContain('FAILED login of an unknown user on tty1 (2 in a row; next attempt in 4 s)');
  });

  it.each([
    [`!${opensslHash('6', 'lockedsalt', 'locked-pass')}`, /locked \(passwd -l\)/],
    ['!!', /root has no password set/],
    ['', /root has an empty password/],
    ['$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7', /yescrypt/],
    ['$1$abcdefgh$G//4keteveJKB4dZbV7Vf0', /MD5/],
  ])('root with %j: a clear message, logged, and no delay', async (hash, message) => {
    removeRoot(dir);
    dir = accountsRoot(hash).dir;
    const auth = make(settings(), memoryThrottleStore());
    const r = await auth.login('root', 'anything');
    expect(r.kind).toBe('cannot');
    if (r.kind === 'cannot') expect(r.message).toMatch(message);
    expect(await auth.msUntilNextAttempt()).toBe(0);
    expect(events[0]).toMatchObject({ kind: 'refused', user: 'root', reason: expect.stringMatching(message) });
    expect(auth.isUnlocked()).toBe(false);
  });

  it('login group: listed members ($5$) and members by primary group log in; others never get their password checked', async () => {
    const s = settings({ group: 'wheel' });
    expect(await make(s, memoryThrottleStore()).login('alice', PW.alice)).toEqual({ kind: 'ok', user: 'alice' });
    expect(await make(s, memoryThrottleStore()).login('bob', PW.bob)).toEqual({ kind: 'ok', user: 'bob' });
    const carol = await make(s, memoryThrottleStore()).login('carol', PW.carol);
    expect(carol).toEqual({ kind: 'denied', message: 'Wrong user name or password (only root and members of wheel may log in here). Try again in 2 s.', waitMs: 2000 });
  });

  it('without a login group only root may log in; a missing group says so', async () => {
    expect(await make(settings(), memoryThrottleStore()).login('alice', PW.alice)).toMatchObject({ kind: 'denied', message: expect.stringContaining('only root may log in here') });
    expect(await make(settings({ group: 'admins' }), memoryThrottleStore()).login('alice', PW.alice)).toMatchObject({
      kind: 'denied',
      message: expect.stringContaining('the login group "admins" does not exist, so only root may log in'),
    });
    expect(await make(settings({ group: 'admins' }), memoryThrottleStore()).login('root', PW.root)).toEqual({ kind: 'ok', user: 'root' });
  });

  it('locks after 5 idle minutes (from the last key), and logs it', async () => {
    const auth = make(settings(), memoryThrottleStore());
    await auth.login('root', PW.root);
    clock += 4 * 60_000;
    auth.activity();
    clock += 4 * 60_000;
    expect(auth.isUnlocked()).toBe(true);
    expect(auth.msUntilIdleLock()).toBe(60_000);
    clock += 60_000;
    expect(auth.checkIdle()).toBe(true);
    expect(auth.checkIdle()).toBe(false);
    expect(auth.isUnlocked()).toBe(false);
    expect(events.at(-1)).toEqual({ kind: 'lock', user: 'root', where: 'tty1', why: 'idle' });
  });

  it('the idle timeout comes from the settings (0: never)', async () => {
    const short = make(settings({ idleTimeoutSec: 60 }), memoryThrottleStore());
    await short.login('root', PW.root);
    clock += 60_000;
    expect(short.isUnlocked()).toBe(false);
    const never = make(settings({ idleTimeoutSec: 0 }), memoryThrottleStore());
    await never.login('root', PW.root);
    clock += 365 * 86_400_000;
    expect(never.isUnlocked()).toBe(true);
    expect(never.msUntilIdleLock()).toBeNull();
  });

  it('"Log out" locks at once', async () => {
    const auth = make(settings(), memoryThrottleStore());
    await auth.login('root', PW.root);
    auth.logout();
    expect(auth.isUnlocked()).toBe(false);
    expect(events.at(-1)).toEqual({ kind: 'lock', user: 'root', where: 'tty1', why: 'logout' });
  });

  it('login turned off by the vendor: every action is allowed, nothing asked', () => {
    const auth = make(settings({ required: false }), memoryThrottleStore());
    expect(auth.required).toBe(false);
    expect(auth.isUnlocked()).toBe(true);
    expect(() => auth.assertUnlocked()).not.toThrow();
  });
});

describe('syslogAuthLogger', () => {
  const result = (exitCode: number): CommandResult => ({ command: [], exitCode, stdout: '', stderr: '', timedOut: false, failedToStart: null, durationMs: 1 });

  it('sends each event to authpriv through logger, as arguments (no shell)', async () => {
    const calls: [string, readonly string[]][] = [];
    const run: Runner = async (file, args) => (calls.push([file, args]), result(0));
    await syslogAuthLogger(run)({ kind: 'failure', user: 'root', where: 'ttyS0', failures: 3, waitMs: 8000 });
    expect(calls).toEqual([['logger', ['-p', 'authpriv.warning', '-t', 'ttyconf', '--', 'FAILED login of root on ttyS0 (3 in a row; next attempt in 8 s)']]]);
  });
  it('falls back to stderr (the journal) when logger fails', async () => {
    const lines: string[] = [];
    await syslogAuthLogger(async () => result(1), (l) => lines.push(l))({ kind: 'login', user: 'root', where: 'tty1' });
    expect(lines).toEqual(['ttyconf: login of root on tty1\n']);
  });
  it.skipIf(!existsSync('/dev/log'))('runs the real logger without error', async () => {
    const { execaRunner } = await import('../../src/system/run.js');
    const lines: string[] = [];
    await syslogAuthLogger(execaRunner, (l) => lines.push(l))({ kind: 'lock', user: 'root', where: 'test', why: 'logout' });
    expect(lines).toEqual([]);
  });
});
