// Setting a password in /etc/shadow: a $6$ (SHA-512) hash with a fresh 96-bit salt, written with the
// atomic commit (temp file, fsync, rename; mode and owner kept, 0000 stays 0000; backup; restorecon
// on a live system, where /etc/shadow must keep its shadow_t label).
// Not done: /etc/.pwd.lock (lckpwdf needs fcntl locks Node lacks); the file is re-read just before
// the write instead, and the write refused if it changed.
import { randomBytes } from 'node:crypto';
import { readRootFile } from '../files/safeRead.js';
import { commitErrorState } from '../files/errors.js';
import { encrypt } from 'unixcrypt';
import { atomicCommit, type CommitHooks } from '../files/commit.js';
import type { Root } from '../files/root.js';
import { type FieldError, fieldError } from '../model/fieldError.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../model/password.js';
import { type Result, err, ok } from '../model/result.js';
import { execaRunner } from '../system/run.js';
import { makeRelabel } from '../system/selinux.js';
import { SHADOW_PATH, daysSinceEpoch } from './shadow.js';

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

/** Pure: the shadow text with `user`'s hash (and last-change day) replaced; every other byte kept. */
export function replaceHash(text: string, user: string, hash: string, today: number): Result<string, string> {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.split(':')[0] === user);
  if (i < 0) return err(`${user} is not in /${SHADOW_PATH}`);
  const f = lines[i]!.split(':');
  if (f.length < 3) return err(`the line of ${user} in /${SHADOW_PATH} is damaged`);
  f[1] = hash;
  f[2] = String(today);
  lines[i] = f.join(':');
  return ok(lines.join('\n'));
}

export interface SetPasswordOptions {
  readonly now?: () => number;
  readonly hooks?: CommitHooks;
  /** Refuse unless the current field passes this check (first boot: only while root has no password). */
  readonly onlyIf?: (currentHash: string) => boolean;
  readonly random?: (n: number) => Buffer;
}

export type SetPasswordError =
  | { readonly kind: 'invalid'; readonly errors: readonly FieldError[] }
  | { readonly kind: 'not-allowed'; readonly message: string }
  | { readonly kind: 'write-failed'; readonly message: string };

export async function setPassword(root: Root, user: string, password: string, confirmation: string, opts: SetPasswordOptions = {}): Promise<Result<void, SetPasswordError>> {
  const errors = validateNewPassword(password, confirmation);
  if (errors.length > 0) return err({ kind: 'invalid', errors });
  const now = (opts.now ?? Date.now)();
  const read = readRootFile(root, SHADOW_PATH);
  if (read.kind !== 'file') {
    const why = read.kind === 'missing' ? 'no such file' : read.reason;
    return err({ kind: 'write-failed', message: `cannot read /${SHADOW_PATH}: ${why}; nothing was written` });
  }
  const before = read.data.toString('utf8');
  const currentHash = before.split('\n').find((l) => l.split(':')[0] === user)?.split(':')[1];
  if (currentHash !== undefined && opts.onlyIf && !opts.onlyIf(currentHash)) {
    return err({ kind: 'not-allowed', message: `${user} already has a password (set meanwhile?): log in with it instead` });
  }
  // Hash before the final read, so the window between that read and the rename is as small as can be.
  const hash = hashPassword(password, opts.random);
  const after = replaceHash(before, user, hash, daysSinceEpoch(now));
  if (!after.ok) return err({ kind: 'not-allowed', message: after.error });
  const againRead = readRootFile(root, SHADOW_PATH);
  const again = againRead.kind === 'file' ? againRead.data.toString('utf8') : null;
  if (again !== before) return err({ kind: 'write-failed', message: `/${SHADOW_PATH} changed while ttyconf was writing it; nothing was written, try again` });
  // On the live system /etc/shadow must get its SELinux label (shadow_t) back, or logins break.
  const hooks = opts.hooks ?? (root.isSystem ? { relabel: makeRelabel(execaRunner) } : {});
  const r = await atomicCommit(root, [{ path: SHADOW_PATH, content: Buffer.from(after.value), mode: 0o000 }], hooks);
  if (!r.ok) {
    const state = r.error.restored ? commitErrorState(r.error) : 'the old file could not be put back; see the backup in /var/lib/ttyconf/backups';
    return err({ kind: 'write-failed', message: `cannot write /${r.error.file}: ${r.error.cause}; ${state}` });
  }
  return ok(undefined);
}
