// Backups, restore and the emergency reset through the CLI on a temp copy of the demo tree: the
// files on disk (read back through bash), the list of backups with who made each change, the audit
// lines (exact text), and every refusal of a bad or tampered backup with nothing written.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_FILE, auditLine, auditSink } from '../src/apply/audit.js';
import { KeyFile } from '../src/files/keyfile.js';
import { Root } from '../src/files/root.js';
import type { Plan } from '../src/plan.js';
import type { Runner } from '../src/system/run.js';
import { cli } from './helpers/cli.js';
import { DEMO_EL9, IFCFG, bashRead, read, treeBytes, useTempRoots } from './helpers/tree.js';

const root = useTempRoots();
const ETH0 = `${IFCFG}/ifcfg-eth0`;
const ETH1 = `${IFCFG}/ifcfg-eth1`;
const ETH2 = `${IFCFG}/ifcfg-eth2`;
const BACKUPS = 'var/lib/ttyconf/backups';

/** The network files of the tree, to compare a restore's result with an earlier moment. */
function networkFiles(r: string): Map<string, string | null> {
  const m = new Map<string, string | null>();
  for (const p of [ETH0, ETH1, ETH2, 'etc/resolv.conf', 'etc/hostname', 'etc/hosts']) m.set(p, existsSync(join(r, p)) ? read(r, p) : null);
  return m;
}

interface Listed {
  id: string;
  kind: string | null;
  user: string | null;
  tty: string | null;
  of: string | null;
  summary: { field: string; old: string; new: string }[] | null;
  files: { path: string; existed: boolean }[];
}

async function backups(r: string): Promise<Listed[]> {
  const res = await cli('backups', '--json', '--root', r);
  expect(res.code).toBe(0);
  return (JSON.parse(res.out) as { backups: Listed[] }).backups;
}

async function ok(...argv: string[]): Promise<string> {
  const res = await cli(...argv);
  expect(res.err).toBe('');
  expect(res.code).toBe(0);
  return res.out;
}

/** The audit lines without their time stamp. */
const audit = (r: string): string[] => read(r, AUDIT_FILE).trimEnd().split('\n').map((l) => l.replace(/^\S+ /, ''));

