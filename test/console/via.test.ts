// `console enable --via agetty|autologin` on offline trees: exactly the drop-in (and for autologin
// the account lines) appear, a second enable changes nothing, disable gives back the tree byte for
// byte, an account ttyconf did not create stays; and systemd-analyze loads the drop-in.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { disableConsole, enableConsole } from '../../src/console/manage.js';
import { joinExec, rewriteExecStart, splitExec } from '../../src/console/via.js';
import { enableVia } from '../../src/console/viaManage.js';
import { Root } from '../../src/files/root.js';
import { cli } from '../helpers/cli.js';
import { useTempRoots } from '../helpers/tree.js';
import { installPackageUnits, snapshotTree, tty } from './helpers.js';


// The stock units of CentOS 7 (systemd 219) and of EL9/Debian 12 (agetty's -o '-p -- \\u').
const EL7_GETTY = '[Service]\nExecStart=-/sbin/agetty --noclear %I $TERM\nType=idle\nRestart=always\n';
const EL9_SERIAL = "[Service]\nExecStart=-/sbin/agetty -o '-p -- \\\\u' --keep-baud 115200,57600,38400,9600 %I $TERM\nType=idle\nRestart=always\n";

const emptyRoot = useTempRoots(null);

function image(opts: { pamShells?: boolean } = {}): string {
  const r = emptyRoot();
  mkdirSync(join(r, 'usr/lib/systemd/system'), { recursive: true });
  writeFileSync(join(r, 'usr/lib/systemd/system/getty@.service'), EL7_GETTY);
  writeFileSync(join(r, 'usr/lib/systemd/system/serial-getty@.service'), EL9_SERIAL);
  mkdirSync(join(r, 'etc/pam.d'), { recursive: true });
  writeFileSync(join(r, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/bash\nbin:x:1:1:bin:/bin:/sbin/nologin\n');
  writeFileSync(join(r, 'etc/shadow'), 'root:$6$salt$hash:19000:0:99999:7:::\nbin:*:18000:0:99999:7:::\n', { mode: 0o000 });
  writeFileSync(join(r, 'etc/shells'), '/bin/sh\n/bin/bash\n');
  writeFileSync(join(r, 'etc/pam.d/login'), `auth       substack     system-auth\n${opts.pamShells ? 'auth       required     pam_shells.so\n' : '# auth required pam_shells.so\n'}`);
  return r;
}

const read = (r: string, p: string): string => readFileSync(join(r, p), 'utf8');

describe('the command line agetty runs', () => {
  it('splits and joins as systemd does', () => {
    expect(splitExec("-/sbin/agetty -o '-p -- \\\\u' --keep-baud 115200 %I $TERM")).toEqual(['-/sbin/agetty', '-o', '-p -- \\u', '--keep-baud', '115200', '%I', '$TERM']);
    const words = ['-/sbin/agetty', '--login-options', '-p -f -- \\u', '%I', '$TERM'];
    expect(splitExec(joinExec(words))).toEqual(words);
  });

  it('keeps every option of the unit but those about the login', () => {
    expect(rewriteExecStart('-/sbin/agetty --noclear %I $TERM', 'agetty')).toBe('-/sbin/agetty --noclear -n -l /usr/bin/ttyconf %I $TERM');
    expect(rewriteExecStart("-/sbin/agetty -o '-p -- \\\\u' --keep-baud 115200,57600,38400,9600 %I $TERM", 'agetty'))
      .toBe('-/sbin/agetty --noclear -n -l /usr/bin/ttyconf --keep-baud 115200,57600,38400,9600 %I $TERM');
    expect(rewriteExecStart('-/sbin/agetty -8 -L --autologin=admin -l /bin/login ttyS1 19200 vt100', 'autologin'))
      .toBe('-/sbin/agetty --noclear --autologin ttyconf --login-options "-p -f -- \\\\u" -8 -L ttyS1 19200 vt100');
  });
});

describe('--via agetty on an offline tree', () => {
  it('adds exactly one drop-in, keeps the baud rate and TERM, and disable removes exactly it', async () => {
    const r = image();
    const before = snapshotTree(r);
    const res = await cli('console', 'enable', '--tty', 'ttyS0', '--via', 'agetty', '--root', r);
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    const after = snapshotTree(r);
    const added = Object.keys(after).filter((k) => !(k in before)).sort();
    expect(added).toEqual([
      'etc/systemd', 'etc/systemd/system', 'etc/systemd/system/serial-getty@ttyS0.service.d',
      'etc/systemd/system/serial-getty@ttyS0.service.d/zz-ttyconf.conf',
      'var', 'var/lib', 'var/lib/ttyconf', 'var/lib/ttyconf/console', 'var/lib/ttyconf/console/ttyS0.json',
    ]);
    expect(Object.keys(before).filter((k) => after[k] !== before[k])).toEqual([]);
    expect(read(r, 'etc/systemd/system/serial-getty@ttyS0.service.d/zz-ttyconf.conf')).toBe([
      '# Written by "ttyconf console enable --tty ttyS0 --via agetty";',
      '# "ttyconf console disable --tty ttyS0" removes it.',
      "# agetty keeps the terminal (the unit's baud rate, TERM and options) and runs ttyconf instead of",
      '# asking for a login name; when ttyconf exits, systemd starts agetty again.',
      '[Service]',
      'Environment=TTYCONF_CONSOLE=1 TTYCONF_TTY=%I TTYCONF_SERIAL=1',
      'ExecStart=',
      'ExecStart=-/sbin/agetty --noclear -n -l /usr/bin/ttyconf --keep-baud 115200,57600,38400,9600 %I $TERM',
      '',
    ].join('\n'));

    expect((await cli('console', 'status', '--tty', 'ttyS0', '--root', r)).out).toBe(
      'ttyS0: ttyconf runs --via agetty (as the login program of serial-getty@ttyS0.service; /etc/systemd/system/serial-getty@ttyS0.service.d/zz-ttyconf.conf)\n' +
      'ttyconf@ttyS0.service: not enabled\nmasked gettys: none\n');

    // Again: nothing changes.
    const again = await cli('console', 'enable', '--tty', 'ttyS0', '--via', 'agetty', '--root', r);
    expect(again.out).toContain('Note: ttyconf is already on ttyS0 --via agetty; no file changed.');
    expect(snapshotTree(r)).toEqual(after);

    const off = await cli('console', 'disable', '--tty', 'ttyS0', '--root', r);
    expect(off.code).toBe(0);
    expect(off.out).toContain('removed /etc/systemd/system/serial-getty@ttyS0.service.d/zz-ttyconf.conf');
    expect(snapshotTree(r)).toEqual(before);
    const offAgain = await cli('console', 'disable', '--tty', 'ttyS0', '--root', r);
    expect(offAgain.out).toContain('ttyconf is not on ttyS0; no file changed');
    expect(snapshotTree(r)).toEqual(before);
  });

  it("takes the command line from a vendor's drop-in (a tuned serial line), which stays untouched", async () => {
    const r = image();
    mkdirSync(join(r, 'etc/systemd/system/serial-getty@ttyS1.service.d'), { recursive: true });
    writeFileSync(join(r, 'etc/systemd/system/serial-getty@ttyS1.service.d/50-vendor.conf'), '[Service]\nExecStart=\nExecStart=-/sbin/agetty -8 --keep-baud 19200 %I vt102\n');
    const before = snapshotTree(r);
    expect((await cli('console', 'enable', '--tty', 'ttyS1', '--via', 'agetty', '--root', r)).code).toBe(0);
    expect(read(r, 'etc/systemd/system/serial-getty@ttyS1.service.d/zz-ttyconf.conf'))
      .toContain('\nExecStart=-/sbin/agetty --noclear -n -l /usr/bin/ttyconf -8 --keep-baud 19200 %I vt102\n');
    await cli('console', 'disable', '--tty', 'ttyS1', '--root', r);
    expect(snapshotTree(r)).toEqual(before);
  });

  it('refuses to mix with ttyconf as its own unit on the same terminal, and nothing changes', async () => {
    const r = image();
    installPackageUnits(r);
    expect((await enableConsole(new Root(r), tty('tty1'), { live: null })).ok).toBe(true);
    const before = snapshotTree(r);
    const res = await cli('console', 'enable', '--tty', 'tty1', '--via', 'agetty', '--root', r);
    expect(res.code).toBe(1);
    expect(res.err).toContain('ttyconf: ttyconf is on tty1 already as ttyconf@tty1.service: "ttyconf console disable --tty tty1" first\n');
    expect(snapshotTree(r)).toEqual(before);
    // And the other way round.
    expect((await disableConsole(new Root(r), tty('tty1'), { live: null })).ok).toBe(true);
    expect((await enableVia(new Root(r), tty('tty1'), 'agetty', { live: null })).ok).toBe(true);
    const svc = await enableConsole(new Root(r), tty('tty1'), { live: null });
    expect(svc.ok ? null : svc.error).toEqual({ kind: 'refused', reasons: ['ttyconf is on tty1 already --via agetty: "ttyconf console disable --tty tty1" first'] });
  });

  it('--via is checked', async () => {
    const res = await cli('console', 'enable', '--via', 'telnet', '--root', image());
    expect(res.code).toBe(2);
    expect(res.err).toContain('ttyconf: --via must be service, agetty or autologin, not "telnet"\n');
  });
});

describe('--via autologin on an offline tree', () => {
  it('creates the locked account with ttyconf as its shell; disable removes exactly what it added', async () => {
    const r = image();
    const before = snapshotTree(r);
    const res = await cli('console', 'enable', '--tty', 'tty1', '--via', 'autologin', '--root', r);
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    expect(read(r, 'etc/systemd/system/getty@tty1.service.d/zz-ttyconf.conf')).toContain(
      '\nEnvironment=TTYCONF_CONSOLE=1 TTYCONF_TTY=%I\nExecStart=\nExecStart=-/sbin/agetty --noclear --autologin ttyconf --login-options "-p -f -- \\\\u" %I $TERM\n');
    expect(read(r, 'etc/passwd')).toBe('root:x:0:0:root:/root:/bin/bash\nbin:x:1:1:bin:/bin:/sbin/nologin\nttyconf:x:0:0:ttyconf console:/:/usr/bin/ttyconf\n');
    expect(read(r, 'etc/shadow')).toMatch(/^root:\$6\$salt\$hash:19000:0:99999:7:::\nbin:\*:18000:0:99999:7:::\nttyconf:!!:\d+:0:99999:7:::\n$/);
    // login's PAM stack does not check shells here: /etc/shells is left alone.
    expect(read(r, 'etc/shells')).toBe('/bin/sh\n/bin/bash\n');
    const after = snapshotTree(r);
    expect((await cli('console', 'enable', '--tty', 'tty1', '--via', 'autologin', '--root', r)).out).toContain('no file changed');
    expect(snapshotTree(r)).toEqual(after);

    expect((await cli('console', 'disable', '--tty', 'tty1', '--root', r)).code).toBe(0);
    expect(snapshotTree(r)).toEqual(before);
  });

  it('lists the shell in /etc/shells only where login checks it (pam_shells), and takes it out again', async () => {
    const r = image({ pamShells: true });
    const before = snapshotTree(r);
    await cli('console', 'enable', '--tty', 'ttyS0', '--via', 'autologin', '--root', r);
    expect(read(r, 'etc/shells')).toBe('/bin/sh\n/bin/bash\n/usr/bin/ttyconf\n');
    await cli('console', 'disable', '--tty', 'ttyS0', '--root', r);
    expect(snapshotTree(r)).toEqual(before);
  });

  it('an account made in the image is used and kept; one with another shell is refused', async () => {
    const r = image();
    writeFileSync(join(r, 'etc/passwd'), read(r, 'etc/passwd') + 'ttyconf:x:0:0:made by the image:/:/usr/bin/ttyconf\n');
    const before = snapshotTree(r);
    expect((await cli('console', 'enable', '--tty', 'tty1', '--via', 'autologin', '--root', r)).code).toBe(0);
    expect(read(r, 'etc/passwd')).toContain('made by the image');
    await cli('console', 'disable', '--tty', 'tty1', '--root', r);
    expect(snapshotTree(r)).toEqual(before);

    writeFileSync(join(r, 'etc/passwd'), read(r, 'etc/passwd').replace(':/usr/bin/ttyconf\n', ':/bin/bash\n'));
    const mid = snapshotTree(r);
    const res = await cli('console', 'enable', '--tty', 'tty1', '--via', 'autologin', '--root', r);
    expect(res.code).toBe(1);
    expect(res.err).toBe('ttyconf: the account "ttyconf" exists with the shell /bin/bash; --via autologin needs /usr/bin/ttyconf as its shell\nttyconf: nothing was changed\n');
    expect(snapshotTree(r)).toEqual(mid);
  });
});

const which = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const HOST_UNITS = ['/usr/lib/systemd/system', '/lib/systemd/system'].find((d) => existsSync(join(d, 'getty@.service')) && existsSync(join(d, 'sysinit.target')));

describe.skipIf(!which('systemd-analyze') || !HOST_UNITS)('systemd-analyze verify loads the drop-ins (skipped without systemd-analyze)', () => {
  it('no output for getty@tty1 and serial-getty@ttyS0 with the drop-ins; a bad key in one is reported', async () => {
    const r = emptyRoot();
    mkdirSync(join(r, 'usr/lib/systemd/system'), { recursive: true });
    cpSync(HOST_UNITS!, join(r, 'usr/lib/systemd/system'), { recursive: true, verbatimSymlinks: true });
    for (const p of ['sbin/agetty', 'usr/bin/ttyconf', 'bin/login']) {
      mkdirSync(join(r, p, '..'), { recursive: true });
      writeFileSync(join(r, p), '#!/bin/sh\nexit 0\n');
      chmodSync(join(r, p), 0o755);
    }
    mkdirSync(join(r, 'etc'), { recursive: true });
    writeFileSync(join(r, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
    writeFileSync(join(r, 'etc/shadow'), 'root:*:19000:0:99999:7:::\n');
    expect((await enableVia(new Root(r), tty('tty1'), 'autologin', { live: null })).ok).toBe(true);
    expect((await enableVia(new Root(r), tty('ttyS0'), 'agetty', { live: null })).ok).toBe(true);
    const verify = (unit: string): string => {
      const x = spawnSync('systemd-analyze', ['verify', '--man=no', `--root=${r}`, unit], { encoding: 'utf8' });
      return (x.stdout + x.stderr).trim();
    };
    expect(verify('getty@tty1.service')).toBe('');
    expect(verify('serial-getty@ttyS0.service')).toBe('');
    const dropin = join(r, 'etc/systemd/system/getty@tty1.service.d/zz-ttyconf.conf');
    writeFileSync(dropin, readFileSync(dropin, 'utf8') + 'NoSuchDirective=1\n');
    expect(verify('getty@tty1.service')).toMatch(/zz-ttyconf\.conf:\d+: Unknown key 'NoSuchDirective'/);
  });
});
