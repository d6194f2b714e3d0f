// The console session, pure: who is logged in, the idle lock and the delay after failed logins.
// Every function takes the time (ms) as an argument; the clock is the caller's.

export interface SessionPolicy {
  /** Milliseconds without activity before the session locks; 0 never locks. */
  readonly idleMs: number;
  /** Delay after the first failure; it doubles with each further failure... */
  readonly baseDelayMs: number;
  /** ...up to this. */
  readonly maxDelayMs: number;
  /** Failures older than this are forgotten (a typo yesterday costs nothing today). */
  readonly forgetAfterMs: number;
}

export const DEFAULT_POLICY: SessionPolicy = {
  idleMs: 5 * 60_000,
  baseDelayMs: 2_000,
  maxDelayMs: 30_000,
  forgetAfterMs: 15 * 60_000,
};

export type Session =
  | { readonly kind: 'locked' }
  | { readonly kind: 'open'; readonly user: string; readonly since: number; readonly lastActivity: number };

export const LOCKED: Session = { kind: 'locked' };

export function openSession(user: string, now: number): Session {
  return { kind: 'open', user, since: now, lastActivity: now };
}

/** A key was pressed: the idle clock starts again. */
export function touch(s: Session, now: number): Session {
  return s.kind === 'open' ? { ...s, lastActivity: Math.max(s.lastActivity, now) } : s;
}

/** Milliseconds until the idle lock, or null when it never comes (locked already, or no timeout). */
export function msUntilIdleLock(s: Session, now: number, policy: SessionPolicy): number | null {
  if (s.kind !== 'open' || policy.idleMs <= 0) return null;
  return Math.max(0, s.lastActivity + policy.idleMs - now);
}

/** The session as it is at `now`: locked once it has been idle for the policy's time. */
export function atTime(s: Session, now: number, policy: SessionPolicy): Session {
  return msUntilIdleLock(s, now, policy) === 0 ? LOCKED : s;
}

/** Failed logins so far, persisted across restarts of the program (see ThrottleStore). */
export interface Throttle {
  readonly failures: number;
  /** Time of the last failure (ms), or null. */
  readonly lastFailure: number | null;
}

export const NO_FAILURES: Throttle = { failures: 0, lastFailure: null };

/** The wait imposed after `failures` consecutive failures: 2 s, 4 s, 8 s... capped. */
export function delayAfter(failures: number, policy: SessionPolicy): number {
  if (failures <= 0) return 0;
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(failures - 1, 30));
}

/** The throttle with old failures forgotten. */
export function current(t: Throttle, now: number, policy: SessionPolicy): Throttle {
  return t.lastFailure !== null && now - t.lastFailure >= policy.forgetAfterMs ? NO_FAILURES : t;
}

/** Milliseconds before another attempt is accepted (0: now). */
export function msUntilNextAttempt(t: Throttle, now: number, policy: SessionPolicy): number {
  const c = current(t, now, policy);
  if (c.lastFailure === null) return 0;
  // A clock set backwards must not lock the console out: never wait longer than one full delay.
  const since = Math.max(0, now - c.lastFailure);
  return Math.max(0, delayAfter(c.failures, policy) - since);
}

export function afterFailure(t: Throttle, now: number, policy: SessionPolicy): Throttle {
  return { failures: current(t, now, policy).failures + 1, lastFailure: now };
}

export function policyFromSettings(idleTimeoutSec: number, base: SessionPolicy = DEFAULT_POLICY): SessionPolicy {
  return { ...base, idleMs: idleTimeoutSec * 1000 };
}