describe('ttyconf restore', () => {
  it('undoes an ip change byte for byte; the restore is itself a backup that can be undone', async () => {
    const r = root();
    const before = networkFiles(r);
    await ok('set', 'ip', 'eth1', 'static', '198.51.100.30/24', '--gateway', '198.51.100.1', '--root', r);
    const changed = networkFiles(r);
    const [b] = await backups(r);
    expect(b).toMatchObject({ kind: 'change', user: expect.any(String), files: [{ path: ETH1, existed: true }] });
    expect(b!.summary).toEqual([
      { field: 'eth1 address', old: '198.51.100.20/24', new: '198.51.100.30/24' },
      { field: 'eth1 gateway', old: '(none)', new: '198.51.100.1' },
      { field: 'eth1 default route (DEFROUTE)', old: 'no', new: 'yes' },
    ]);
    const out = await ok('restore', b!.id, '--root', r);
    expect(out).toContain(`This brings back the files as they were before the change of `);
    expect(out).toContain('eth1 address: 198.51.100.30/24 -> 198.51.100.20/24\neth1 gateway: 198.51.100.1 -> (none)\n');
    expect(networkFiles(r)).toEqual(before);
    expect(bashRead(join(r, ETH1), ['IPADDR', 'NETMASK', 'GATEWAY', 'PREFIX'])).toEqual({ IPADDR: '198.51.100.20', NETMASK: '255.255.255.0', GATEWAY: null, PREFIX: null });

    const list = await backups(r);
    expect(list.map((x) => x.kind)).toEqual(['restore', 'change']);
    expect(list[0]!.of).toBe(b!.id);
    await ok('restore', list[0]!.id, '--root', r);
    expect(networkFiles(r)).toEqual(changed);
  });

  it('undoes a DNS change (ifcfg and resolv.conf) and a hostname change (hostname and hosts)', async () => {
    const r = root();
    const before = networkFiles(r);
    await ok('set', 'dns', '192.0.2.99', '--search', 'corp.example', '--root', r);
    await ok('set', 'hostname', 'node7.example.com', '--root', r);
    expect(read(r, 'etc/resolv.conf')).toContain('nameserver 192.0.2.99');
    const [host, dns] = await backups(r);
    expect(host!.files.map((f) => f.path)).toEqual(['etc/hostname', 'etc/hosts']);

    // The hostname change alone.
    await ok('restore', host!.id, '--root', r);
    expect(read(r, 'etc/hostname')).toBe(before.get('etc/hostname'));
    expect(read(r, 'etc/hosts')).toBe(before.get('etc/hosts'));
    expect(read(r, 'etc/resolv.conf')).toContain('nameserver 192.0.2.99');

    // The DNS change (and so every later one).
    const out = await ok('restore', dns!.id, '--root', r);
    expect(out).toContain('DNS servers: 192.0.2.99 -> 192.0.2.53');
    // The hostname change and its restore came later: both are undone too.
    expect(out).toContain('It also undoes the 2 later change(s)');
    expect(networkFiles(r)).toEqual(before);
    expect(bashRead(join(r, ETH0), ['DNS1', 'DOMAIN'])).toEqual({ DNS1: null, DOMAIN: null });
  });

  it('removes a file that the change created (the backup records that it did not exist)', async () => {
    const r = root();
    cpSync(join(r, 'sys/class/net/eth1'), join(r, 'sys/class/net/eth2'), { recursive: true });
    writeFileSync(join(r, 'sys/class/net/eth2/address'), '52:54:00:00:00:02\n');
    await ok('set', 'ip', 'eth2', 'static', '203.0.113.5/24', '--root', r);
    expect(existsSync(join(r, ETH2))).toBe(true);
    const [b] = await backups(r);
    expect(b!.files).toEqual([{ path: ETH2, existed: false }]);
    const dry = await ok('restore', b!.id, '--dry-run', '--root', r);
    expect(dry).toContain(`--- a/${ETH2}\n+++ /dev/null\n`);
    expect(existsSync(join(r, ETH2))).toBe(true);
    const out = await ok('restore', b!.id, '--root', r);
    expect(out).toContain('eth2 method: static -> (no file)');
    expect(existsSync(join(r, ETH2))).toBe(false);
    // Undoing the restore brings the file back.
    const [again] = await backups(r);
    expect(again!.files).toEqual([{ path: ETH2, existed: true }]);
    await ok('restore', again!.id, '--root', r);
    expect(bashRead(join(r, ETH2), ['IPADDR', 'PREFIX'])).toEqual({ IPADDR: '203.0.113.5', PREFIX: '24' });
  });

  it('restores a file edited by hand since, and the diff shows what it overwrites', async () => {
    const r = root();
    const before = read(r, ETH1);
    await ok('set', 'ip', 'eth1', 'static', '198.51.100.30/24', '--root', r);
    writeFileSync(join(r, ETH1), read(r, ETH1) + 'ETHTOOL_OPTS="-K eth1 gro off"  # by hand\n');
    const [b] = await backups(r);
    const dry = await ok('restore', b!.id, '--dry-run', '--root', r);
    expect(dry).toContain('-ETHTOOL_OPTS="-K eth1 gro off"  # by hand\n');
    await ok('restore', b!.id, '--root', r);
    expect(read(r, ETH1)).toBe(before);
  });

  it('says so when the files are already as they were', async () => {
    const r = root();
    await ok('set', 'hostname', 'node7', '--root', r);
    await ok('set', 'hostname', 'localhost.localdomain', '--root', r);
    const [, first] = await backups(r);
    // hosts keeps the managed line of the second change; the hostname file is the same.
    writeFileSync(join(r, 'etc/hosts'), readFileSync(join(r, BACKUPS, first!.id, 'files/etc/hosts')));
    const out = await ok('restore', first!.id, '--root', r);
    expect(out).toContain('Nothing to change: the files are already as they were before that change.');
  });

  it('lists backups written before ttyconf recorded who made them', async () => {
    const r = root();
    const dir = join(r, BACKUPS, '20260101-000000-abcd');
    mkdirSync(join(dir, 'files/etc'), { recursive: true });
    writeFileSync(join(dir, 'files/etc/hostname'), 'old\n');
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ created: '2026-01-01T00:00:00.000Z', files: [{ path: 'etc/hostname', existed: true, mode: 0o644 }] }));
    const res = await cli('backups', '--root', r);
    expect(res.out).toContain('20260101-000000-abcd  2026-01-01 00:00:00 UTC  (not recorded)\n    files: etc/hostname\n');
    await ok('restore', '20260101-000000-abcd', '--root', r);
    expect(read(r, 'etc/hostname')).toBe('old\n');
  });
});

