// `console enable|disable` on temp roots: what lands on disk, that a second run changes nothing,
// and that disable gives back exactly the tree that was there before.
import { mkdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ABSENT, type PathState, planDisable, planEnable } from '../../src/console/enable.js';
import { disableConsole, enableConsole } from '../../src/console/manage.js';
import type { LiveSystemd } from '../../src/console/systemd.js';
import { parseTty } from '../../src/console/tty.js';
import { desiredLinks } from '../../src/console/units.js';
import { Root } from '../../src/files/root.js';
import { ok } from '../../src/model/result.js';
import { cli } from '../helpers/cli.js';
import { cleanup, installPackageUnits, snapshotTree, tempRoot, tty, write } from './helpers.js';

const ETC = 'etc/systemd/system';

/** A CentOS 7 image as far as gettys go: getty@tty1 enabled, the package installed. */
function centos7(root: string): void {
  installPackageUnits(root);
  write(root, 'usr/lib/systemd/system/getty@.service', '[Unit]\nDescription=Getty on %I\n');
  write(root, 'usr/lib/systemd/system/serial-getty@.service', '[Unit]\nDescription=Serial Getty on %I\n');
  mkdirSync(join(root, ETC, 'getty.target.wants'), { recursive: true });
  symlinkSync('/usr/lib/systemd/system/getty@.service', join(root, ETC, 'getty.target.wants/getty@tty1.service'));
}

function fakeSystemd(active: string[] = []): LiveSystemd & { calls: string[] } {
  const calls: string[] = [];
  const running = new Set(active);
  return {
    calls,
    isActive: async (u) => running.has(u),
    daemonReload: async () => (calls.push('daemon-reload'), ok(undefined)),
    start: async (u) => (calls.push(`start ${u}`), running.add(u), ok(undefined)),
    stop: async (u) => (calls.push(`stop ${u}`), running.delete(u), ok(undefined)),
    restart: async (u) => (calls.push(`restart ${u}`), ok(undefined)),
  };
}

describe('parseTty', () => {
  it.each([
    ['tty1', 'vt'],
    ['/dev/tty2', 'vt'],
    ['tty63', 'vt'],
    ['ttyS0', 'serial'],
    ['hvc0', 'serial'],
    ['ttyAMA0', 'serial'],
  ])('%s is a %s', (name, kind) => expect(parseTty(name)).toMatchObject({ ok: true, value: { kind } }));
  it.each(['tty0', 'tty64', 'console', '../etc', 'tty1/x', 'ttyS0@x', '', 'a b'])('refuses %j, naming the value', (name) => {
    const r = parseTty(name);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(`"${name}"`);
  });
});

describe('the pure plan', () => {
  it('a VT: enable the instance, mask getty, autovt and serial-getty', () => {
    expect(desiredLinks(tty('tty1'), 'usr/lib/systemd/system')).toEqual([
      { path: `${ETC}/getty.target.wants/ttyconf@tty1.service`, target: '/usr/lib/systemd/system/ttyconf@.service', why: 'enable ttyconf@tty1.service' },
      { path: `${ETC}/getty@tty1.service`, target: '/dev/null', why: 'mask getty@tty1.service' },
      { path: `${ETC}/autovt@tty1.service`, target: '/dev/null', why: 'mask autovt@tty1.service' },
      { path: `${ETC}/serial-getty@tty1.service`, target: '/dev/null', why: 'mask serial-getty@tty1.service' },
    ]);
  });
  it('a serial line also gets the drop-in, as a relative link', () => {
    const links = desiredLinks(tty('ttyS0'), 'usr/lib/systemd/system');
    expect(links.find((l) => l.path.endsWith('ttyconf-serial.conf'))).toMatchObject({
      path: `${ETC}/ttyconf@ttyS0.service.d/ttyconf-serial.conf`,
      target: '../../../../usr/share/ttyconf/ttyconf-serial.conf',
    });
    expect(links.map((l) => l.path)).not.toContain(`${ETC}/autovt@ttyS0.service`);
  });
  it('skips paths already right and refuses a directory in the way', () => {
    const desired = desiredLinks(tty('tty1'), 'usr/lib/systemd/system');
    const current = new Map<string, PathState>([
      [`${ETC}/getty@tty1.service`, { kind: 'symlink', target: '/dev/null' }],
      [`${ETC}/autovt@tty1.service`, { kind: 'other', what: 'a directory' }],
    ]);
    const plan = planEnable(desired, current);
    expect(plan.ops.map((o) => o.path)).toEqual([`${ETC}/getty.target.wants/ttyconf@tty1.service`, `${ETC}/serial-getty@tty1.service`]);
    expect(plan.refused).toEqual([`${ETC}/autovt@tty1.service is a directory; ttyconf replaces only links and files there`]);
  });
  it('disable restores what enable left, and leaves alone what someone changed since', () => {
    const mask: PathState = { kind: 'symlink', target: '/dev/null' };
    const record = {
      version: 1 as const, tty: 'tty1', kind: 'vt' as const, createdDirs: [], wasActive: null,
      changes: [
        { path: 'a', before: ABSENT, after: mask },
        { path: 'b', before: { kind: 'symlink' as const, target: '/x' }, after: mask },
        { path: 'c', before: ABSENT, after: mask },
      ],
    };
    const plan = planDisable(record, new Map<string, PathState>([['a', mask], ['b', mask], ['c', { kind: 'symlink', target: '/elsewhere' }]]));
    expect(plan.ops.map((o) => [o.path, o.to])).toEqual([['a', ABSENT], ['b', { kind: 'symlink', target: '/x' }]]);
    expect(plan.skipped).toEqual(['c now holds a link to /elsewhere, not what enable left (a mask (link to /dev/null)): left as it is']);
  });
});

