// Reading /etc/shadow and checking passwords: real $5$/$6$ hashes made by openssl, and every kind of
// field a console meets (locked, never set, empty, yescrypt, MD5, expired).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encrypt } from 'unixcrypt';
import { Root } from '../../src/files/root.js';
import { type HashStatus, MAX_ROUNDS, checkPassword, classifyHash, hashProblem, parseShadow, readShadow } from '../../src/auth/shadow.js';
import { PW, accountsRoot, opensslHash, removeRoot } from './helpers.js';

const NOW = Date.UTC(2024, 5, 1);

describe('classifyHash', () => {
  const sha512 = opensslHash('6', 'saltsalt', 'pw');
  const sha256 = opensslHash('5', 'saltsalt', 'pw');
  it.each<[string, HashStatus]>([
    [sha512, { kind: 'usable', scheme: 'sha512' }],
    [sha256, { kind: 'usable', scheme: 'sha256' }],
    [encrypt('pw', '$6$rounds=10000$abc'), { kind: 'usable', scheme: 'sha512' }],
    ['', { kind: 'empty' }],
    ['!!', { kind: 'no-password' }],
    ['!', { kind: 'no-password' }],
    ['*', { kind: 'no-password' }],
    ['!*', { kind: 'no-password' }],
    ['*LK*', { kind: 'no-password' }],
    [`!${sha512}`, { kind: 'locked' }],
    [`!!${sha256}`, { kind: 'locked' }],
    ['$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7', { kind: 'unsupported', scheme: 'yescrypt' }],
    ['$1$abcdefgh$G//4keteveJKB4dZbV7Vf0', { kind: 'unsupported', scheme: 'MD5' }],
    ['$2b$10$abcdefghijklmnopqrstuuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01', { kind: 'unsupported', scheme: 'bcrypt' }],
    ['abJnggxhB/yWI', { kind: 'unsupported', scheme: 'DES' }],
    [`$6$rounds=${MAX_ROUNDS + 1}$salt$${'a'.repeat(86)}`, { kind: 'too-slow', rounds: MAX_ROUNDS + 1 }],
    ['$6$salt$tooshort', { kind: 'malformed' }],
    ['x', { kind: 'malformed' }],
  ])('%j', (field, status) => expect(classifyHash(field)).toEqual(status));
});

describe('hashProblem: clear messages an admin can act on', () => {
  it.each<[Exclude<HashStatus, { kind: 'usable' }>, RegExp]>([
    [{ kind: 'locked' }, /password of root is locked \(passwd -l\)\. Unlock it with "passwd -u root"/],
    [{ kind: 'no-password' }, /root has no password set\. Set one with "passwd root"/],
    [{ kind: 'empty' }, /empty password, and ttyconf never allows a login without one/],
    [{ kind: 'unsupported', scheme: 'yescrypt' }, /a yescrypt hash, which ttyconf cannot check \(only SHA-256 and SHA-512\)/],
    [{ kind: 'malformed' }, /not a valid hash/],
  ])('%j', (status, message) => expect(hashProblem('root', status)).toMatch(message));
});

describe('parseShadow', () => {
  it('keeps user, hash, last change and expiry; skips NIS and broken lines', () => {
    expect(parseShadow('root:$6$a$b:19000:0:99999:7:::\n+::::::::\nnocolon\nu:!!::::::20000:\n')).toEqual([
      { user: 'root', hash: '$6$a$b', lastChange: 19000, expires: null },
      { user: 'u', hash: '!!', lastChange: null, expires: 20000 },
    ]);
  });
});

describe('checkPassword against a temp /etc/shadow (mode 0000)', () => {
  let dir: string;
  let entries: Awaited<ReturnType<typeof readShadow>>;
  beforeAll(async () => {
    dir = accountsRoot().dir;
    entries = await readShadow(new Root(dir));
  });
  afterAll(() => removeRoot(dir));
  const check = (user: string, pw: string) => {
    if (!entries.ok) throw new Error(entries.error);
    return checkPassword(entries.value, user, pw, NOW);
  };

  it('$6$ from openssl: the right password matches, a wrong one does not', () => {
    expect(check('root', PW.root)).toEqual({ kind: 'match' });
    expect(check('root', 'correct horsE')).toEqual({ kind: 'mismatch' });
    expect(check('root', '')).toEqual({ kind: 'mismatch' });
  });
  it('$5$ from openssl', () => {
    expect(check('alice', PW.alice)).toEqual({ kind: 'match' });
    expect(check('alice', PW.bob)).toEqual({ kind: 'mismatch' });
  });
  it('a locked account cannot log in even with its real password', () => {
    expect(check('locked', 'locked-pass')).toMatchObject({ kind: 'cannot', message: expect.stringContaining('locked') });
  });
  it.each([
    ['never', /no password set/],
    ['empty', /empty password/],
    ['yes', /yescrypt/],
    ['md5', /MD5/],
    ['expired', /has expired/],
  ])('%s: cannot, with the reason', (user, message) => {
    const r = check(user, 'anything');
    expect(r.kind).toBe('cannot');
    if (r.kind === 'cannot') expect(r.message).toMatch(message);
  });
  it('a user not in the file is unknown', () => expect(check('mallory', 'x')).toEqual({ kind: 'unknown-user' }));
  it('a missing /etc/shadow is an error that says why', async () => {
    const r = await readShadow(new Root('/nonexistent-ttyconf-root'));
    expect(r).toEqual({ ok: false, error: 'cannot read /etc/shadow (ENOENT); ttyconf must run as root' });
  });
});
