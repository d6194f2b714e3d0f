// The console login, as xsconsole does it: the status screen needs none; an action that changes
// something asks for the password at that moment and then continues. The session locks after the
// idle timeout and on "Log out". Failed attempts impose a growing delay, kept in /run so that a
// restart of ttyconf (a crash, a Ctrl-C) does not reset it, and every attempt is logged.
import { writeFileAtomic } from '../files/atomicWrite.js';
import { readRegularFile } from '../files/safeRead.js';
import * as fs from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Root } from '../files/root.js';
import type { Settings } from '../settings.js';
import { readEligibility } from './accounts.js';
import { execaRunner } from '../system/run.js';
import { type AuthEvent, type AuthLogger, lineAuthLogger, syslogAuthLogger } from './log.js';
import {
  LOCKED,
  NO_FAILURES,
  type Session,
  type SessionPolicy,
  type Throttle,
  afterFailure,
  atTime,
  msUntilIdleLock,
  msUntilNextAttempt,
  openSession,
  policyFromSettings,
  touch,
} from './session.js';
import { checkPassword, readShadow } from './shadow.js';
import { LOGIN_PASSWORD_MAX, TOO_LONG } from '../model/password.js';

export const THROTTLE_PATH = 'run/ttyconf/login-failures.json';

/** Where the failure count lives between attempts (and across restarts of ttyconf). */
export interface ThrottleStore {
  load(): Promise<Throttle>;
  save(t: Throttle): Promise<void>;
}

export function memoryThrottleStore(initial: Throttle = NO_FAILURES): ThrottleStore {
  let t = initial;
  return { load: async () => t, save: async (n) => void (t = n) };
}

/** /run/ttyconf/login-failures.json: shared by every console of the machine, gone at reboot.
 * If /run cannot be written, the count is still kept in memory (the delay never silently vanishes). */
export function fileThrottleStore(root: Root): ThrottleStore {
  const abs = root.path(THROTTLE_PATH);
  let last: Throttle = NO_FAILURES;
  return {
    async load() {
      try {
        const r = readRegularFile(abs, { noFollow: !root.isSystem, limit: 65536 });
        if (r.kind !== 'file') return last;
        const t = JSON.parse(r.data.toString('utf8')) as Throttle;
        const valid = Number.isInteger(t.failures) && t.failures >= 0 && (t.lastFailure === null || Number.isFinite(t.lastFailure));
        return valid ? t : last;
      } catch {
        return last;
      }
    },
    async save(t) {
      last = t;
      try {
        await fs.mkdir(dirname(abs), { recursive: true, mode: 0o700 });
        await writeFileAtomic(abs, JSON.stringify(t) + '\n', { mode: 0o600 });
      } catch {
        /* kept in memory */
      }
    },
  };
}

export type LoginResult =
  /** The session is open; continue the action. */
  | { readonly kind: 'ok'; readonly user: string }
  /** Wrong user name or password; the next attempt is accepted after `waitMs`. */
  | { readonly kind: 'denied'; readonly message: string; readonly waitMs: number }
  /** Too soon after a failure: nothing was checked. */
  | { readonly kind: 'wait'; readonly message: string; readonly waitMs: number }
  /** This account cannot log in whatever the password (locked, no password, unsupported hash...). */
  | { readonly kind: 'cannot'; readonly message: string };

export class NotAuthenticatedError extends Error {
  constructor() {
    super('this needs a login: the session is locked');
  }
}

export interface AuthOptions {
  readonly root: Root;
  readonly settings: Settings;
  readonly log: AuthLogger;
  /** The terminal, for the log (e.g. tty1). */
  readonly where: string;
  readonly now?: () => number;
  readonly throttle?: ThrottleStore;
  /** Overrides the delays (tests); the idle time always comes from the settings. */
  readonly policy?: Partial<Omit<SessionPolicy, 'idleMs'>>;
}

const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/** One per console. The UI calls `isUnlocked()` before a change, `login()` from its password
 * dialog, `activity()` on every key, `checkIdle()` from a timer and `logout()` from the menu. */
export class Authenticator {
  private session: Session = LOCKED;
  private readonly now: () => number;
  private readonly policy: SessionPolicy;
  private readonly throttle: ThrottleStore;
  private readonly listeners = new Set<(e: AuthEvent) => void>();

  constructor(private readonly opts: AuthOptions) {
    this.now = opts.now ?? Date.now;
    this.policy = { ...policyFromSettings(opts.settings.login.idleTimeoutSec), ...opts.policy };
    this.throttle = opts.throttle ?? fileThrottleStore(opts.root);
  }

  /** False when the vendor turned logins off: every action is allowed. */
  get required(): boolean {
    return this.opts.settings.login.required;
  }

  /** May a change go ahead now? (Checks the idle time first.) */
  isUnlocked(): boolean {
    if (!this.required) return true;
    this.checkIdle();
    return this.session.kind === 'open';
  }

