// The systemd units: verified by systemd-analyze exactly as the package and `console enable`
// install them in an image, and checked against what systemd 219 (CentOS 7) understands.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effectiveSize, readConsoleEnv } from '../../src/console/env.js';
import { enableConsole } from '../../src/console/manage.js';
import { parseTty } from '../../src/console/tty.js';
import { Root } from '../../src/files/root.js';
import { UNITS_SRC, cleanup, installPackageUnits, tempRoot } from './helpers.js';

const which = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const HAVE_ANALYZE = which('systemd-analyze');
const HAVE_SYSTEMCTL = which('systemctl');
const HOST_UNITS = ['/usr/lib/systemd/system', '/lib/systemd/system'].find((d) => existsSync(join(d, 'sysinit.target')));

/** Directive names of systemd 219 as shipped in RHEL/CentOS 7 (src/core/load-fragment-gperf.gperf.m4
 * of the RHEL 7 systemd tree, and [Install] from src/shared/install.c): the units may use no other. */
const SYSTEMD_219: Record<string, readonly string[]> = {
  Unit: [
    'Description', 'Documentation', 'SourcePath', 'Requires', 'RequiresOverridable', 'Requisite', 'RequisiteOverridable',
    'Wants', 'BindsTo', 'BindTo', 'Conflicts', 'Before', 'After', 'OnFailure', 'PropagatesReloadTo', 'ReloadPropagatedFrom',
    'PartOf', 'JoinsNamespaceOf', 'RequiresMountsFor', 'StopWhenUnneeded', 'RefuseManualStart', 'RefuseManualStop',
    'AllowIsolate', 'DefaultDependencies', 'OnFailureJobMode', 'IgnoreOnIsolate', 'IgnoreOnSnapshot', 'JobTimeoutSec',
    'ConditionPathExists', 'ConditionPathIsDirectory', 'ConditionPathIsSymbolicLink', 'ConditionFileIsExecutable',
    'ConditionKernelCommandLine', 'ConditionVirtualization', 'ConditionFirstBoot', 'ConditionNeedsUpdate', 'AssertPathExists',
  ],
  Service: [
    'Type', 'ExecStartPre', 'ExecStart', 'ExecStartPost', 'ExecReload', 'ExecStop', 'ExecStopPost', 'RestartSec', 'TimeoutSec',
    'TimeoutStartSec', 'TimeoutStopSec', 'WatchdogSec', 'StartLimitInterval', 'StartLimitBurst', 'StartLimitAction', 'Restart',
    'RemainAfterExit', 'RestartPreventExitStatus', 'RestartForceExitStatus', 'SuccessExitStatus', 'NotifyAccess', 'PIDFile',
    'WorkingDirectory', 'User', 'Group', 'Nice', 'UMask', 'Environment', 'EnvironmentFile', 'StandardInput', 'StandardOutput',
    'StandardError', 'TTYPath', 'TTYReset', 'TTYVHangup', 'TTYVTDisallocate', 'SyslogIdentifier', 'SyslogFacility', 'SyslogLevel',
    'PrivateTmp', 'ProtectSystem', 'ProtectHome', 'NoNewPrivileges', 'IgnoreSIGPIPE', 'UtmpIdentifier', 'KillMode', 'KillSignal',
    'SendSIGKILL', 'SendSIGHUP', 'RuntimeDirectory', 'RuntimeDirectoryMode',
  ],
  Install: ['WantedBy', 'RequiredBy', 'Alias', 'Also', 'DefaultInstance'],
};

/** section -> key=value lines of a unit file. */
function directives(text: string): { section: string; key: string; value: string }[] {
  const out: { section: string; key: string; value: string }[] = [];
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const s = /^\[(.+)\]$/.exec(line);
    if (s) section = s[1]!;
    else {
      const eq = line.indexOf('=');
      out.push({ section, key: line.slice(0, eq), value: line.slice(eq + 1) });
    }
  }
  return out;
}

