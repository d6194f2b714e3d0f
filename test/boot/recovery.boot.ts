// The boot test's recovery guest (docs/boot-test.md, "The other two ways to start, and a restore"):
// the iproute2 guest's image, switched live from ttyconf's own units to the other two ways to start
// (`console enable --via agetty` on ttyS0, `--via autologin` on tty1), then booted again with them.
// ttyS0 is driven over the serial line; tty1 with the VM's own keyboard (qemu's sendkey) and read
// through /dev/vcsu1. Then a backup is restored through the console and the guest's files and kernel
// must be as before. The steps run in order; none asserts a duration (the figures are only printed).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Guest, type Manifest, keyNames, limit, printFailure, readManifest, since, sleep, waitUntil } from './guest.js';

const IMAGE = process.env.TTYCONF_BOOT_IMAGE_RECOVERY ?? '';
const WORK = process.env.TTYCONF_BOOT_WORK ?? '';
if (!IMAGE || !WORK) throw new Error('run the boot test with "npm run test:boot" (test/boot/run.sh builds the image)');
const T = { boot: 360_000, step: 120_000, apply: 180_000, poweroff: 120_000 } as const;

const manifest: Manifest = readManifest(IMAGE);
const HOST = manifest.hostname;
const FIRST = 'ttyconf-renamed';
const SECOND = 'ttyconf-second';
const SERIAL_GETTY = 'serial-getty@ttyS0.service';
const VT_GETTY = 'getty@tty1.service';
/** The files a hostname change writes; the restore must give each its bytes from before. */
const FILES = ['/etc/hostname', '/etc/hosts'];
/** The frame titles of the result screen (src/ui/outcome.ts): ASCII on ttyS0, line drawing on tty1. */
const RESULT_TITLE = /(\+-|\u250c\u2500) (Nothing changed|Not done|FAILED[^-\u2500]*|Done: [a-z ]+|Rolled back|Result) (-|\u2500)/;
const DONE = /(\+-|\u250c\u2500) Done: applied (-|\u2500)/;
const MENU = /Choose what to set up/;
const FORM = /Letters, digits and hyphens/;
const PROMPT = /password/i;
const REFUSED = /Wrong user name or password/;
const SHELL = /\b(ba|da)?sh\b/;

const work = join(WORK, 'recovery');
const disk = join(work, 'root.img');
const figures: string[] = [];
const figure = (name: string, seconds: number): void => {
  figures.push(`recovery: ${name}: ${seconds.toFixed(1)}s`);
};
let guest: Guest;
let bootStart = 0;
/** sha256sum of FILES as the image has them. */
let filesBefore = '';

const sh = async (cmd: string, timeoutMs = 60_000): Promise<string> => {
  const r = await guest.shell.run(cmd, timeoutMs);
  expect(r.code, `${cmd}:\n${r.out}`).toBe(0);
  return r.out;
};
const boot = (): Promise<Guest> => Guest.boot({ image: IMAGE, work, disk });

/** "PID ARGS" of every process whose controlling terminal is `tty`. */
async function processesOn(tty: string): Promise<string> {
  return (await guest.shell.run(`ps -o pid=,args= -t ${tty}`)).out;
}

async function mainPid(unit: string): Promise<number> {
  return Number((await sh(`systemctl show -p MainPID --value ${unit}`)).trim()) || 0;
}

/** ttyconf's PID on a terminal (on tty1 it is login's child, the account's shell). */
async function ttyconfPid(tty: string): Promise<number> {
  const r = await guest.shell.run(`pgrep -t ${tty} -f '^[^ ]*node /usr/bin/ttyconf'`);
  return Number(r.out.split('\n')[0]) || 0;
}

/** No shell, and only what the way to start puts there: ttyconf, and login for the autologin. */
async function expectNoShell(tty: string, allowed: RegExp): Promise<void> {
  const procs = await processesOn(tty);
  expect(procs, `processes on ${tty}`).toMatch(/node \/usr\/bin\/ttyconf/);
  for (const line of procs.split('\n').filter((l) => l.trim())) {
    const args = line.trim().replace(/^\d+\s+/, '');
    expect(args, `processes on ${tty}:\n${procs}`).not.toMatch(SHELL);
    expect(args, `processes on ${tty}:\n${procs}`).toMatch(allowed);
  }
}