  /** The logged-in user, or null. */
  user(): string | null {
    if (!this.required) return null;
    this.checkIdle();
    return this.session.kind === 'open' ? this.session.user : null;
  }

  /** For the core: refuse a change that arrives without a login. */
  assertUnlocked(): void {
    if (!this.isUnlocked()) throw new NotAuthenticatedError();
  }

  /** Milliseconds before the next login attempt is accepted (for a countdown in the dialog). */
  async msUntilNextAttempt(): Promise<number> {
    return msUntilNextAttempt(await this.throttle.load(), this.now(), this.policy);
  }

  async login(userInput: string, password: string): Promise<LoginResult> {
    const now = this.now();
    const where = this.opts.where;
    const user = userInput.trim() || 'root';
    const t = await this.throttle.load();
    const wait = msUntilNextAttempt(t, now, this.policy);
    if (wait > 0) {
      await this.emit({ kind: 'throttled', where, waitMs: wait });
      return { kind: 'wait', message: `Wait ${seconds(wait)} s before trying again.`, waitMs: wait };
    }

    // Never hashed: it cannot match, and hashing it would cost time in proportion to its length.
    if (password.length > LOGIN_PASSWORD_MAX) return this.fail(t, now, null, TOO_LONG);
    const group = this.opts.settings.login.group;
    const who = await readEligibility(this.opts.root, user, group);
    if (who.kind !== 'allowed') {
      // Not checked at all, so the console is no password oracle for other accounts; the policy is no secret.
      const policy = who.kind === 'group-missing'
        ? `the login group "${who.group}" does not exist, so only root may log in`
        : group === null ? 'only root may log in here' : `only root and members of ${group} may log in here`;
      return this.fail(t, now, null, `Wrong user name or password (${policy}).`);
    }
    const shadow = await readShadow(this.opts.root);
    if (!shadow.ok) {
      await this.emit({ kind: 'refused', user: null, where, reason: shadow.error });
      return { kind: 'cannot', message: `Cannot check passwords: ${shadow.error}.` };
    }
    const check = checkPassword(shadow.value, user, password, now);
    switch (check.kind) {
      case 'match':
        await this.throttle.save(NO_FAILURES);
        this.session = openSession(user, now);
        await this.emit({ kind: 'login', user, where });
        return { kind: 'ok', user };
      case 'cannot':
        // The answer does not depend on the password, so there is nothing to guess: no delay.
        await this.emit({ kind: 'refused', user, where, reason: check.message });
        return { kind: 'cannot', message: check.message };
      case 'mismatch':
        return this.fail(t, now, user, 'Wrong user name or password.');
      case 'unknown-user':
        return this.fail(t, now, null, 'Wrong user name or password.');
    }
  }

  private async fail(t: Throttle, now: number, user: string | null, text: string): Promise<LoginResult> {
    const next = afterFailure(t, now, this.policy);
    await this.throttle.save(next);
    const waitMs = msUntilNextAttempt(next, now, this.policy);
    await this.emit({ kind: 'failure', user, where: this.opts.where, failures: next.failures, waitMs });
    return { kind: 'denied', message: `${text} Try again in ${seconds(waitMs)} s.`, waitMs };
  }

  /**
   * Hears every event the auth log gets, as it happens (the console's idle timer starts on a login);
   * returns the function that stops listening.
   */
  onEvent(listener: (e: AuthEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Logging never blocks or breaks a login. */
  private async emit(e: AuthEvent): Promise<void> {
    for (const l of this.listeners) l(e);
    try {
      await this.opts.log(e);
    } catch {
      /* the log is best effort */
    }
  }

  /** A key was pressed. */
  activity(): void {
    this.session = touch(this.session, this.now());
  }

  /** Locks the session if it has been idle too long; true when it locked just now. */
  checkIdle(): boolean {
    const before = this.session;
    this.session = atTime(before, this.now(), this.policy);
    if (before.kind === 'open' && this.session.kind === 'locked') {
      void this.emit({ kind: 'lock', user: before.user, where: this.opts.where, why: 'idle' });
      return true;
    }
    return false;
  }

  /** Milliseconds until the idle lock (for a timer), or null when none is due. */
  msUntilIdleLock(): number | null {
    return this.required ? msUntilIdleLock(this.session, this.now(), this.policy) : null;
  }

  logout(): void {
    if (this.session.kind === 'open') void this.emit({ kind: 'lock', user: this.session.user, where: this.opts.where, why: 'logout' });
    this.session = LOCKED;
  }
}


/** The Authenticator the console uses: attempts to syslog authpriv on the live system, to stderr
 * (the journal) under another root; the failure delay kept in ROOT/run/ttyconf. */
export function consoleAuthenticator(root: Root, settings: Settings, where: string): Authenticator {
  const log = root.isSystem ? syslogAuthLogger(execaRunner) : lineAuthLogger((l) => process.stderr.write(l));
  return new Authenticator({ root, settings, log, where });
}