const template = readFileSync(join(UNITS_SRC, 'ttyconf@.service'), 'utf8');
const serial = readFileSync(join(UNITS_SRC, 'ttyconf-serial.conf'), 'utf8');

describe('unit files use only what systemd 219 knows', () => {
  it.each([['ttyconf@.service', template], ['ttyconf-serial.conf', serial]])('%s', (_name, text) => {
    const unknown = directives(text).filter((d) => !(SYSTEMD_219[d.section] ?? []).includes(d.key)).map((d) => `[${d.section}] ${d.key}`);
    expect(unknown).toEqual([]);
  });
});

describe('what the units promise (console-notes §3)', () => {
  const t = directives(template);
  const s = directives(serial);
  const get = (ds: typeof t, key: string): string[] => ds.filter((d) => d.key === key).map((d) => d.value);

  it('the template runs /usr/bin/ttyconf on the tty, stderr to the journal, restarted always', () => {
    expect(get(t, 'ExecStart')).toEqual(['/usr/bin/ttyconf']);
    expect(get(t, 'Environment')).toEqual(['TTYCONF_CONSOLE=1 TTYCONF_TTY=%I TTYCONF_CODE_CACHE_DIR=/var/cache/ttyconf']);
    expect(get(t, 'TTYPath')).toEqual(['/dev/%I']);
    expect(get(t, 'StandardInput')).toEqual(['tty']);
    expect(get(t, 'StandardError')).toEqual(['journal']);
    expect(get(t, 'Restart')).toEqual(['always']);
    expect(get(t, 'StartLimitInterval')).toEqual(['0']);
    expect(get(t, 'Conflicts')[0]).toContain('getty@%i.service');
    expect(get(t, 'Conflicts')[0]).toContain('serial-getty@%i.service');
    // KillMode=process (getty's) would let a child outlive ttyconf.
    expect(get(t, 'KillMode')).toEqual(['control-group']);
  });
  it('the template has no device binding (a VT has no .device unit: it would hang 90 s)', () => {
    expect(get(t, 'BindsTo')).toEqual([]);
  });
  it('VTs lower the console loglevel; the serial drop-in clears that and binds to the device', () => {
    expect(get(t, 'ExecStartPre')).toEqual(['-/usr/bin/dmesg --console-level 1']);
    expect(get(s, 'ExecStartPre')).toEqual(['']);
    expect(get(s, 'BindsTo')).toEqual(['dev-%i.device']);
    expect(get(s, 'After')).toEqual(['dev-%i.device']);
  });
  it('serial lines get TERM=vt220, TTYCONF_SERIAL=1 and ASCII borders', () => {
    expect(get(s, 'Environment').join(' ')).toMatch(/\bTERM=vt220\b/);
    expect(get(s, 'Environment').join(' ')).toMatch(/\bTTYCONF_SERIAL=1\b/);
    expect(get(s, 'ExecStart')).toEqual(['', '/usr/bin/ttyconf --ascii']);
  });
});

/**
 * systemd-analyze verify looks up ExecStart= on the host, where /usr/bin/ttyconf does not exist
 * (the RPM installs it). So the test builds an image tree instead: the host's own units (for
 * sysinit.target and friends), ttyconf's units copied unchanged where the package installs them,
 * a stand-in executable at ROOT/usr/bin/ttyconf, and the links `console enable` makes; then it
 * runs `systemd-analyze verify --root=ROOT`, which resolves everything (ExecStart too) inside the
 * tree. The units are verified byte for byte as shipped; only the program is a stand-in.
 */