// --- ttyS0, the serial line -------------------------------------------------------------------

const serial = {
  async text(): Promise<string> {
    await guest.screen.settled();
    return guest.screen.text();
  },
  async type(keys: readonly string[], gap?: number): Promise<void> {
    await guest.screen.type(keys, gap);
  },
  password: (): string[] => ['\x15', ...manifest.password, '\r'],
  word: (w: string): string[] => [...w],
  keys: { enter: '\r', esc: '\x1b', ctrlU: '\x15', up: '\x1b[A' },
};

// --- tty1, the VM's screen and keyboard ---------------------------------------------------------

const vt = {
  async text(): Promise<string> {
    return (await guest.shell.vt(1)).text;
  },
  async type(keys: readonly string[]): Promise<void> {
    await guest.sendKeys(keys);
  },
  password: (): string[] => ['ctrl-u', ...keyNames(manifest.password), 'ret'],
  word: (w: string): string[] => keyNames(w),
  keys: { enter: 'ret', esc: 'esc', ctrlU: 'ctrl-u', up: 'up' },
};

type Console = typeof serial;

async function waitOn(c: Console, what: string, test: (t: string) => boolean, ms = limit(T.step)): Promise<string> {
  return waitUntil(what, ms, async () => {
    const t = await c.text();
    return test(t) ? t : undefined;
  }, 300);
}

/** Back to the status screen from the menu or a result screen. */
async function toStatus(c: Console): Promise<void> {
  for (let i = 0; i < 4; i++) {
    const t = await c.text();
    if (RESULT_TITLE.test(t)) await c.type([c.keys.enter]);
    else if (/Status/.test(t) && t.includes('eth0') && !MENU.test(t)) return;
    else await c.type([c.keys.esc]);
    await sleep(800);
  }
  await waitOn(c, 'the status screen', (t) => /Status/.test(t) && t.includes('eth0'));
}

/** Menu -> the entry with `hotkey`; resolves with what opened: `form`, or the password prompt first. */
async function openEntry(c: Console, hotkey: string, form: RegExp): Promise<'form' | 'prompt'> {
  await toStatus(c);
  await c.type([c.keys.enter]);
  await waitOn(c, 'the menu', (t) => MENU.test(t));
  await c.type([hotkey, c.keys.enter]);
  const t = await waitOn(c, `${form} or a password prompt`, (x) => form.test(x) || PROMPT.test(x));
  return form.test(t) ? 'form' : 'prompt';
}

/** Types the root password (again after the login's delay) until `form` opens. */
async function logIn(c: Console, form: RegExp): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await c.type(c.password());
    const t = await waitOn(c, `${form} after logging in`, (x) => form.test(x) || /Wait \d+ s/.test(x));
    if (form.test(t)) return;
    if (attempt === 3) expect.fail(`the password was not accepted:\n${t}`);
    await sleep(3000 * attempt);
  }
}

/** On the review: waits for `expected`, then Y (and K at "Keep these settings?"); returns the result screen. */
async function confirm(c: Console, expected: readonly string[], what: string): Promise<string> {
  const review = await waitOn(c, `the review of ${what}`, (t) => /Review changes/.test(t) && expected.every((s) => t.includes(s)))
    .catch(async () => c.text());
  for (const s of expected) expect(review, `the review of ${what}`).toContain(s);
  // The review ignores keys for its first half second (typed ahead, before anyone could read it).
  await sleep(700);
  const t0 = performance.now();
  await c.type(['y']);
  let kept = false;
  let again = false;
  const result = await waitUntil(`the result of ${what}`, limit(T.apply), async () => {
    const t = await c.text();
    if (!again && /typed before this screen appeared and ignored/.test(t)) {
      again = true;
      await sleep(700);
      await c.type(['y']);
    }
    if (!kept && /Keep these settings\?/.test(t)) {
      kept = true;
      await c.type(['k']);
    }
    return RESULT_TITLE.test(t) && /Back to status/.test(t) ? t : undefined;
  }, 300);
  figure(`${what}: Y to result`, since(t0));
  console.log(`result of ${what}:\n${result}`);
  return result;
}

