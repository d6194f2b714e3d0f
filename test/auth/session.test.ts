// The pure session: the growing delay after failures and the idle lock, on an injected clock.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  LOCKED,
  NO_FAILURES,
  afterFailure,
  atTime,
  delayAfter,
  msUntilIdleLock,
  msUntilNextAttempt,
  openSession,
  touch,
} from '../../src/auth/session.js';

const P = DEFAULT_POLICY;

describe('delay after failed logins', () => {
  it('2 s, 4 s, 8 s, 16 s, then capped at 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((n) => delayAfter(n, P))).toEqual([0, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
  it('the next attempt waits out the delay from the last failure', () => {
    let t = NO_FAILURES;
    expect(msUntilNextAttempt(t, 1000, P)).toBe(0);
    t = afterFailure(t, 1000, P);
    expect(msUntilNextAttempt(t, 1000, P)).toBe(2000);
    expect(msUntilNextAttempt(t, 2500, P)).toBe(500);
    expect(msUntilNextAttempt(t, 3000, P)).toBe(0);
    t = afterFailure(t, 3000, P);
    expect(msUntilNextAttempt(t, 3000, P)).toBe(4000);
  });
  it('failures are forgotten after 15 quiet minutes', () => {
    let t = NO_FAILURES;
    for (let i = 0; i < 5; i++) t = afterFailure(t, i * 60_000, P);
    expect(t.failures).toBe(5);
    const later = 4 * 60_000 + P.forgetAfterMs;
    expect(msUntilNextAttempt(t, later, P)).toBe(0);
    expect(afterFailure(t, later, P).failures).toBe(1);
  });
  it('a clock set backwards never means a longer wait than one full delay', () => {
    const t = afterFailure(afterFailure(NO_FAILURES, 10_000, P), 10_000, P);
    expect(msUntilNextAttempt(t, 0, P)).toBe(4000);
  });
});

describe('idle lock', () => {
  const policy = { ...P, idleMs: 5 * 60_000 };
  it('locks 5 minutes after the last key, not after login', () => {
    let s = openSession('root', 0);
    s = touch(s, 4 * 60_000);
    expect(atTime(s, 8 * 60_000, policy).kind).toBe('open');
    expect(msUntilIdleLock(s, 8 * 60_000, policy)).toBe(60_000);
    expect(atTime(s, 9 * 60_000 - 1, policy).kind).toBe('open');
    expect(atTime(s, 9 * 60_000, policy)).toEqual(LOCKED);
  });
  it('0 never locks', () => {
    const s = openSession('root', 0);
    expect(atTime(s, 1e12, { ...P, idleMs: 0 }).kind).toBe('open');
    expect(msUntilIdleLock(s, 0, { ...P, idleMs: 0 })).toBeNull();
  });
  it('a locked session stays locked whatever the keys', () => {
    expect(touch(LOCKED, 5)).toEqual(LOCKED);
    expect(msUntilIdleLock(LOCKED, 0, policy)).toBeNull();
  });
});
