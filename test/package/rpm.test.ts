// The RPMs as `npm run rpm` builds them: what they install (rpm -qlp and the payload itself), what
// their scriptlets do (rpm -qp --scripts, run against fake systemctl and ttyconf programs), and that
// CentOS 7's rpm could read them. docs/packaging.md promises all of this.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USAGE } from '../../src/cli.js';
import { CONSOLE_USAGE } from '../../src/commands/console.js';
import { SERIAL_DROPIN_SOURCE, TEMPLATE, UNIT_DIRS } from '../../src/console/units.js';
import { hasCommand, packageJson, projectRoot } from './harness.js';

const TARGETS = ['el7', 'el8', 'el9', 'el10'] as const;
const missing = hasCommand('rpmbuild') && hasCommand('rpm') ? null : 'rpmbuild is not installed (apt-get install rpm; .ci/run installs it)';
/** rpmlib features CentOS 7's rpm 4.11 provides (`rpm --showrc` there); a package needing another is refused. */
const EL7_RPMLIB = new Set([
  'BuiltinLuaScripts', 'CompressedFileNames', 'ConcurrentAccess', 'ExplicitPackageProvide', 'FileCaps', 'FileDigests',
  'HeaderLoadSortsTags', 'PartialHardlinkSets', 'PayloadFilesHavePrefix', 'PayloadIsBzip2', 'PayloadIsLzma',
  'PayloadIsXz', 'ScriptletExpansion', 'ScriptletInterpreterArgs', 'TildeInVersions', 'VersionedDependencies',
]);

const temps: string[] = [];
function temp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

const sourceUnits = readdirSync(join(projectRoot, 'systemd')).filter((f) => f.endsWith('.service')).sort();
const sourceDropins = readdirSync(join(projectRoot, 'systemd')).filter((f) => f.endsWith('.conf')).sort();
const templates = sourceUnits.filter((u) => u.endsWith('@.service')).map((u) => u.slice(0, -'@.service'.length));

/** Every path the package must hold, from what the tree holds now (docs/packaging.md, "What it installs"). */
function expectedFiles(): string[] {
  const files = [
    '/etc/ttyconf',
    '/etc/ttyconf/ttyconf.conf',
    '/usr/bin/ttyconf',
    '/usr/libexec/ttyconf',
    '/usr/libexec/ttyconf/ttyconf.cjs',
    '/usr/share/doc/ttyconf/README.md',
    '/usr/share/doc/ttyconf/packaging.md',
    '/usr/share/licenses/ttyconf/ttyconf.licenses.txt',
    '/usr/share/man/man1/ttyconf.1.gz',
    '/var/cache/ttyconf',
    '/var/cache/ttyconf/ttyconf.cjs.cache',
    '/var/lib/ttyconf',
    ...sourceUnits.map((u) => `/usr/lib/systemd/system/${u}`),
    ...(sourceDropins.length ? ['/usr/share/ttyconf', ...sourceDropins.map((d) => `/usr/share/ttyconf/${d}`)] : []),
  ];
  return files.sort();
}