describe('route files', () => {
  it('a route-DEV file is one of the managed files; restoring it applies its profile', async () => {
    const r = root();
    const dir = join(r, BACKUPS, '20260101-000000-abcd');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ created: '2026-01-01T00:00:00.000Z', files: [{ path: `${IFCFG}/route-eth0`, existed: false }] }));
    writeFileSync(join(r, IFCFG, 'route-eth0'), 'default via 192.0.2.1 dev eth0\n');
    const { planRestore } = await import('../src/restore.js');
    const { openRoot, readCurrent } = await import('../src/core.js');
    const plan = await planRestore(await readCurrent(openRoot(r), { run: null }), '20260101-000000-abcd');
    expect(plan.ok && plan.value.edits.map((e) => `${e.path}${e.remove ? ' (removed)' : ''}`)).toEqual([`${IFCFG}/route-eth0 (removed)`]);
    expect(plan.ok && plan.value.actions).toMatchObject([{ kind: 'interface', device: 'eth0', file: ETH0 }]);
    await ok('restore', '20260101-000000-abcd', '--root', r);
    expect(existsSync(join(r, IFCFG, 'route-eth0'))).toBe(false);
  });
});

describe('bad backup IDs and tampered backups: a clear error, nothing written', () => {
  async function refused(r: string, id: string, code: number, message: string): Promise<void> {
    const before = treeBytes(r);
    const res = await cli('restore', id, '--root', r);
    expect(res.err).toContain(message);
    expect(res.err).toContain('ttyconf: nothing was written\n');
    expect(res.code).toBe(code);
    expect(treeBytes(r)).toEqual(before);
  }

  async function oneBackup(): Promise<{ r: string; id: string; dir: string }> {
    const r = root();
    await ok('set', 'hostname', 'node7', '--root', r);
    const [b] = await backups(r);
    return { r, id: b!.id, dir: join(r, BACKUPS, b!.id) };
  }

  const tamper = (dir: string, files: unknown[]): void => {
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: unknown[] };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...m, files }));
  };

  it('an ID that is not one, or names no backup (exit 2)', async () => {
    const { r } = await oneBackup();
    await refused(r, '../../../etc', 2, 'ttyconf: cannot restore ../../../etc: "../../../etc" is not a backup ID (they look like 20261204-152000-ab12: see "ttyconf backups")\n');
    await refused(r, '20200101-000000-0000', 2, 'ttyconf: cannot restore 20200101-000000-0000: there is no backup 20200101-000000-0000 (see "ttyconf backups")\n');
  });

  it('a manifest naming a file ttyconf does not manage', async () => {
    const { r, id, dir } = await oneBackup();
    mkdirSync(join(dir, 'files/etc'), { recursive: true });
    writeFileSync(join(dir, 'files/etc/passwd'), 'root::0:0::/root:/bin/bash\n');
    tamper(dir, [{ path: 'etc/hostname', existed: true }, { path: 'etc/passwd', existed: true }]);
    await refused(r, id, 1, `backup ${id} cannot be trusted: its manifest.json names "etc/passwd", which is not one of the network files ttyconf manages`);
  });

  it('a manifest with ".." or an absolute path', async () => {
    const { r, id, dir } = await oneBackup();
    tamper(dir, [{ path: 'etc/sysconfig/network-scripts/../../passwd', existed: false }, { path: '/etc/hostname', existed: true }]);
    await refused(r, id, 1, `its manifest.json names the path "etc/sysconfig/network-scripts/../../passwd", which has "..", "." or an empty part; an absolute path "/etc/hostname"`);
  });

  it('a backed-up copy that is a symbolic link', async () => {
    const { r, id, dir } = await oneBackup();
    rmSync(join(dir, 'files/etc/hostname'));
    symlinkSync('/etc/shadow', join(dir, 'files/etc/hostname'));
    await refused(r, id, 1, `backup ${id} cannot be trusted: ${BACKUPS}/${id}/files/etc/hostname is a symbolic link (to /etc/shadow)`);
  });

  it('a target that is now a symbolic link', async () => {
    const { r, id } = await oneBackup();
    rmSync(join(r, 'etc/hosts'));
    symlinkSync('/etc/hosts', join(r, 'etc/hosts'));
    await refused(r, id, 1, 'etc/hosts is a symbolic link (to /etc/hosts); ttyconf restores only plain files, never through a link');
  });

  it('a later backup that is damaged', async () => {
    const { r, id } = await oneBackup();
    await ok('set', 'hostname', 'node8', '--root', r);
    const [later] = await backups(r);
    writeFileSync(join(r, BACKUPS, later!.id, 'manifest.json'), '{ not json');
    const list = await cli('backups', '--root', r);
    expect(list.out).toContain(`${later!.id}  DAMAGED: backup ${later!.id} cannot be trusted: its manifest.json is not JSON`);
    await refused(r, id, 1, `a later backup is damaged, so ttyconf cannot tell what that change did: backup ${later!.id} cannot be trusted`);
  });
});

