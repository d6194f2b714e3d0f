// The boot test (npm run test:boot; docs/boot-test.md): ttyconf in a real Debian guest with systemd
// as PID 1, under qemu, driven over its serial lines. run.sh builds the image and sets the variables.
// The steps run in order against one boot; none asserts a duration (the figures are only printed).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Guest, type Manifest, limit, printFailure, readManifest, since, sleep, waitUntil } from './guest.js';

const IMAGE = process.env.TTYCONF_BOOT_IMAGE ?? '';
const WORK = process.env.TTYCONF_BOOT_WORK ?? '';
const PROJECT = fileURLToPath(new URL('../..', import.meta.url));
if (!IMAGE || !WORK) throw new Error('run the boot test with "npm run test:boot" (test/boot/run.sh builds the image)');

const T = { boot: 360_000, step: 120_000, poweroff: 120_000 } as const;

const manifest: Manifest = readManifest(IMAGE);
const HOST = manifest.hostname;
const NEW_HOST = 'ttyconf-renamed';
/** Until the login lands, src/ui/auth.ts lets every action through and says so. */
const LOGIN_BUILT = !readFileSync(join(PROJECT, 'src/ui/auth.ts'), 'utf8').includes('no login built yet');
const realUi = manifest.ui === 'real';
const figures: string[] = [];
const figure = (name: string, seconds: number): void => {
  figures.push(`${name}: ${seconds.toFixed(1)}s`);
};
/** The frame titles of the result screen (src/ui/outcome.ts). */
const RESULT_TITLE = /\+- (Nothing changed|Not done|FAILED[^-]*|Done: [a-z ]+|Rolled back|Result) -/;
const pendingSteps: string[] = [];
/** Skips a step that waits on unfinished work, and lists it in run.sh's summary. */
function pending(ctx: { skip: (note: string) => never; task: { name: string } }, why: string): never {
  pendingSteps.push(`${ctx.task.name}: ${why}`);
  return ctx.skip(`pending: ${why}`);
}

let guest: Guest;
let bootStart = 0;

/** Processes whose controlling terminal is `tty`, as "PID COMMAND" lines. */
async function processesOn(tty: string): Promise<string[]> {
  const r = await guest.shell.run(`ps -o pid=,comm= -t ${tty}`);
  return r.out.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}

/** The text of tty1 (a VT) as a person sees it, read through /dev/vcsu1 (GuestShell.vt). */
async function tty1Screen(): Promise<{ rows: number; cols: number; text: string }> {
  return guest.shell.vt(1);
}

async function tty1Text(): Promise<string> {
  return (await tty1Screen()).text;
}

async function mainPid(unit: string): Promise<number> {
  const r = await guest.shell.run(`systemctl show -p MainPID --value ${unit}`);
  return Number(r.out.trim()) || 0;
}

const FORM = /Letters, digits and hyphens/;
const PROMPT = /password/i;

/** Status -> Menu -> Hostname; resolves with what opened: the form, or a password prompt first. */
async function openHostnameForm(): Promise<'form' | 'prompt'> {
  const screen = guest.screen;
  await screen.type(['\r']);
  await screen.waitFor('the menu', /Choose what to set up/, limit(T.step));
  await screen.type(['h', '\r']);
  return waitUntil('the hostname form or a password prompt', limit(T.step), async () => {
    await screen.settled();
    const t = screen.text();
    return FORM.test(t) ? 'form' : PROMPT.test(t) ? 'prompt' : undefined;
  });
}

/**
 * Types the root password at the prompt (Ctrl-U first: the field may keep a refused attempt) and
 * waits for the form behind it. After a refusal the login imposes a delay ("Wait N s before trying
 * again"): then it waits and types again.
 */
async function logIn(): Promise<void> {
  const screen = guest.screen;
  for (let attempt = 1; ; attempt++) {
    await screen.type(['\x15', ...manifest.password, '\r'], 60);
    const seen = await waitUntil('the hostname form after logging in', limit(T.step), async () => {
      await screen.settled();
      const t = screen.text();
      return FORM.test(t) ? 'form' : /Wait \d+ s/.test(t) ? 'wait' : undefined;
    });
    if (seen === 'form') return;
    if (attempt === 3) expect.fail(`the password was not accepted:\n${screen.text()}`);
    await sleep(3000 * attempt);
  }
}