describe.skipIf(!HAVE_ANALYZE || !HOST_UNITS)('systemd-analyze verify (skipped when systemd-analyze is not installed: apt-get install systemd)', () => {
  let root: string;
  beforeAll(async () => {
    root = tempRoot('ttyconf-verify-');
    mkdirSync(join(root, 'usr/lib/systemd/system'), { recursive: true });
    cpSync(HOST_UNITS!, join(root, 'usr/lib/systemd/system'), { recursive: true, verbatimSymlinks: true });
    installPackageUnits(root);
    mkdirSync(join(root, 'usr/bin'), { recursive: true });
    writeFileSync(join(root, 'usr/bin/ttyconf'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(root, 'usr/bin/ttyconf'), 0o755);
    for (const name of ['tty1', 'ttyS0']) {
      const tty = parseTty(name);
      if (!tty.ok) throw new Error(tty.error);
      const r = await enableConsole(new Root(root), tty.value, { live: null });
      expect(r.ok).toBe(true);
    }
  });
  afterAll(() => cleanup(root));

  const verify = (...units: string[]): { status: number | null; output: string } => {
    const r = spawnSync('systemd-analyze', ['verify', '--man=no', `--root=${root}`, ...units], { encoding: 'utf8' });
    return { status: r.status, output: (r.stdout + r.stderr).trim() };
  };

  it.each(['ttyconf@tty1.service', 'ttyconf@ttyS0.service', 'ttyconf@tty2.service'])('%s: no output at all', (unit) => {
    // verify exits 0 even on unknown keys and bad values, so any output is a failure.
    expect(verify(unit)).toEqual({ status: 0, output: '' });
  });

  it('the serial drop-in is loaded for ttyS0 (a bad key in it is reported: the check is not vacuous)', () => {
    const dropin = join(root, 'usr/share/ttyconf/ttyconf-serial.conf');
    const good = readFileSync(dropin, 'utf8');
    try {
      writeFileSync(dropin, good + 'NoSuchDirective=1\n');
      expect(verify('ttyconf@ttyS0.service').output).toMatch(/ttyconf@ttyS0\.service\.d\/ttyconf-serial\.conf:\d+: Unknown key 'NoSuchDirective'/);
    } finally {
      writeFileSync(dropin, good);
    }
  });

  it('a missing program is reported (the stand-in is what makes ExecStart pass)', () => {
    const bin = join(root, 'usr/bin/ttyconf');
    chmodSync(bin, 0o644);
    try {
      expect(verify('ttyconf@tty1.service').output).toMatch(/\/usr\/bin\/ttyconf is not executable/);
    } finally {
      chmodSync(bin, 0o755);
    }
  });

  it.skipIf(!HAVE_SYSTEMCTL)('systemctl --root sees ttyconf enabled and the gettys masked', () => {
    const state = (u: string): string => {
      const r = spawnSync('systemctl', [`--root=${root}`, 'is-enabled', u], { encoding: 'utf8' });
      return r.stdout.trim();
    };
    expect(state('ttyconf@tty1.service')).toBe('enabled');
    expect(state('ttyconf@ttyS0.service')).toBe('enabled');
    expect(state('getty@tty1.service')).toBe('masked');
    expect(state('autovt@tty1.service')).toBe('masked');
    expect(state('serial-getty@ttyS0.service')).toBe('masked');
    expect(state('getty@tty2.service')).not.toBe('masked');
  });
});

describe('the environment contract between the units and the UI', () => {
  it('reads what the serial drop-in sets', () => {
    expect(readConsoleEnv({ TTYCONF_CONSOLE: '1', TTYCONF_TTY: 'ttyS0', TTYCONF_SERIAL: '1', TERM: 'vt220' })).toEqual({ service: true, tty: 'ttyS0', serial: true, term: 'vt220' });
    expect(readConsoleEnv({ TTYCONF_TTY: 'tty1', TERM: 'linux' })).toEqual({ service: false, tty: 'tty1', serial: false, term: 'linux' });
    expect(readConsoleEnv({ TTYCONF_TTY: '../x' }).tty).toBeNull();
  });
  it('80x24 when the line reports 0x0', () => {
    expect(effectiveSize(0, 0)).toEqual({ columns: 80, rows: 24, reported: false });
    expect(effectiveSize(undefined, undefined)).toEqual({ columns: 80, rows: 24, reported: false });
    expect(effectiveSize(132, 43)).toEqual({ columns: 132, rows: 43, reported: true });
  });
});