describe('the summary of a restore and a reset is the review\'s own', () => {
  /** The lines a review or `ttyconf restore` printed: `field: old -> new`, as `backups` lists them. */
  const reviewLines = (out: string): string[] => out.split('\n').filter((l) => / -> /.test(l) && !l.startsWith('+') && !l.startsWith('-'));
  const inverse = (xs: Listed['summary']): Listed['summary'] => xs!.map((x) => ({ field: x.field, old: x.new, new: x.old }));

  it('a restore says the exact inverse of the change it undoes, side effects included (DEFROUTE, the hosts line)', async () => {
    const r = root();
    await ok('set', 'ip', 'eth1', 'static', '198.51.100.30/24', '--gateway', '198.51.100.1', '--root', r);
    await ok('set', 'hostname', 'node7', '--root', r);
    const [host, ip] = await backups(r);
    expect(ip!.summary).toContainEqual({ field: 'eth1 default route (DEFROUTE)', old: 'no', new: 'yes' });
    // The hosts line follows the new default-route address.
    expect(host!.summary).toContainEqual({ field: '/etc/hosts line', old: '(none)', new: '198.51.100.30 node7' });
    await ok('restore', ip!.id, '--root', r);
    const [restore] = await backups(r);
    // File by file (etc/hostname, etc/hosts, then ifcfg-eth1): each line the inverse of one the changes showed.
    expect(restore!.summary).toEqual([...inverse(host!.summary)!, ...inverse(ip!.summary)!]);
  });

  it('`ttyconf backups` lists a restore and a reset with the lines their review printed', async () => {
    const r = root();
    await ok('set', 'ip', 'eth0', 'static', '192.0.2.10/24', '--gateway', '192.0.2.1', '--root', r);
    await ok('set', 'dns', '192.0.2.99', '--search', 'corp.example', '--root', r);
    const resetOut = await ok('reset', 'eth0', '--root', r);
    const [reset] = await backups(r);
    expect(reset!.summary).toContainEqual({ field: 'eth0 DNS servers', old: '192.0.2.99', new: '(none)' });
    expect(reset!.summary!.map((x) => `${x.field}: ${x.old} -> ${x.new}`)).toEqual(reviewLines(resetOut));
    const restoreOut = await ok('restore', reset!.id, '--root', r);
    const [restore] = await backups(r);
    expect(restore!.summary).toEqual(inverse(reset!.summary));
    expect(restore!.summary!.map((x) => `${x.field}: ${x.old} -> ${x.new}`)).toEqual(reviewLines(restoreOut));
    const text = (await cli('backups', '--root', r)).out;
    for (const l of [...reviewLines(restoreOut), ...reviewLines(resetOut)]) expect(text).toContain(`    ${l}\n`);
  });

  it('a restore that removes a file the change created says so in the same words as any removal', async () => {
    const r = root();
    await ok('set', 'hostname', 'node7', '--root', r);
    rmSync(join(r, 'etc/hostname'));
    await ok('set', 'hostname', 'node8', '--root', r);
    const [created] = await backups(r);
    expect(created!.files).toEqual([{ path: 'etc/hostname', existed: false }, { path: 'etc/hosts', existed: true }]);
    await ok('restore', created!.id, '--root', r);
    const [restore] = await backups(r);
    expect(restore!.summary).toEqual([
      { field: 'hostname', old: 'node8', new: '(none)' },
      { field: '/etc/hosts line', old: '127.0.0.1 node8', new: '127.0.0.1 node7' },
    ]);
    expect(existsSync(join(r, 'etc/hostname'))).toBe(false);
  });
});