describe('enable and disable on a temp root', () => {
  let dir: string;
  let root: Root;
  beforeEach(() => {
    dir = tempRoot();
    root = new Root(dir);
  });
  afterEach(() => cleanup(dir));

  it('tty1 on a CentOS 7 tree: links made, second run changes nothing, disable restores the tree exactly', async () => {
    centos7(dir);
    const before = snapshotTree(dir);
    const r1 = await enableConsole(root, tty('tty1'), { live: null });
    expect(r1.ok && r1.value.ops.length).toBe(4);
    const after1 = snapshotTree(dir);
    expect(after1[`${ETC}/getty.target.wants/ttyconf@tty1.service`]).toBe('link:/usr/lib/systemd/system/ttyconf@.service');
    expect(after1[`${ETC}/getty@tty1.service`]).toBe('link:/dev/null');
    expect(after1[`${ETC}/autovt@tty1.service`]).toBe('link:/dev/null');
    expect(after1[`${ETC}/getty.target.wants/getty@tty1.service`]).toBe('link:/usr/lib/systemd/system/getty@.service');

    const r2 = await enableConsole(root, tty('tty1'), { live: null });
    expect(r2.ok && r2.value.ops).toEqual([]);
    expect(snapshotTree(dir)).toEqual(after1);

    const d = await disableConsole(root, tty('tty1'), { live: null });
    expect(d.ok && d.value.notes).toEqual([]);
    expect(snapshotTree(dir)).toEqual(before);
    const d2 = await disableConsole(root, tty('tty1'), { live: null });
    expect(d2.ok && d2.value.ops).toEqual([]);
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('an empty root is empty again after enable + disable (created directories go too)', async () => {
    await enableConsole(root, tty('ttyS0'), { live: null });
    expect(Object.keys(snapshotTree(dir)).length).toBeGreaterThan(5);
    await disableConsole(root, tty('ttyS0'), { live: null });
    expect(snapshotTree(dir)).toEqual({});
  });

  it('an admin override file in place of the getty comes back with its content and mode', async () => {
    centos7(dir);
    write(dir, `${ETC}/getty@tty1.service`, '[Service]\nExecStart=-/sbin/agetty --noclear %I\n', 0o640);
    const before = snapshotTree(dir);
    const r = await enableConsole(root, tty('tty1'), { live: null });
    expect(r.ok).toBe(true);
    expect(snapshotTree(dir)[`${ETC}/getty@tty1.service`]).toBe('link:/dev/null');
    await disableConsole(root, tty('tty1'), { live: null });
    expect(snapshotTree(dir)).toEqual(before);
    expect(statSync(join(dir, ETC, 'getty@tty1.service')).mode & 0o7777).toBe(0o640);
  });

  it('a getty the admin had masked stays masked after disable', async () => {
    centos7(dir);
    symlinkSync('/dev/null', join(dir, ETC, 'serial-getty@ttyS0.service'));
    const before = snapshotTree(dir);
    const r = await enableConsole(root, tty('ttyS0'), { live: null });
    expect(r.ok && r.value.ops.map((o) => o.path)).not.toContain(`${ETC}/serial-getty@ttyS0.service`);
    await disableConsole(root, tty('ttyS0'), { live: null });
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('a path changed after enable is left alone, with a note; the rest is restored', async () => {
    centos7(dir);
    await enableConsole(root, tty('tty1'), { live: null });
    rmSync(join(dir, ETC, 'autovt@tty1.service'));
    symlinkSync('/etc/somewhere/else.service', join(dir, ETC, 'autovt@tty1.service'));
    const d = await disableConsole(root, tty('tty1'), { live: null });
    expect(d.ok && d.value.notes).toEqual([
      `${ETC}/autovt@tty1.service now holds a link to /etc/somewhere/else.service, not what enable left (a mask (link to /dev/null)): left as it is`,
    ]);
    const t = snapshotTree(dir);
    expect(t[`${ETC}/autovt@tty1.service`]).toBe('link:/etc/somewhere/else.service');
    expect(t[`${ETC}/getty@tty1.service`]).toBeUndefined();
    expect(t[`${ETC}/getty.target.wants/ttyconf@tty1.service`]).toBeUndefined();
  });

  it('enable after a partial earlier one keeps the first "before" for every path', async () => {
    centos7(dir);
    write(dir, `${ETC}/getty@tty1.service`, 'original override\n');
    const before = snapshotTree(dir);
    await enableConsole(root, tty('tty1'), { live: null });
    // Someone removes the mask and enable runs again: the record must still hold the override file.
    rmSync(join(dir, ETC, 'getty@tty1.service'));
    const again = await enableConsole(root, tty('tty1'), { live: null });
    expect(again.ok && again.value.ops.map((o) => o.path)).toEqual([`${ETC}/getty@tty1.service`]);
    await disableConsole(root, tty('tty1'), { live: null });
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('a failure half-way puts every path back and leaves no record', async () => {
    centos7(dir);
    const before = snapshotTree(dir);
    let n = 0;
    const r = await enableConsole(root, tty('tty1'), {
      live: null,
      hooks: { beforeChange: () => {
        if (++n === 3) throw new Error('disk full');
      } },
    });
    expect(r.ok).toBe(false);
    if (!r.ok && r.error.kind === 'write-failed') {
      expect(r.error.error).toEqual({ path: `${ETC}/autovt@tty1.service`, cause: 'disk full', unrestored: [] });
    } else throw new Error('expected write-failed');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('a directory where a mask goes: refused, nothing written', async () => {
    centos7(dir);
    mkdirSync(join(dir, ETC, 'getty@tty1.service'));
    const before = snapshotTree(dir);
    const r = await enableConsole(root, tty('tty1'), { live: null });
    expect(r).toMatchObject({ ok: false, error: { kind: 'refused' } });
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('a damaged or forged record is refused, nothing touched', async () => {
    centos7(dir);
    write(dir, 'var/lib/ttyconf/console/tty1.json', JSON.stringify({
      version: 1, tty: 'tty1', kind: 'vt', createdDirs: [], wasActive: null,
      changes: [{ path: 'etc/shadow', before: { kind: 'absent' }, after: { kind: 'absent' } }],
    }));
    const before = snapshotTree(dir);
    const r = await disableConsole(root, tty('tty1'), { live: null });
    expect(r).toMatchObject({ ok: false, error: { kind: 'refused', reasons: [expect.stringContaining('names paths ttyconf never changes: etc/shadow')] } });
    write(dir, 'var/lib/ttyconf/console/tty1.json', '{not json');
    expect(await enableConsole(root, tty('tty1'), { live: null })).toMatchObject({ ok: false, error: { kind: 'refused' } });
    expect(snapshotTree(dir)).toEqual({ ...before, 'var/lib/ttyconf/console/tty1.json': 'file:644:{not json' });
  });

  it('disable without a record removes only ttyconf links and says what stays masked', async () => {
    centos7(dir);
    symlinkSync('/usr/lib/systemd/system/ttyconf@.service', join(dir, ETC, 'getty.target.wants/ttyconf@tty1.service'));
    symlinkSync('/dev/null', join(dir, ETC, 'getty@tty1.service'));
    const d = await disableConsole(root, tty('tty1'), { live: null });
    expect(d.ok && d.value.ops.map((o) => o.path)).toEqual([`${ETC}/getty.target.wants/ttyconf@tty1.service`]);
    expect(d.ok && d.value.notes[0]).toMatch(/leaves getty@tty1\.service masked: "systemctl unmask"/);
    expect(snapshotTree(dir)[`${ETC}/getty@tty1.service`]).toBe('link:/dev/null');
  });

  it('live: records the running getty, reloads and starts ttyconf; disable stops it and starts that getty again', async () => {
    centos7(dir);
    const sd = fakeSystemd(['getty@tty1.service']);
    const e = await enableConsole(root, tty('tty1'), { live: sd });
    expect(e.ok && e.value.ran).toEqual(['reloaded systemd', 'started ttyconf@tty1.service']);
    expect(JSON.parse(readFileSync(join(dir, 'var/lib/ttyconf/console/tty1.json'), 'utf8')).wasActive).toEqual(['getty@tty1.service']);
    const again = await enableConsole(root, tty('tty1'), { live: sd });
    expect(again.ok && again.value.ran).toEqual([]);
    const d = await disableConsole(root, tty('tty1'), { live: sd });
    expect(d.ok && d.value.ran).toEqual(['reloaded systemd', 'stopped ttyconf@tty1.service', 'started getty@tty1.service']);
    expect(sd.calls).toEqual(['daemon-reload', 'start ttyconf@tty1.service', 'daemon-reload', 'stop ttyconf@tty1.service', 'start getty@tty1.service']);
  });

  it('live disable of an image enabled offline lets getty.target start what it wants', async () => {
    centos7(dir);
    await enableConsole(root, tty('ttyS0'), { live: null });
    const sd = fakeSystemd(['ttyconf@ttyS0.service']);
    await disableConsole(root, tty('ttyS0'), { live: sd });
    expect(sd.calls).toEqual(['daemon-reload', 'stop ttyconf@ttyS0.service', 'restart getty.target']);
  });

  it('live enable refuses when the package is not installed', async () => {
    const r = await enableConsole(root, tty('tty1'), { live: fakeSystemd() });
    expect(r).toMatchObject({ ok: false, error: { kind: 'refused', reasons: ['/usr/lib/systemd/system/ttyconf@.service is not installed: install the ttyconf package first'] } });
    expect(snapshotTree(dir)).toEqual({});
  });
});

describe('ttyconf console (the command)', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempRoot();
    centos7(dir);
  });
  afterEach(() => cleanup(dir));

  it('enable --tty ttyS0 --root DIR, twice, then disable: exit 0 each time, and the messages say what happened', async () => {
    const before = snapshotTree(dir);
    const e1 = await cli('console', 'enable', '--tty', 'ttyS0', '--root', dir);
    expect(e1).toMatchObject({ code: 0, err: '' });
    expect(e1.out).toContain('created /etc/systemd/system/getty.target.wants/ttyconf@ttyS0.service -> /usr/lib/systemd/system/ttyconf@.service');
    expect(e1.out).toContain('created /etc/systemd/system/serial-getty@ttyS0.service -> /dev/null');
    expect(e1.out).toContain('"ttyconf console disable --tty ttyS0" puts it back');
    const mid = snapshotTree(dir);
    const e2 = await cli('console', 'enable', '--tty', 'ttyS0', '--root', dir);
    expect(e2.code).toBe(0);
    expect(e2.out).toContain('ttyconf is already on ttyS0; no file changed');
    expect(snapshotTree(dir)).toEqual(mid);
    const st = await cli('console', 'status', '--tty', 'ttyS0', '--root', dir);
    expect(st.out).toBe('ttyconf@ttyS0.service: enabled (by ttyconf console enable)\nmasked gettys: serial-getty@ttyS0.service, getty@ttyS0.service\n');
    const d = await cli('console', 'disable', '--tty', 'ttyS0', '--root', dir);
    expect(d.code).toBe(0);
    expect(d.out).toContain('removed /etc/systemd/system/serial-getty@ttyS0.service');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('defaults to tty1; --dry-run writes nothing', async () => {
    const before = snapshotTree(dir);
    const r = await cli('console', 'enable', '--root', dir, '--dry-run');
    expect(r.code).toBe(0);
    expect(r.out).toContain('would be created /etc/systemd/system/getty@tty1.service -> /dev/null');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it.each([
    [['console', 'enable', '--tty', 'tty0'], /--tty: "tty0" must be a virtual terminal from tty1 to tty63/],
    [['console', 'enable', '--tty', '../../etc/passwd'], /must be a terminal name such as tty1 or ttyS0/],
    [['console'], /console needs a command/],
    [['console', 'frobnicate'], /unexpected "frobnicate"/],
    [['console', 'enable', 'extra'], /unexpected "extra"/],
  ])('usage errors exit 2: %j', async (argv, message) => {
    const r = await cli(...argv, '--root', dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('a refusal exits 1 and says nothing was changed', async () => {
    mkdirSync(join(dir, ETC, 'getty@tty1.service'));
    const r = await cli('console', 'enable', '--root', dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('nothing was changed');
  });

  it('firstboot arms the marker once', async () => {
    const a = await cli('console', 'firstboot', '--root', dir);
    expect(a).toMatchObject({ code: 0 });
    expect(a.out).toContain('Created /var/lib/ttyconf/firstboot');
    const b = await cli('console', 'firstboot', '--root', dir);
    expect(b.out).toContain('already armed');
  });
});
