// Login events for the auth log. On the system they go to syslog's authpriv facility through
// `logger` (where /var/log/secure, auditors and fail2ban look), falling back to stderr (the journal).
// Passwords are never logged, nor a user name that does not exist (it may be a mistyped password).
import type { Runner } from '../system/run.js';
import { succeeded } from '../system/run.js';

export type AuthEvent =
  | { readonly kind: 'login'; readonly user: string; readonly where: string }
  | { readonly kind: 'failure'; readonly user: string | null; readonly where: string; readonly failures: number; readonly waitMs: number }
  | { readonly kind: 'refused'; readonly user: string | null; readonly where: string; readonly reason: string }
  | { readonly kind: 'throttled'; readonly where: string; readonly waitMs: number }
  | { readonly kind: 'lock'; readonly user: string; readonly where: string; readonly why: 'idle' | 'logout' }
  | { readonly kind: 'password-set'; readonly user: string; readonly where: string; readonly why: string };

export type AuthLogger = (event: AuthEvent) => void | Promise<void>;

const who = (user: string | null): string => (user === null ? 'an unknown user' : user);

export function formatAuthEvent(e: AuthEvent): string {
  switch (e.kind) {
    case 'login':
      return `login of ${e.user} on ${e.where}`;
    case 'failure':
      return `FAILED login of ${who(e.user)} on ${e.where} (${e.failures} in a row; next attempt in ${Math.ceil(e.waitMs / 1000)} s)`;
    case 'refused':
      return `refused login of ${who(e.user)} on ${e.where}: ${e.reason}`;
    case 'throttled':
      return `login attempt on ${e.where} during the failure delay (${Math.ceil(e.waitMs / 1000)} s left), not checked`;
    case 'lock':
      return `session of ${e.user} on ${e.where} locked (${e.why === 'idle' ? 'idle timeout' : 'logged out'})`;
    case 'password-set':
      return `password of ${e.user} set on ${e.where} (${e.why})`;
  }
}

const PRIORITY: Record<AuthEvent['kind'], string> = {
  login: 'authpriv.notice',
  failure: 'authpriv.warning',
  refused: 'authpriv.warning',
  throttled: 'authpriv.warning',
  lock: 'authpriv.info',
  'password-set': 'authpriv.notice',
};

/** Writes each event to the system log (authpriv) with `logger`; on failure, to `fallback` (stderr). */
export function syslogAuthLogger(run: Runner, fallback: (line: string) => void = (l) => process.stderr.write(l)): AuthLogger {
  return async (e) => {
    const line = formatAuthEvent(e);
    const r = await run('logger', ['-p', PRIORITY[e.kind], '-t', 'ttyconf', '--', line], { timeoutMs: 5_000 });
    if (!succeeded(r)) fallback(`ttyconf: ${line}\n`);
  };
}

/** For the CLI and tests: every event as a line to a function. */
export function lineAuthLogger(write: (line: string) => void): AuthLogger {
  return (e) => write(`ttyconf: ${formatAuthEvent(e)}\n`);
}