describe('ttyconf reset', () => {
  it('puts the interface back to DHCP with no static DNS; nothing else changes', async () => {
    const r = root();
    await ok('set', 'ip', 'eth0', 'static', '192.0.2.10/24', '--gateway', '192.0.2.1', '--root', r);
    await ok('set', 'dns', '192.0.2.99', '--search', 'corp.example', '--root', r);
    const eth1 = read(r, ETH1);
    const resolv = read(r, 'etc/resolv.conf');
    const out = await ok('reset', 'eth0', '--root', r);
    expect(out).toContain("Emergency reset of eth0: DHCP, and no static DNS servers or search domains of its own (the DHCP server's are used). No other interface and no other setting changes.\n");
    expect(out).toContain('eth0 method: static -> DHCP\neth0 address: 192.0.2.10/24 -> (none)\neth0 gateway: 192.0.2.1 -> (none)\neth0 DNS servers: 192.0.2.99 -> (none)\neth0 search domains: corp.example -> (none)\n');
    expect(bashRead(join(r, ETH0), ['BOOTPROTO', 'IPADDR', 'PREFIX', 'GATEWAY', 'DNS1', 'DOMAIN', 'PEERDNS', 'HWADDR'])).toEqual({
      BOOTPROTO: 'dhcp', IPADDR: null, PREFIX: null, GATEWAY: null, DNS1: null, DOMAIN: null, PEERDNS: null, HWADDR: '52:54:00:12:34:56',
    });
    expect(read(r, ETH1)).toBe(eth1);
    expect(read(r, 'etc/resolv.conf')).toBe(resolv);
    const [b] = await backups(r);
    expect(b).toMatchObject({ kind: 'reset', of: 'eth0' });
    expect((await cli('reset', 'eth0', '--root', r)).out).toContain('Nothing to change: eth0 already uses DHCP with no static DNS.\n');
  });

  it('refuses a name that is not an interface', async () => {
    const r = root();
    const res = await cli('reset', 'eth9', '--root', r);
    expect(res.code).toBe(2);
    expect(res.err).toBe('ttyconf: invalid device: "eth9" is not an interface of this machine (known: eth0, eth1)\nttyconf: nothing was written\n');
  });
});

describe('the audit trail', () => {
  it('one line per change, restore and reset: who, where, the backup ID, the result, the summary', async () => {
    const r = root();
    await ok('set', 'hostname', 'node7', '--root', r);
    const [change] = await backups(r);
    await ok('restore', change!.id, '--root', r);
    const [restore] = await backups(r);
    await ok('reset', 'eth1', '--root', r);
    const [reset] = await backups(r);
    const user = change!.user!;
    expect(audit(r)).toEqual([
      `daemon.notice change by ${user} on no terminal, backup ${change!.id}: files written, not applied: hostname: localhost.localdomain -> node7; /etc/hosts line: (none) -> 127.0.0.1 node7`,
      `daemon.notice restore of backup ${change!.id} by ${user} on no terminal, backup ${restore!.id}: files written, not applied: hostname: node7 -> localhost.localdomain; /etc/hosts line: 127.0.0.1 node7 -> (none)`,
      `daemon.notice reset of eth1 to DHCP by ${user} on no terminal, backup ${reset!.id}: files written, not applied: eth1 method: static -> DHCP; eth1 address: 198.51.100.20/24 -> (none)`,
    ]);
  });
});

describe('audit lines', () => {
  const plan: Plan = {
    changes: [], edits: [{ path: 'etc/hostname', before: null, after: Buffer.from('x\n') }], actions: [], dns: { servers: [], required: false }, notes: [], rollbackLimits: [],
    summary: [{ field: 'hostname', old: 'a', new: 'b' }],
  };
  const actor = { user: 'admin', tty: 'tty1' };
  const commit = { backupDir: 'var/lib/ttyconf/backups/20261204-152000-ab12', written: ['etc/hostname'] };

  it('say how each change ended', () => {
    const text = (o: Parameters<typeof auditLine>[2]): string => { const l = auditLine(plan, actor, o)!; return `${l.priority} ${l.text}`; };
    expect(text({ kind: 'applied', commit, stack: 'nm', commands: [], runs: [], checks: [], kept: 'not-asked', notes: [], log: null }))
      .toBe('daemon.notice change by admin on tty1, backup 20261204-152000-ab12: applied: hostname: a -> b');
    expect(text({
      kind: 'rolled-back', commit, stack: 'nm', reason: 'check "hostname" failed: wanted b, got a', commands: [], runs: [], checks: [],
      rollbackCommands: [], rollbackRuns: [], rollbackChecks: [], restored: false, unrestoredFiles: ['etc/hostname'], notes: [], log: null,
    })).toBe('daemon.warning change by admin on tty1, backup 20261204-152000-ab12: rolled back (check "hostname" failed: wanted b, got a); the old settings are NOT fully back: files not restored: etc/hostname: hostname: a -> b');
    expect(text({ kind: 'write-failed', error: { file: 'etc/hostname', cause: 'EACCES: permission denied', restored: true, unrestored: [] } }))
      .toBe('daemon.warning change by admin on tty1: not written (etc/hostname: EACCES: permission denied); every file is as it was: hostname: a -> b');
    expect(text({ kind: 'not-applied', reason: 'another ttyconf change is being applied' }))
      .toBe('daemon.warning change by admin on tty1: not done (another ttyconf change is being applied): hostname: a -> b');
    expect(auditLine({ ...plan, origin: { kind: 'reset', device: 'eth0' } }, { user: 'root', tty: null }, { kind: 'unchanged' })).toBeNull();
  });

  it('go to syslog facility daemon through logger on the system', async () => {
    const calls: string[][] = [];
    const run: Runner = async (file, args) => {
      calls.push([file, ...args]);
      return { command: [file, ...args], exitCode: 0, stdout: '', stderr: '', timedOut: false, failedToStart: null, durationMs: 1 };
    };
    await auditSink(new Root('/'), run)({ priority: 'daemon.notice', text: 'change by root on tty1, backup X: applied: hostname: a -> b' });
    expect(calls).toEqual([['logger', '-p', 'daemon.notice', '-t', 'ttyconf', '--', 'change by root on tty1, backup X: applied: hostname: a -> b']]);
  });
});

