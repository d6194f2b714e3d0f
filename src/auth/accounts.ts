// Who may log in at the console: root, and the members of the vendor's login group
// (listed in /etc/group, or with it as their primary group in /etc/passwd). Local files only.
import { readRootFile } from '../files/safeRead.js';
import type { Root } from '../files/root.js';

export const PASSWD_PATH = 'etc/passwd';
export const GROUP_PATH = 'etc/group';

export interface Group {
  readonly name: string;
  readonly gid: number;
  readonly members: readonly string[];
}

export interface Account {
  readonly user: string;
  readonly uid: number;
  readonly gid: number;
}

const lines = (text: string): string[][] =>
  text.split('\n').filter((l) => l !== '' && !l.startsWith('+') && !l.startsWith('-') && !l.startsWith('#')).map((l) => l.split(':'));

export function parseGroup(text: string): Group[] {
  return lines(text)
    .filter((f) => f.length >= 4 && /^\d+$/.test(f[2]!))
    .map((f) => ({ name: f[0]!, gid: Number(f[2]), members: f[3]!.split(',').map((m) => m.trim()).filter(Boolean) }));
}

export function parsePasswd(text: string): Account[] {
  return lines(text)
    .filter((f) => f.length >= 4 && /^\d+$/.test(f[2]!) && /^\d+$/.test(f[3]!))
    .map((f) => ({ user: f[0]!, uid: Number(f[2]), gid: Number(f[3]) }));
}

export type Eligibility =
  | { readonly kind: 'allowed' }
  /** Not root and not in the login group (or no login group is set). */
  | { readonly kind: 'not-allowed' }
  /** The configured group does not exist: only root may log in. */
  | { readonly kind: 'group-missing'; readonly group: string };

/** Pure: may `user` log in, given the login group and the account files' contents. */
export function eligibility(user: string, loginGroup: string | null, passwd: readonly Account[], groups: readonly Group[]): Eligibility {
  if (user === 'root') return { kind: 'allowed' };
  if (loginGroup === null) return { kind: 'not-allowed' };
  const g = groups.find((x) => x.name === loginGroup);
  if (!g) return { kind: 'group-missing', group: loginGroup };
  if (g.members.includes(user)) return { kind: 'allowed' };
  const account = passwd.find((a) => a.user === user);
  return account && account.gid === g.gid ? { kind: 'allowed' } : { kind: 'not-allowed' };
}

async function readOrEmpty(root: Root, rel: string): Promise<string> {
  const r = readRootFile(root, rel);
  if (r.kind === 'missing') return '';
  if (r.kind === 'unreadable') throw new Error(`/${rel} ${r.reason}`);
  return r.data.toString('utf8');
}

export async function readEligibility(root: Root, user: string, loginGroup: string | null): Promise<Eligibility> {
  if (user === 'root' || loginGroup === null) return eligibility(user, loginGroup, [], []);
  const [passwd, group] = await Promise.all([readOrEmpty(root, PASSWD_PATH), readOrEmpty(root, GROUP_PATH)]);
  return eligibility(user, loginGroup, parsePasswd(passwd), parseGroup(group));
}