/** The hostname through the form (logged in already or asked now), the review and Y. */
async function setHostname(c: Console, from: string, to: string): Promise<string> {
  if (!FORM.test(await c.text())) {
    if ((await openEntry(c, 'h', FORM)) === 'prompt') await logIn(c, FORM);
  }
  await c.type([c.keys.ctrlU, ...c.word(to)]);
  await waitOn(c, `${to} typed in the form`, (t) => t.includes(to));
  await c.type([c.keys.enter]);
  return confirm(c, [`${from} -> ${to}`, 'etc/hostname'], `hostname ${to}`);
}

async function expectHostname(name: string): Promise<void> {
  expect((await sh('cat /etc/hostname; hostname')).split('\n')).toEqual([name, name]);
}

describe(`recovery at the console, the other two ways to start (ttyconf from the ${manifest.payload})`, () => {
  beforeAll(async () => {
    mkdirSync(work, { recursive: true });
    // A copy the guest writes to and the second boot keeps (the cached image never changes).
    execFileSync('cp', ['--sparse=always', join(IMAGE, 'root.img'), disk]);
    bootStart = performance.now();
    guest = await boot();
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && guest?.running) {
      await printFailure(guest, `-n 60 -u ${SERIAL_GETTY} -u ${VT_GETTY} -t ttyconf -t login`, async () => `tty1 screen at the failure:\n${await vt.text()}`);
    }
  });

  afterAll(async () => {
    if (guest?.running) guest.stop();
    if (guest) await guest.exited;
    rmSync(disk, { force: true });
    writeFileSync(join(WORK, 'figures-recovery.txt'), figures.map((f) => f + '\n').join(''));
  });

  it('switches live from its own units to --via agetty on ttyS0 and --via autologin on tty1, then boots with them', async () => {
    await guest.screen.waitFor(`the hostname ${HOST}`, HOST, limit(T.boot));
    await guest.shell.ready(limit(T.step));
    filesBefore = await sh(`sha256sum ${FILES.join(' ')}`);
    for (const tty of ['ttyS0', 'tty1']) await sh(`ttyconf console disable --tty ${tty}`, limit(T.step));
    await sh('ttyconf console enable --tty ttyS0 --via agetty', limit(T.step));
    await sh('ttyconf console enable --tty tty1 --via autologin', limit(T.step));
    const dropins = await sh(`cat /etc/systemd/system/${SERIAL_GETTY}.d/zz-ttyconf.conf /etc/systemd/system/${VT_GETTY}.d/zz-ttyconf.conf`);
    console.log(`the drop-ins:\n${dropins}`);
    expect(dropins).toMatch(/-l \/usr\/bin\/ttyconf/);
    expect(dropins).toMatch(/--autologin ttyconf/);
    // The account: ttyconf as its shell, its password locked.
    expect(await sh('getent passwd ttyconf')).toBe('ttyconf:x:0:0:ttyconf console:/:/usr/bin/ttyconf');
    expect((await sh('getent shadow ttyconf')).split(':')[1]).toBe('!!');
    // ttyconf's own units are gone and the gettys are no longer masked (serial-getty@ttyS0 is
    // "enabled-runtime": systemd's getty generator starts it for console=ttyS0).
    const enabled = (await sh('systemctl is-enabled ttyconf@ttyS0.service ttyconf@tty1.service getty@tty1.service serial-getty@ttyS0.service || true')).split('\n');
    expect(enabled.slice(0, 2)).toEqual(['disabled', 'disabled']);
    for (const e of enabled.slice(2)) expect(e).toMatch(/^enabled/);

    const t0 = performance.now();
    const off = await guest.poweroff(limit(T.poweroff));
    expect(off).toEqual({ clean: true, code: 0 });
    bootStart = performance.now();
    guest = await boot();
    // agetty prints /etc/issue (with the hostname) before it runs ttyconf: wait for the status screen.
    await guest.screen.waitFor(`the status screen with ${HOST} (second boot)`, new RegExp(`Hostname\\s+${HOST}[\\s\\S]*eth0`), limit(T.boot));
    figure('poweroff and boot again to the first screen on ttyS0', since(t0));
  });

  it('ttyS0: agetty runs ttyconf as its login program; the status screen, no login, no shell', async () => {
    const text = await serial.text();
    console.log(`ttyS0, first screen under agetty:\n${text}`);
    expect(text).toContain('eth0');
    await guest.shell.ready(limit(T.step));
    await waitUntil(`${SERIAL_GETTY} active`, limit(T.step), async () => (await sh(`systemctl is-active ${SERIAL_GETTY} || true`)).trim() === 'active');
    // agetty exec()s its login program: the getty's main process is ttyconf itself.
    const pid = await mainPid(SERIAL_GETTY);
    expect(await sh(`cat /proc/${pid}/cmdline | tr '\\0' ' '`)).toMatch(/node \/usr\/bin\/ttyconf\s*$/);
    expect(await sh(`tr '\\0' '\\n' < /proc/${pid}/environ | grep ^TTYCONF_ | sort`)).toBe('TTYCONF_CONSOLE=1\nTTYCONF_SERIAL=1\nTTYCONF_TTY=ttyS0');
    await expectNoShell('ttyS0', /node \/usr\/bin\/ttyconf/);
  });

  it('tty1: agetty logs in the ttyconf account, whose shell is ttyconf; the status screen, no shell', async () => {
    const text = await waitUntil(`the hostname ${HOST} on tty1`, limit(T.step), async () => {
      const t = await vt.text();
      return t.includes(HOST) && t.includes('eth0') ? t : undefined;
    });
    console.log(`tty1, first screen after the autologin:\n${text.replace(/\n+$/, '')}`);
    await waitUntil('ttyconf on tty1', limit(T.step), async () => (await ttyconfPid('tty1')) > 0);
    const pid = await ttyconfPid('tty1');
    expect(await sh(`ps -o user=,ppid= -p ${pid}`)).toMatch(/^\s*(ttyconf|root)\s+\d+/);
    const parent = (await sh(`ps -o ppid= -p ${pid}`)).trim();
    expect(await sh(`ps -o comm= -p ${parent}`)).toBe('login');
    expect(await sh(`tr '\\0' '\\n' < /proc/${pid}/environ | grep -E '^(TTYCONF_|LOGNAME=|SHELL=)' | sort`))
      .toBe('LOGNAME=ttyconf\nSHELL=/usr/bin/ttyconf\nTTYCONF_CONSOLE=1\nTTYCONF_TTY=tty1');
    await expectNoShell('tty1', /node \/usr\/bin\/ttyconf|^\/bin\/login|^login/);
  });

  it('ttyS0: a change asks for the password, refuses a wrong one, then changes the hostname', async () => {
    expect(await openEntry(serial, 'h', FORM)).toBe('prompt');
    expect(await serial.text()).not.toMatch(FORM);
    await serial.type([...'not-the-password', '\r'], 60);
    await waitOn(serial, 'the refusal on ttyS0', (t) => REFUSED.test(t));
    expect(await serial.text()).not.toMatch(FORM);
    await logIn(serial, FORM);
    const result = await setHostname(serial, HOST, FIRST);
    expect(result).toMatch(DONE);
    await expectHostname(FIRST);
  });

  it('tty1: a change asks for the password (typed on the VM keyboard), then changes the hostname again', async () => {
    await waitUntil(`${FIRST} on tty1`, limit(T.step), async () => (await vt.text()).includes(FIRST));
    expect(await openEntry(vt, 'h', FORM)).toBe('prompt');
    await vt.type([...keyNames('wrong-password'), 'ret']);
    await waitOn(vt, 'the refusal on tty1', (t) => REFUSED.test(t));
    expect(await vt.text()).not.toMatch(FORM);
    await logIn(vt, FORM);
    const result = await setHostname(vt, FIRST, SECOND);
    expect(result).toMatch(DONE);
    await vt.type(['ret']);
    await expectHostname(SECOND);
    expect((await sh('ls /var/lib/ttyconf/backups | wc -l')).trim()).toBe('2');
  });

  it('comes back after ttyconf is killed, on the status screen, asking for the password again; never a shell', async () => {
    // ttyS0: Ctrl-C, Ctrl-Z, Ctrl-\ and Ctrl-D are keys to ttyconf, never a way out to a shell.
    await toStatus(serial);
    await serial.type(['\x03', '\x1a', '\x1c', '\x04']);
    await sleep(3000);
    await guest.screen.waitFor(`the status screen with ${SECOND}`, SECOND, limit(T.step));
    await expectNoShell('ttyS0', /node \/usr\/bin\/ttyconf/);

    const before = await mainPid(SERIAL_GETTY);
    guest.screen.clear();
    let t0 = performance.now();
    await sh(`kill -KILL ${before}`);
    // Not just the hostname: agetty's /etc/issue has it too, before ttyconf runs.
    const fresh = await guest.screen.waitFor(`a new status screen with ${SECOND} on ttyS0`, new RegExp(`Hostname\\s+${SECOND}`), limit(T.step));
    figure('kill to new screen on ttyS0 (agetty restarted by systemd)', since(t0));
    expect(fresh).not.toMatch(/Choose what to set up|Letters, digits and hyphens/);
    const after = await waitUntil('a new main process', limit(T.step), async () => {
      const p = await mainPid(SERIAL_GETTY);
      return p > 0 && p !== before ? p : undefined;
    });
    expect(after).not.toBe(before);
    await expectNoShell('ttyS0', /node \/usr\/bin\/ttyconf/);
    expect(await openEntry(serial, 'h', FORM)).toBe('prompt');
    await toStatus(serial);

    // tty1: killing the account's shell ends the session; agetty logs the account in again.
    const old = await ttyconfPid('tty1');
    expect(old).toBeGreaterThan(0);
    t0 = performance.now();
    await sh(`kill -KILL ${old}`);
    const next = await waitUntil('a new ttyconf on tty1', limit(T.step), async () => {
      const p = await ttyconfPid('tty1');
      return p > 0 && p !== old ? p : undefined;
    });
    await waitUntil(`the status screen with ${SECOND} on tty1`, limit(T.step), async () => {
      const t = await vt.text();
      return t.includes(SECOND) && !MENU.test(t) && !FORM.test(t);
    });
    figure('kill to new screen on tty1 (a new autologin)', since(t0));
    expect(next).not.toBe(old);
    await expectNoShell('tty1', /node \/usr\/bin\/ttyconf|^\/bin\/login|^login/);
    expect(await openEntry(vt, 'h', FORM)).toBe('prompt');
    await toStatus(vt);
  });

  it('restores the first backup through the console on ttyS0: both changes undone in the files and the kernel', async () => {
    const LIST = /Restore earlier settings[\s\S]*When/;
    if ((await openEntry(serial, 'b', LIST)) === 'prompt') await logIn(serial, LIST);
    await waitOn(serial, 'both backups in the list', (t) => (t.match(/root on tty(S0|1), change/g) ?? []).length === 2);
    // The list is newest first; Up from the first entry wraps to the oldest.
    await serial.type([serial.keys.up]);
    await waitOn(serial, 'the oldest backup chosen', (t) => t.includes(`hostname: ${HOST} -> ${FIRST}`));
    await serial.type([serial.keys.enter]);
    const result = await confirm(serial, [`${SECOND} -> ${HOST}`, 'etc/hostname'], 'the restore');
    expect(result).toMatch(DONE);
    await serial.type(['\r']);
    await guest.screen.waitFor(`the status screen with ${HOST}`, new RegExp(`Hostname\\s+${HOST}`), limit(T.step));

    // The files byte for byte as the image had them, and the kernel's hostname.
    expect(await sh(`sha256sum ${FILES.join(' ')}`)).toBe(filesBefore);
    await expectHostname(HOST);
    await waitUntil(`${HOST} on tty1`, limit(T.step), async () => (await vt.text()).includes(`${HOST} `));
    // The restore is a change of its own, backed up, and listed with the lines its review showed.
    type Listed = { id: string; kind: string | null; tty: string | null; summary: { field: string; old: string; new: string }[] | null };
    const { backups } = JSON.parse(await sh('ttyconf backups --json')) as { backups: Listed[] };
    expect(backups.map((b) => [b.kind, b.tty])).toEqual([['restore', 'ttyS0'], ['change', 'tty1'], ['change', 'ttyS0']]);
    expect(backups[0]!.summary).toContainEqual({ field: 'hostname', old: SECOND, new: HOST });
  });

  it('powers off cleanly', async () => {
    const t0 = performance.now();
    const r = await guest.poweroff(limit(T.poweroff));
    figure('poweroff', since(t0));
    figure('second boot to poweroff', since(bootStart));
    expect(r).toEqual({ clean: true, code: 0 });
  });
});