describe('keyfiles (an EL9 tree): reset and restore of a keyfile-owned device', () => {
  const el9 = useTempRoots(DEMO_EL9);
  const KEYFILE0 = 'etc/NetworkManager/system-connections/eth0.nmconnection';
  const KEYFILE1 = 'etc/NetworkManager/system-connections/eth1.nmconnection';
  const ipv4 = (r: string): Record<string, string | undefined> => {
    const k = KeyFile.parse(read(r, KEYFILE0));
    if (!k.ok) throw new Error('the keyfile does not parse');
    return Object.fromEntries(['method', 'address1', 'gateway', 'dns', 'dns-search', 'ignore-auto-dns'].map((key) => [key, k.value.get('ipv4', key)]));
  };

  it('reset is the keyfile edit of set ip DEV dhcp plus no DNS of its own; restore brings the keyfile back byte for byte', async () => {
    const r = el9();
    const before = read(r, KEYFILE0);
    const eth1 = read(r, KEYFILE1);
    const out = await ok('reset', 'eth0', '--root', r);
    expect(out).toContain('eth0 method: static -> DHCP\n');
    expect(out).toContain('eth0 DNS servers: 192.0.2.53 -> (none)\neth0 search domains: lab.example.com -> (none)\n');
    expect(ipv4(r)).toEqual({ method: 'auto', address1: undefined, gateway: undefined, dns: undefined, 'dns-search': undefined, 'ignore-auto-dns': undefined });
    // Everything else in the profile is kept: its comment, MAC, IPv6 and user keys.
    const after = read(r, KEYFILE0);
    for (const kept of ['# Management interface, static.', 'mac-address=52:54:00:12:34:56', 'addr-gen-mode=eui64', 'vendor.role=management']) expect(after).toContain(kept);
    expect(read(r, KEYFILE1)).toBe(eth1);
    expect(statSync(join(r, KEYFILE0)).mode & 0o777).toBe(0o600);

    const [reset] = await backups(r);
    expect(reset).toMatchObject({ kind: 'reset', of: 'eth0', files: [{ path: KEYFILE0, existed: true }] });
    const { planRestore } = await import('../src/restore.js');
    const { openRoot, readCurrent } = await import('../src/core.js');
    const plan = await planRestore(await readCurrent(openRoot(r), { run: null }), reset!.id);
    expect(plan.ok && plan.value.actions).toMatchObject([{ kind: 'interface', device: 'eth0', file: KEYFILE0 }]);
    expect(plan.ok && plan.value.changes).toEqual([{ kind: 'ip', device: 'eth0', ipv4: { method: 'static', address: { address: '192.0.2.10', prefix: 24 }, gateway: '192.0.2.1' } }]);
    const restored = await ok('restore', reset!.id, '--root', r);
    expect(restored).toContain('eth0 method: DHCP -> static\n');
    expect(read(r, KEYFILE0)).toBe(before);
    expect(statSync(join(r, KEYFILE0)).mode & 0o777).toBe(0o600);
  });
});