describe(`ttyconf booted under qemu (ttyconf from the ${manifest.payload}, UI: ${manifest.ui})`, () => {
  beforeAll(async () => {
    for (const n of manifest.notes) console.log(`image note: ${n}`);
    bootStart = performance.now();
    guest = await Guest.boot({ image: IMAGE, work: WORK });
  });

  afterEach(async (ctx) => {
    // What a person would have seen, and what ttyconf logged: the failure is diagnosed from here.
    if (ctx.task.result?.state === 'fail' && guest?.running) await printFailure(guest, `-n 40 -u '${manifest.unitTtyS0}' -u '${manifest.unitTty1}'`);
  });

  afterAll(async () => {
    if (guest?.running) guest.stop();
    if (guest) await guest.exited;
    writeFileSync(join(WORK, 'figures.txt'), figures.map((f) => f + '\n').join(''));
    writeFileSync(join(WORK, 'pending.txt'), pendingSteps.map((f) => f + '\n').join(''));
  });

  it('shows the status screen on ttyS0 with the guest hostname', async () => {
    const screen = await guest.screen.waitFor(`the hostname ${HOST}`, HOST, limit(T.boot));
    figure('boot to first screen (qemu start to hostname on ttyS0)', since(bootStart));
    console.log(`ttyS0, first screen:\n${screen}`);
    expect(screen).toContain('eth0');
  });

  it('runs ttyconf on tty1 and ttyS0 and no getty there', async () => {
    await guest.shell.ready(limit(T.step));
    figure('boot to test shell on ttyS1', since(bootStart));
    for (const unit of [manifest.unitTty1, manifest.unitTtyS0]) {
      const r = await waitUntil(`${unit} active`, limit(T.step), async () => {
        const a = await guest.shell.run(`systemctl is-active ${unit}`);
        return a.out.trim() === 'active' ? a : undefined;
      });
      expect(r.code).toBe(0);
    }
    const masked = await guest.shell.run('systemctl is-enabled getty@tty1.service serial-getty@ttyS0.service');
    expect(masked.out.split('\n')).toEqual(['masked', 'masked']);
    const gettys = await guest.shell.run('pgrep -a getty');
    for (const line of gettys.out.split('\n')) expect(line).not.toMatch(/\b(tty1|ttyS0)\b/);
    for (const tty of ['tty1', 'ttyS0']) {
      const procs = await processesOn(tty);
      expect(procs.join('\n'), `processes on ${tty}`).not.toMatch(/getty|login/);
      // The stand-in is a shell script; the real UI must never leave a shell on the console.
      if (realUi) expect(procs.join('\n'), `processes on ${tty}`).not.toMatch(/\b(ba)?sh\b/);
    }
  });

  it('shows the UI on tty1 too (read through /dev/vcsu1)', async () => {
    const text = await waitUntil(`the hostname ${HOST} on tty1`, limit(T.step), async () => {
      const t = await tty1Text();
      return t.includes(HOST) ? t : undefined;
    });
    const { rows, cols } = await tty1Screen();
    console.log(`tty1 (${cols}x${rows}), read through /dev/vcsu1:\n${text.replace(/\n+$/, '')}`);
    expect(text).toContain('eth0');
  });

  it('gets the keys sent over the serial line', async () => {
    if (!realUi) {
      await guest.screen.type(['hello-from-serial\r']);
      await guest.screen.waitFor('the stand-in echoing the keys', 'stand-in got: hello-from-serial', limit(T.step));
      return;
    }
    await guest.screen.type(['\r']);
    await guest.screen.waitFor('the menu (Enter on the status screen)', /Choose what to set up/, limit(T.step));
    await guest.screen.type(['\x1b']);
    await guest.screen.waitFor('the status screen again (Esc)', /Status[\s\S]*eth0/, limit(T.step));
    expect(guest.screen.text()).not.toContain('Choose what to set up');
  });

  it('asks for the root password before a change, and refuses a wrong one', async (ctx) => {
    if (!realUi) pending(ctx, 'the console UI is not built yet (the image runs the stand-in)');
    if (!LOGIN_BUILT) pending(ctx, 'the login is not plugged into the UI yet (src/ui/auth.ts lets every action through)');
    const screen = guest.screen;
    await openHostnameForm();
    await screen.waitFor('a password prompt', PROMPT, limit(T.step));
    expect(screen.text()).not.toMatch(FORM);
    await screen.type([...'not-the-password', '\r'], 60);
    await screen.waitFor('the refusal', /Wrong user name or password/, limit(T.step));
    expect(screen.text()).not.toMatch(FORM);
    await logIn();
  });

  it('changes the hostname: review, apply, the result on screen and in the guest', async (ctx) => {
    if (!realUi) pending(ctx, 'the console UI is not built yet (the image runs the stand-in)');
    const screen = guest.screen;
    if (!FORM.test(screen.text())) {
      const shown = await openHostnameForm();
      if (shown === 'prompt') await logIn();
      else if (LOGIN_BUILT) expect.fail(`the hostname form opened without asking for the root password:\n${screen.text()}`);
    }
    await screen.type(['\x15', ...NEW_HOST], 60);
    await screen.waitFor(`${NEW_HOST} typed in the form`, NEW_HOST, limit(T.step));
    await screen.type(['\r']);
    const review = await screen.waitFor('the review', new RegExp(`${HOST} -> ${NEW_HOST}`), limit(T.step));
    expect(review).toContain('etc/hostname');
    // The review ignores keys for its first half second (typed ahead, before anyone could read it).
    await new Promise((r) => setTimeout(r, 700));
    const t0 = performance.now();
    await screen.type(['y']);
    // The core may ask "Keep these settings?" after applying; keep them.
    let kept = false;
    const result = await waitUntil('the result screen', limit(T.step), async () => {
      await screen.settled();
      const t = screen.text();
      if (!kept && /Keep these settings\?/.test(t)) {
        kept = true;
        await screen.type(['k']);
      }
      return RESULT_TITLE.test(t) ? t : undefined;
    });
    figure('review Y to result screen (write + apply + verify)', since(t0));
    console.log(`ttyS0, result screen:\n${result}`);
    expect(result).toMatch(/\+- Done: applied -/);
    expect(result).toContain('Files written:');
    await screen.type(['\r']);
    await screen.waitFor(`the status screen with ${NEW_HOST}`, new RegExp(`Hostname\\s+${NEW_HOST}`), limit(T.step));

    const files = await guest.shell.run('cat /etc/hostname; hostname; grep -c "# ttyconf" /etc/hosts; ls /var/lib/ttyconf/backups | wc -l');
    expect(files.out.split('\n')).toEqual([NEW_HOST, NEW_HOST, '1', '1']);
    // tty1 reads the machine again on its refresh timer and shows the new name too.
    await waitUntil(`${NEW_HOST} on tty1`, limit(T.step), async () => (await tty1Text()).includes(NEW_HOST));
  });

  it('comes back after its process is killed', async () => {
    const unit = manifest.unitTtyS0;
    const host = (await guest.shell.run('cat /etc/hostname')).out.trim();
    const before = await mainPid(unit);
    expect(before, `${unit} main PID`).toBeGreaterThan(0);
    guest.screen.clear();
    const t0 = performance.now();
    const k = await guest.shell.run(`kill -KILL ${before}`);
    expect(k.code, k.out).toBe(0);
    const fresh = await guest.screen.waitFor(`a new screen with ${host}`, host, limit(T.step));
    figure('kill to new screen on ttyS0 (systemd restart)', since(t0));
    // A new process starts on the status screen, never where the old one was.
    if (realUi) expect(fresh).not.toMatch(/Choose what to set up|Letters, digits and hyphens/);
    const after = await mainPid(unit);
    expect(after).toBeGreaterThan(0);
    expect(after).not.toBe(before);
    if (realUi) expect((await processesOn('ttyS0')).join('\n')).not.toMatch(/\b(ba)?sh\b|login/);
    // The session of the killed process is gone: a change needs the password again.
    if (realUi && LOGIN_BUILT) expect(await openHostnameForm()).toBe('prompt');
  });

  it('powers off cleanly', async () => {
    const t0 = performance.now();
    const r = await guest.poweroff(limit(T.poweroff));
    figure('poweroff', since(t0));
    figure('boot to poweroff (one whole guest run)', since(bootStart));
    expect(r).toEqual({ clean: true, code: 0 });
  });
});