function rpmq(file: string, ...args: string[]): string {
  return execFileSync('rpm', ['-qp', ...args, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `rpm -qp --scripts` split by scriptlet: { postinstall: '...', preuninstall: '...', ... }. */
function scriptlets(file: string): Record<string, string> {
  const parts = rpmq(file, '--scripts').split(/^(\w+) scriptlet \(using \/bin\/sh\):\n/m);
  const out: Record<string, string> = {};
  for (let i = 1; i < parts.length; i += 2) out[parts[i]!] = parts[i + 1]!;
  return out;
}

/** Unpacks a newc cpio archive (what rpm2cpio prints) into `dir`: regular files, directories, symlinks. */
function extractCpio(archive: Buffer, dir: string): void {
  const align = (n: number): number => (n + 3) & ~3;
  let at = 0;
  for (;;) {
    const header = archive.subarray(at, at + 110).toString('latin1');
    if (!header.startsWith('070701')) throw new Error(`not a newc cpio header at byte ${at}`);
    const field = (i: number): number => parseInt(header.slice(6 + i * 8, 14 + i * 8), 16);
    const [mode, size, nameSize] = [field(1), field(6), field(11)];
    const name = archive.subarray(at + 110, at + 110 + nameSize - 1).toString('utf8');
    const dataAt = align(at + 110 + nameSize);
    at = align(dataAt + size);
    if (name === 'TRAILER!!!') return;
    const path = join(dir, name.replace(/^\.?\//, ''));
    const data = archive.subarray(dataAt, dataAt + size);
    const type = mode & 0o170000;
    if (type === 0o040000) mkdirSync(path, { recursive: true });
    else {
      mkdirSync(join(path, '..'), { recursive: true });
      if (type === 0o120000) symlinkSync(data.toString('utf8'), path);
      else writeFileSync(path, data, { mode: mode & 0o7777 });
    }
  }
}

interface ScriptRun {
  readonly code: number | null;
  readonly calls: string[];
  readonly stderr: string;
}

/**
 * Runs a scriptlet under a fake root: its absolute paths are moved under `root`, and `systemctl`
 * and /usr/bin/ttyconf are fakes that log their arguments (ttyconf fails for the ttys in `ttyconfFails`).
 */
function runScriptlet(body: string, arg: number, root: string, ttyconfFails: string[] = []): ScriptRun {
  const log = join(root, 'calls.log');
  writeFileSync(log, '');
  const bin = join(root, 'fakebin');
  mkdirSync(bin, { recursive: true });
  mkdirSync(join(root, 'usr', 'bin'), { recursive: true });
  writeFileSync(join(bin, 'systemctl'), `#!/bin/sh\necho "systemctl $*" >>"${log}"\nexit 1\n`);
  writeFileSync(
    join(root, 'usr', 'bin', 'ttyconf'),
    `#!/bin/sh\necho "ttyconf $*" >>"${log}"\ncase " ${ttyconfFails.join(' ')} " in *" $4 "*) exit 1 ;; esac\nexit 0\n`,
  );
  chmodSync(join(bin, 'systemctl'), 0o755);
  chmodSync(join(root, 'usr', 'bin', 'ttyconf'), 0o755);
  let script = body;
  for (const p of ['/usr/bin/ttyconf', '/var/lib/ttyconf', '/etc/systemd/system', '/run/systemd/system']) script = script.split(p).join(root + p);
  const r = spawnSync('/bin/sh', ['-c', script, 'scriptlet', String(arg)], {
    encoding: 'utf8',
    env: { PATH: `${bin}:/usr/bin:/bin`, LC_ALL: 'C' },
  });
  return { code: r.status, calls: readFileSync(log, 'utf8').split('\n').filter(Boolean), stderr: r.stderr };
}

it.skipIf(!hasCommand('shellcheck'))('shellcheck finds nothing in scripts/rpm.sh and the /usr/bin/ttyconf wrapper', () => {
  const r = spawnSync('shellcheck', ['scripts/rpm.sh', 'packaging/ttyconf.sh'], { cwd: projectRoot, encoding: 'utf8' });
  expect(r.stdout).toBe('');
  expect(r.status).toBe(0);
});

describe('the man page', () => {
  const man = readFileSync(join(projectRoot, 'packaging', 'ttyconf.1'), 'utf8').replace(/\\-/g, '-');

  it('has every option of "ttyconf --help" and "ttyconf console"', () => {
    const options = new Set([...`${USAGE}\n${CONSOLE_USAGE}`.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((m) => m[0]));
    expect(options.size).toBeGreaterThan(5);
    for (const o of options) expect(man, o).toContain(o);
  });

  it('has every command of "ttyconf --help" and "ttyconf console"', () => {
    const commands = [...USAGE.matchAll(/^ {2}(?:\(none\), )?([a-z]+(?: [a-z]+)?)/gm)].map((m) => m[1]!);
    const consoleCommands = [...CONSOLE_USAGE.split('Commands:')[1]!.split('Options:')[0]!.matchAll(/^ {2}([a-z]+)/gm)].map((m) => m[1]!);
    expect(commands).toEqual(expect.arrayContaining(['ui', 'show', 'set ip', 'set dns', 'set hostname']));
    for (const c of commands) expect(man, c).toMatch(new RegExp(c.split(' ').map((w) => `\\b${w}\\b`).join('[^\\n]*')));
    for (const c of consoleCommands) expect(man, `console ${c}`).toContain(`console ${c}`);
  });
});

describe.skipIf(missing)(`the RPMs${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let out: string;
  const rpmOf = (t: string): string => join(out, `ttyconf-${packageJson.version}-1.${t}.noarch.rpm`);
  const extracted = new Map<string, string>();
  const payload = (t: string): string => {
    let dir = extracted.get(t);
    if (!dir) {
      dir = temp(`ttyconf-payload-${t}-`);
      extractCpio(execFileSync('rpm2cpio', [rpmOf(t)], { maxBuffer: 64 << 20 }), dir);
      extracted.set(t, dir);
    }
    return dir;
  };

  beforeAll(() => {
    out = temp('ttyconf-rpms-');
    const r = spawnSync('bash', ['scripts/rpm.sh', '--out', out], { cwd: projectRoot, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`scripts/rpm.sh failed (${r.status}):\n${r.stdout}${r.stderr}`);
    expect(r.stdout.trim().split('\n')).toEqual(TARGETS.map(rpmOf));
  }, 300_000);

  it.each(TARGETS)('%s: noarch, its dist tag, an xz payload, no node package required, nothing CentOS 7 cannot read', (t) => {
    const [name, version, release, arch, compressor] = rpmq(rpmOf(t), '--qf', '%{NAME}|%{VERSION}|%{RELEASE}|%{ARCH}|%{PAYLOADCOMPRESSOR}').split('|');
    expect({ name, version, release, arch, compressor }).toEqual({ name: 'ttyconf', version: packageJson.version, release: `1.${t}`, arch: 'noarch', compressor: 'xz' });
    const requires = rpmq(rpmOf(t), '--requires').trim().split('\n');
    expect(requires.filter((r) => /node/i.test(r))).toEqual([]);
    const rpmlib = requires.filter((r) => r.startsWith('rpmlib(')).map((r) => /^rpmlib\(([^)]+)\)/.exec(r)![1]!);
    expect(rpmlib.filter((f) => !EL7_RPMLIB.has(f))).toEqual([]);
    expect(requires.filter((r) => !r.startsWith('rpmlib(') && !r.startsWith('config(ttyconf)'))).toEqual(expect.arrayContaining(['/bin/sh']));
    expect(new Set(requires.filter((r) => !r.startsWith('rpmlib(') && !r.startsWith('config(ttyconf)')))).toEqual(new Set(['/bin/sh']));
  });

  it.each(TARGETS)('%s: rpm -qlp lists exactly the promised files, with their modes and flags', (t) => {
    expect(rpmq(rpmOf(t), '-l').trim().split('\n').sort()).toEqual(expectedFiles());
    const info = new Map(
      rpmq(rpmOf(t), '--qf', '[%{FILENAMES}|%{FILEMODES:perms}|%{FILEFLAGS:fflags}\n]')
        .trim()
        .split('\n')
        .map((l) => {
          const [path, mode, flags] = l.split('|');
          return [path!, { mode: mode!, flags: flags! }] as const;
        }),
    );
    expect(info.get('/etc/ttyconf/ttyconf.conf')).toEqual({ mode: '-rw-r--r--', flags: 'cn' });
    expect(info.get('/usr/bin/ttyconf')?.mode).toBe('-rwxr-xr-x');
    expect(info.get('/usr/libexec/ttyconf/ttyconf.cjs')?.mode).toBe('-rw-r--r--');
    expect(info.get('/var/lib/ttyconf')?.mode).toBe('drwxr-xr-x');
    expect(info.get('/var/cache/ttyconf')?.mode).toBe('drwxr-xr-x');
    expect(info.get('/var/cache/ttyconf/ttyconf.cjs.cache')).toEqual({ mode: '-rw-r--r--', flags: 'g' });
    expect(info.get('/usr/share/licenses/ttyconf/ttyconf.licenses.txt')?.flags).toBe('l');
    expect(info.get('/usr/share/doc/ttyconf/README.md')?.flags).toBe('d');
    for (const u of sourceUnits) expect(info.get(`/usr/lib/systemd/system/${u}`)?.mode).toBe('-rw-r--r--');
  });

  it('holds every path docs/packaging.md lists under "What it installs"', () => {
    const files = rpmq(rpmOf('el7'), '-l').trim().split('\n');
    const doc = readFileSync(join(projectRoot, 'docs', 'packaging.md'), 'utf8');
    const promised = [...doc.matchAll(/^\| `(\/[^`]+)`/gm)].map((m) => m[1]!);
    expect(promised.length).toBeGreaterThan(5);
    for (const p of promised) {
      const re = new RegExp(`^${p.replace(/\/$/, '').replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]+')}$`);
      // A directory (trailing /) counts when the package owns it or anything in it.
      expect(files.some((f) => re.test(f) || (p.endsWith('/') && f.startsWith(p))), p).toBe(true);
    }
  });

  it('installs the source files unchanged, and a bundle that runs with node from anywhere', () => {
    const root = payload('el7');
    const same = (pkgPath: string, source: string): void =>
      expect(readFileSync(join(root, pkgPath), 'utf8'), pkgPath).toBe(readFileSync(join(projectRoot, source), 'utf8'));
    if (existsSync(join(projectRoot, 'systemd', 'ttyconf.conf.example'))) same('etc/ttyconf/ttyconf.conf', 'systemd/ttyconf.conf.example');
    for (const u of sourceUnits) same(`usr/lib/systemd/system/${u}`, `systemd/${u}`);
    for (const d of sourceDropins) same(`usr/share/ttyconf/${d}`, `systemd/${d}`);
    same('usr/bin/ttyconf', 'packaging/ttyconf.sh');
    expect(gunzipSync(readFileSync(join(root, 'usr/share/man/man1/ttyconf.1.gz'))).toString('utf8')).toBe(
      readFileSync(join(projectRoot, 'packaging', 'ttyconf.1'), 'utf8'),
    );
    const cjs = join(root, 'usr/libexec/ttyconf/ttyconf.cjs');
    expect(readFileSync(cjs, 'utf8').startsWith('#!')).toBe(false);
    const r = spawnSync(process.execPath, [cjs, '--version'], { cwd: root, encoding: 'utf8' });
    expect(r.stdout).toBe(`ttyconf ${packageJson.version}\n`);
  });

  it("every unit's ExecStart is a program the package installs, and the console code finds what it links", () => {
    const files = new Set(rpmq(rpmOf('el7'), '-l').trim().split('\n'));
    expect(files).toContain(`/${UNIT_DIRS[0]}/${TEMPLATE}`);
    expect(files).toContain(`/${SERIAL_DROPIN_SOURCE}`);
    for (const u of sourceUnits) {
      const starts = [...readFileSync(join(payload('el7'), 'usr/lib/systemd/system', u), 'utf8').matchAll(/^ExecStart=[-@:+!]*(\S+)/gm)].map((m) => m[1]!);
      expect(starts.length, u).toBeGreaterThan(0);
      for (const s of starts) expect(files, `${u}: ExecStart=${s}`).toContain(s);
    }
  });

  describe('/usr/bin/ttyconf finds node', () => {
    /** The wrapper with its absolute paths moved under a temp dir. */
    function wrapper(dir: string, candidates: Record<string, string>): string {
      let text = readFileSync(join(payload('el7'), 'usr/bin/ttyconf'), 'utf8').replace('/usr/libexec/ttyconf/ttyconf.cjs', join(payload('el7'), 'usr/libexec/ttyconf/ttyconf.cjs'));
      for (const [from, to] of Object.entries(candidates)) text = text.split(from).join(to);
      const file = join(dir, 'ttyconf');
      writeFileSync(file, text, { mode: 0o755 });
      return file;
    }
    const elsewhere = (dir: string): Record<string, string> => ({
      '/usr/libexec/ttyconf/node': join(dir, 'libexec-node'),
      '/usr/local/bin/node': join(dir, 'local-node'),
      '/usr/bin/node': join(dir, 'usr-node'),
    });

    it('the vendor link /usr/libexec/ttyconf/node first, then node on PATH', () => {
      const dir = temp('ttyconf-wrapper-');
      symlinkSync(process.execPath, join(dir, 'libexec-node'));
      const w = wrapper(dir, elsewhere(dir));
      const r = spawnSync(w, ['--version'], { encoding: 'utf8', env: { PATH: '/nonexistent' } });
      expect(r.stdout).toBe(`ttyconf ${packageJson.version}\n`);
      rmSync(join(dir, 'libexec-node'));
      const bin = join(dir, 'bin');
      mkdirSync(bin);
      symlinkSync(process.execPath, join(bin, 'node'));
      expect(spawnSync(w, ['--version'], { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin` } }).stdout).toBe(`ttyconf ${packageJson.version}\n`);
    });

    it('says what it looked for, and exits 1, when there is no node', () => {
      const dir = temp('ttyconf-wrapper-');
      const r = spawnSync(wrapper(dir, elsewhere(dir)), ['--version'], { encoding: 'utf8', env: { PATH: '/nonexistent' } });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^ttyconf: no Node.js runtime found .*Install Node.js 20 or later/);
    });
  });

  describe('scriptlets (rpm -qp --scripts)', () => {
    let s: Record<string, string>;
    beforeAll(() => {
      s = scriptlets(rpmOf('el7'));
    });

    it('are %post, %preun and %postun, all /bin/sh, and shellcheck finds nothing', () => {
      expect(Object.keys(s).sort()).toEqual(['postinstall', 'postuninstall', 'preuninstall']);
      expect(scriptlets(rpmOf('el9'))).toEqual(s);
      if (!hasCommand('shellcheck')) return console.log('shellcheck is not installed: scriptlets not linted');
      for (const [name, body] of Object.entries(s)) {
        const r = spawnSync('shellcheck', ['-s', 'sh', '-'], { input: body, encoding: 'utf8' });
        expect(r.stdout, name).toBe('');
      }
    });

    it('%post takes no terminal: presets the templates on first install, reloads systemd, never enables, masks or starts', () => {
      const root = temp('ttyconf-post-');
      mkdirSync(join(root, 'run/systemd/system'), { recursive: true });
      const first = runScriptlet(s.postinstall!, 1, root);
      expect(first.code).toBe(0);
      expect(first.calls).toEqual([...templates.map((t) => `systemctl --no-reload preset ${t}@.service`), 'systemctl daemon-reload']);
      const upgrade = runScriptlet(s.postinstall!, 2, root);
      expect(upgrade.calls).toEqual(['systemctl daemon-reload']);
    });

    it('%preun on upgrade leaves every terminal alone', () => {
      const root = temp('ttyconf-preun-');
      mkdirSync(join(root, 'var/lib/ttyconf/console'), { recursive: true });
      writeFileSync(join(root, 'var/lib/ttyconf/console/tty1.json'), '{}');
      const r = runScriptlet(s.preuninstall!, 1, root);
      expect(r).toEqual({ code: 0, calls: [], stderr: '' });
    });

    it('%preun on erase runs "console disable" for every enabled tty, falls back when it fails, and never fails', () => {
      const root = temp('ttyconf-preun-');
      const state = join(root, 'var/lib/ttyconf/console');
      mkdirSync(state, { recursive: true });
      for (const f of ['tty1.json', 'ttyS0.json', 'bad name.json']) writeFileSync(join(state, f), '{}');
      mkdirSync(join(root, 'run/systemd/system'), { recursive: true });
      const etc = join(root, 'etc/systemd/system');
      mkdirSync(join(etc, 'getty.target.wants'), { recursive: true });
      symlinkSync('/dev/null', join(etc, 'serial-getty@ttyS0.service')); // masked by enable, left by the failed disable
      symlinkSync('/usr/lib/systemd/system/ttyconf@.service', join(etc, 'getty.target.wants/ttyconf@tty2.service')); // a preset
      const r = runScriptlet(s.preuninstall!, 0, root, ['ttyS0']);
      expect(r.code).toBe(0);
      const giveBack = (tty: string, masked: string[], native: string): string[] => [
        ...templates.map((t) => `systemctl --no-reload disable --now ${t}@${tty}.service`),
        ...masked.map((g) => `systemctl --no-reload unmask ${g}`),
        'systemctl daemon-reload',
        `systemctl start ${native}`,
      ];
      expect(r.calls).toEqual([
        'ttyconf console disable --tty tty1',
        'ttyconf console disable --tty ttyS0',
        ...giveBack('ttyS0', ['serial-getty@ttyS0.service'], 'serial-getty@ttyS0.service'),
        ...(templates.includes('ttyconf') ? giveBack('tty2', [], 'getty@tty2.service') : []),
      ]);
      expect(r.stderr).toContain('"ttyconf console disable --tty ttyS0" failed; giving ttyS0 back to its getty directly');
    });

    it('%postun reloads systemd and restarts nothing (an admin may be typing in the console)', () => {
      const root = temp('ttyconf-postun-');
      mkdirSync(join(root, 'run/systemd/system'), { recursive: true });
      for (const arg of [0, 1]) expect(runScriptlet(s.postuninstall!, arg, root)).toEqual({ code: 0, calls: ['systemctl daemon-reload'], stderr: '' });
    });
  });

  it.skipIf(!hasCommand('rpmlint'))('rpmlint reports no errors (signing is a release step: packaging/rpmlint.toml)', () => {
    for (const t of TARGETS) {
      const r = spawnSync('rpmlint', ['-c', join(projectRoot, 'packaging', 'rpmlint.toml'), rpmOf(t)], { encoding: 'utf8' });
      expect(r.stdout, r.stdout).toMatch(/\b0 errors\b/);
      expect(r.stdout).not.toMatch(/: E: /);
    }
  });
});
