// Passwords from /etc/shadow (under a root). ttyconf runs as root, so it reads the file itself.
// Only SHA-256 ($5$) and SHA-512 ($6$) crypt hashes are checked (unixcrypt); every other field
// (locked, never set, empty, yescrypt, MD5...) is "cannot log in" with a message that says why.
import { readRootFile } from '../files/safeRead.js';
import { verify } from 'unixcrypt';
import type { Root } from '../files/root.js';
import { type Result, err, ok } from '../model/result.js';

export const SHADOW_PATH = 'etc/shadow';

export interface ShadowEntry {
  readonly user: string;
  /** The password field as written. */
  readonly hash: string;
  /** Days since 1970-01-01 of the last change (null: empty field). */
  readonly lastChange: number | null;
  /** Days since 1970-01-01 when the account expires (null: never). */
  readonly expires: number | null;
}

export type HashScheme = 'sha256' | 'sha512';

export type HashStatus =
  | { readonly kind: 'usable'; readonly scheme: HashScheme }
  /** A real hash behind `!` (passwd -l / usermod -L). */
  | { readonly kind: 'locked' }
  /** `!!`, `!`, `*`, `!*`...: no password was ever set, or logins by password are off. */
  | { readonly kind: 'no-password' }
  /** An empty field: a login without any password, which ttyconf never allows. */
  | { readonly kind: 'empty' }
  | { readonly kind: 'unsupported'; readonly scheme: string }
  /** More SHA-crypt rounds than the console can afford to check (it would freeze for minutes). */
  | { readonly kind: 'too-slow'; readonly rounds: number }
  | { readonly kind: 'malformed' };

/** Above this, one check takes several seconds on a small VM; such hashes are refused, not checked. */
export const MAX_ROUNDS = 5_000_000;

const SHA_CRYPT = /^\$([56])\$(?:rounds=(\d+)\$)?([./0-9A-Za-z]{0,16})\$([./0-9A-Za-z]+)$/;

const SCHEMES: [RegExp, string][] = [
  [/^\$y\$/, 'yescrypt'],
  [/^\$gy\$/, 'gost-yescrypt'],
  [/^\$7\$/, 'scrypt'],
  [/^\$2[abxy]?\$/, 'bcrypt'],
  [/^\$1\$/, 'MD5'],
  [/^\$md5[$,]/, 'Sun MD5'],
  [/^\$sha1\$/, 'SHA-1'],
  [/^_/, 'BSDi DES'],
  [/^[./0-9A-Za-z]{13}$/, 'DES'],
];

export function classifyHash(field: string): HashStatus {
  if (field === '') return { kind: 'empty' };
  if (/^[!*]/.test(field)) {
    const rest = field.replace(/^[!*]+/, '');
    const inner = rest === '' ? null : classifyHash(rest);
    return inner && inner.kind !== 'malformed' && inner.kind !== 'empty' ? { kind: 'locked' } : { kind: 'no-password' };
  }
  const m = SHA_CRYPT.exec(field);
  if (m) {
    const expected = m[1] === '5' ? 43 : 86;
    if (m[4]!.length !== expected) return { kind: 'malformed' };
    const rounds = m[2] === undefined ? 5000 : Number(m[2]);
    if (rounds > MAX_ROUNDS) return { kind: 'too-slow', rounds };
    return { kind: 'usable', scheme: m[1] === '5' ? 'sha256' : 'sha512' };
  }
  for (const [re, name] of SCHEMES) if (re.test(field)) return { kind: 'unsupported', scheme: name };
  return { kind: 'malformed' };
}

/** Why `user` cannot log in with this hash, in words an admin at the console can act on. */
export function hashProblem(user: string, s: Exclude<HashStatus, { kind: 'usable' }>): string {
  switch (s.kind) {
    case 'locked':
      return `The password of ${user} is locked (passwd -l). Unlock it with "passwd -u ${user}" to log in here.`;
    case 'no-password':
      return `${user} has no password set. Set one with "passwd ${user}" to log in here.`;
    case 'empty':
      return `${user} has an empty password, and ttyconf never allows a login without one. Set one with "passwd ${user}".`;
    case 'unsupported':
      return `The password of ${user} is a ${s.scheme} hash, which ttyconf cannot check (only SHA-256 and SHA-512). ` +
        `Set it again with "passwd ${user}" after choosing SHA-512 (authconfig --passalgo=sha512 --update).`;
    case 'too-slow':
      return `The password hash of ${user} uses ${s.rounds} rounds; ttyconf checks at most ${MAX_ROUNDS}. Set it again with fewer rounds.`;
    case 'malformed':
      return `The password field of ${user} in /etc/shadow is not a valid hash. Set it again with "passwd ${user}".`;
  }
}

const num = (f: string | undefined): number | null => (f !== undefined && /^\d+$/.test(f) ? Number(f) : null);

/** The entries of /etc/shadow text; NIS lines (+/-) and malformed lines are skipped. */
export function parseShadow(text: string): ShadowEntry[] {
  const out: ShadowEntry[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('+') || line.startsWith('-')) continue;
    const f = line.split(':');
    if (f.length < 2 || f[0] === '') continue;
    out.push({ user: f[0]!, hash: f[1]!, lastChange: num(f[2]), expires: num(f[7]) });
  }
  return out;
}

export const daysSinceEpoch = (nowMs: number): number => Math.floor(nowMs / 86_400_000);

export async function readShadow(root: Root): Promise<Result<ShadowEntry[], string>> {
  const r = readRootFile(root, SHADOW_PATH);
  if (r.kind === 'file') return ok(parseShadow(r.data.toString('utf8')));
  if (r.kind === 'missing') return err(`cannot read /${SHADOW_PATH} (ENOENT); ttyconf must run as root`);
  return err(`/${SHADOW_PATH} ${r.reason}; ttyconf must run as root`);
}

export type PasswordCheck =
  | { readonly kind: 'match' }
  | { readonly kind: 'mismatch' }
  /** The user is not in /etc/shadow. */
  | { readonly kind: 'unknown-user' }
  /** No password can ever match: the message says why and what to do. */
  | { readonly kind: 'cannot'; readonly message: string };

/** Checks `password` against one shadow entry (pure apart from the hash computation). */
export function checkEntry(entry: ShadowEntry, password: string, nowMs: number): PasswordCheck {
  if (entry.expires !== null && daysSinceEpoch(nowMs) >= entry.expires) {
    return { kind: 'cannot', message: `The account ${entry.user} has expired (chage -E). Renew it with "chage -E -1 ${entry.user}".` };
  }
  const status = classifyHash(entry.hash);
  if (status.kind !== 'usable') return { kind: 'cannot', message: hashProblem(entry.user, status) };
  let same: boolean;
  try {
    same = verify(password, entry.hash);
  } catch {
    return { kind: 'cannot', message: hashProblem(entry.user, { kind: 'malformed' }) };
  }
  return same ? { kind: 'match' } : { kind: 'mismatch' };
}

export function checkPassword(entries: readonly ShadowEntry[], user: string, password: string, nowMs: number): PasswordCheck {
  const entry = entries.find((e) => e.user === user);
  return entry ? checkEntry(entry, password, nowMs) : { kind: 'unknown-user' };
}
