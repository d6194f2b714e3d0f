// Setting a password in /etc/shadow: a $6$ (SHA-512) hash with a fresh 96-bit salt, handed to
// `chpasswd -e` on its standard input (never on a command line). chpasswd is shadow-utils' own
// writer, on every CentOS release: it takes the lock that passwd, useradd and every lckpwdf() caller
// take (an fcntl write lock on /etc/.pwd.lock, plus /etc/shadow.lock), keeps the mode (0000), owner
// and SELinux label (shadow_t) of /etc/shadow, and leaves the old file as /etc/shadow-. ttyconf does
// not write the file itself because Node cannot take an fcntl lock, and flock(1) takes another kind
// of lock, which lckpwdf does not see. Under --root a tree, `chpasswd -R` does the same inside the
// tree (its lock file too); it chroots there, so that needs root.
import { randomBytes } from 'node:crypto';
import { readRootFile } from '../files/safeRead.js';
import { encrypt } from 'unixcrypt';
import type { Root } from '../files/root.js';
import { type FieldError, fieldError } from '../model/fieldError.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../model/password.js';
import { type Result, err, ok } from '../model/result.js';
import { type Runner, describeResult, execaRunner, succeeded } from '../system/run.js';
import { SHADOW_PATH } from './shadow.js';

const SALT_CHARS = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Every rule a new password breaks (nothing is written unless this is empty). The value is never echoed. */
export function validateNewPassword(password: string, confirmation: string): FieldError[] {
  const errors: FieldError[] = [];
  const shown = '(hidden)';
  if (password.length < PASSWORD_MIN) errors.push(fieldError('password', shown, `must be at least ${PASSWORD_MIN} characters`));
  if (password.length > PASSWORD_MAX) errors.push(fieldError('password', shown, `must be at most ${PASSWORD_MAX} characters`));
  // A VT and a serial terminal may type other characters for the same key: keep what both can type.
  if (!/^[\x20-\x7e]*$/.test(password)) errors.push(fieldError('password', shown, 'must be printable ASCII (letters, digits, punctuation, space)'));
  if (password !== confirmation) errors.push(fieldError('confirmation', shown, 'must repeat the password exactly'));
  return errors;
}

/** A SHA-512 crypt hash with a random 16-character salt. */
export function hashPassword(password: string, random: (n: number) => Buffer = randomBytes): string {
  const bytes = random(16);
  const salt = [...bytes].map((b) => SALT_CHARS[b & 63]).join('');
  return encrypt(password, `$6$${salt}`);
}

/** The password field of `user` in shadow text; undefined when the user has no intact line. */
function currentField(text: string, user: string): string | undefined {
  const f = text.split('\n').find((l) => l.split(':')[0] === user)?.split(':');
  return f && f.length >= 3 ? f[1] : undefined;
}

const readShadowText = (root: Root): string | null => {
  const r = readRootFile(root, SHADOW_PATH);
  return r.kind === 'file' ? r.data.toString('utf8') : null;
};

export interface SetPasswordOptions {
  /** Refuse unless the current field passes this check (first boot: only while root has no password). */
  readonly onlyIf?: (currentHash: string) => boolean;
  readonly random?: (n: number) => Buffer;
  /** Runs chpasswd (tests: a runner that fails). */
  readonly run?: Runner;
}

export type SetPasswordError =
  | { readonly kind: 'invalid'; readonly errors: readonly FieldError[] }
  | { readonly kind: 'not-allowed'; readonly message: string }
  | { readonly kind: 'write-failed'; readonly message: string };

export async function setPassword(root: Root, user: string, password: string, confirmation: string, opts: SetPasswordOptions = {}): Promise<Result<void, SetPasswordError>> {
  const errors = validateNewPassword(password, confirmation);
  if (errors.length > 0) return err({ kind: 'invalid', errors });
  const read = readRootFile(root, SHADOW_PATH);
  if (read.kind !== 'file') {
    const why = read.kind === 'missing' ? 'no such file' : read.reason;
    return err({ kind: 'write-failed', message: `cannot read /${SHADOW_PATH}: ${why}; nothing was written` });
  }
  const before = read.data.toString('utf8');
  const currentHash = currentField(before, user);
  if (currentHash === undefined) return err({ kind: 'not-allowed', message: `${user} has no intact line in /${SHADOW_PATH}` });
  if (opts.onlyIf && !opts.onlyIf(currentHash)) {
    return err({ kind: 'not-allowed', message: `${user} already has a password (set meanwhile?): log in with it instead` });
  }
  // Hash before the last look, so the window between that look and chpasswd is as small as can be.
  const hash = hashPassword(password, opts.random);
  if (readShadowText(root) !== before) {
    return err({ kind: 'write-failed', message: `/${SHADOW_PATH} changed while ttyconf was writing it; nothing was written, try again` });
  }
  const args = root.isSystem ? ['-e'] : ['-e', '-R', root.dir];
  const r = await (opts.run ?? execaRunner)('chpasswd', args, { input: `${user}:${hash}\n`, timeoutMs: 30_000 });
  if (!succeeded(r)) {
    return err({ kind: 'write-failed', message: `${describeResult(r)}; the password was not changed` });
  }
  if (currentField(readShadowText(root) ?? '', user) !== hash) {
    return err({ kind: 'write-failed', message: `chpasswd reported success but /${SHADOW_PATH} does not hold the new password of ${user}` });
  }
  return ok(undefined);
}
