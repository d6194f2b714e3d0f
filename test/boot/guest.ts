// The boot test's guest under qemu, as the test sees it: ttyS0 rendered by a real terminal emulator
// (@xterm/headless, 80x24), a command shell on ttyS1 (test-only, see guest/usr/local/sbin/boottest-shell)
// and the qemu monitor (which also types on the VM's keyboard, for tty1). Everything talks over unix sockets in a work directory.
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { type Socket, connect } from 'node:net';
import { join } from 'node:path';
import xterm from '@xterm/headless';

/** What build-image.sh built (image-DIR/manifest.json). */
export interface Manifest {
  readonly key: string;
  /** The network stack the guest carries (build-image.sh's argument). */
  readonly flavour: 'iproute2' | 'network-scripts' | 'nm-ifcfg';
  /** dummy: qemu -nic none and a dummy eth0; virtio: a virtio NIC on a tap in the test's namespace. */
  readonly nic: 'dummy' | 'virtio';
  readonly payload: 'bundle' | 'dist';
  readonly units: 'project' | 'fallback';
  readonly console: 'command' | 'fallback';
  readonly ui: 'real' | 'stand-in';
  readonly unitTty1: string;
  readonly unitTtyS0: string;
  readonly hostname: string;
  readonly password: string;
  readonly baseSeconds: number | null;
  readonly layerSeconds: number;
  readonly buildSeconds: number;
  readonly imageMB: number;
  readonly notes: readonly string[];
}

export function readManifest(imageDir: string): Manifest {
  return JSON.parse(readFileSync(join(imageDir, 'manifest.json'), 'utf8')) as Manifest;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Limits are for software emulation on 2 shared cores; TTYCONF_BOOT_SLOW=N multiplies them. */
const SLOW = Number(process.env.TTYCONF_BOOT_SLOW ?? '1') || 1;
export const limit = (ms: number): number => ms * SLOW;
/** Seconds since `t0` (performance.now()), for the printed figures. */
export const since = (t0: number): number => (performance.now() - t0) / 1000;

/**
 * What a person would have seen when a step failed, and what the guest logged: the ttyS0 screen,
 * `more()` (other screens), then `journalctl -b --no-pager` with `journal` (units, lines).
 */
export async function printFailure(guest: Guest, journal: string, more?: () => Promise<string>): Promise<void> {
  console.log(`ttyS0 screen at the failure:\n${guest.screen.text()}`);
  try {
    if (more) console.log(await more());
    const j = await guest.shell.run(`journalctl -b --no-pager ${journal}`, 20_000);
    console.log(`journal:\n${j.out}`);
  } catch {
    console.log('(the test shell on ttyS1 did not answer)');
  }
}

/** Polls `probe` until it returns something other than undefined/false; the error names `what`. */
export async function waitUntil<T>(
  what: string,
  timeoutMs: number,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${what}`);
    await sleep(intervalMs);
  }
}

async function connectUnix(path: string, timeoutMs: number): Promise<Socket> {
  return waitUntil(`qemu's socket ${path}`, timeoutMs, () =>
    new Promise<Socket | undefined>((resolve) => {
      const s = connect(path);
      s.once('connect', () => resolve(s));
      s.once('error', () => resolve(undefined));
    }),
  );
}

/** ttyS0 as a person at the serial console sees it. */
export class SerialScreen {
  readonly term: xterm.Terminal;

  constructor(private readonly sock: Socket) {
    this.term = new xterm.Terminal({ cols: 80, rows: 24, allowProposedApi: true });
    sock.on('data', (d: Buffer) => this.term.write(d));
  }

  /** The visible screen, one string per row (trailing blanks trimmed). */
  lines(): string[] {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < this.term.rows; y++) out.push(b.getLine(b.baseY + y)?.translateToString(true) ?? '');
    return out;
  }

  text(): string {
    return this.lines().join('\n');
  }

  /** Resolves once every byte received so far has been parsed. */
  settled(): Promise<void> {
    return new Promise((r) => this.term.write('', r));
  }

  /** Forgets the screen (to see a new program draw its own from nothing). */
  clear(): void {
    this.term.reset();
  }

  send(bytes: string): Promise<void> {
    return new Promise((resolve, reject) => this.sock.write(bytes, 'latin1', (e) => (e ? reject(e) : resolve())));
  }

  /** Keys one write at a time, with a pause after each: a fast line must not outrun the UI's focus moves. */
  async type(keys: readonly string[], gapMs = 400): Promise<void> {
    for (const k of keys) {
      await this.send(k);
      await sleep(gapMs);
    }
  }

  async waitFor(what: string, test: RegExp | string, timeoutMs: number): Promise<string> {
    return waitUntil(`${what} on ttyS0`, timeoutMs, async () => {
      await this.settled();
      const text = this.text();
      return (typeof test === 'string' ? text.includes(test) : test.test(text)) ? text : undefined;
    });
  }
}

export interface CommandResult {
  readonly code: number;
  readonly out: string;
}

/** qemu's key names for the characters of a text typed on the VM's keyboard (letters, digits, '-', '.'). */
export function keyNames(text: string): string[] {
  return [...text].map((c) => {
    if (/[a-z0-9]/.test(c)) return c;
    if (/[A-Z]/.test(c)) return `shift-${c.toLowerCase()}`;
    if (c === '-') return 'minus';
    if (c === '.') return 'dot';
    throw new Error(`no key name for ${JSON.stringify(c)}`);
  });
}

/**
 * The test-only root shell on ttyS1: no echo, no prompt. Each command's output is framed by markers
 * the shell prints itself (typed as printf formats, so the typed text never matches them).
 */
export class GuestShell {
  private buf = '';
  private seq = 0;

  constructor(private readonly sock: Socket) {
    sock.on('data', (d: Buffer) => {
      this.buf += d.toString('latin1').replace(/\r/g, '');
    });
  }

  /** Waits until the shell answers (agetty may drop what was typed before it was ready). */
  async ready(timeoutMs: number): Promise<void> {
    await waitUntil('the test shell on ttyS1', timeoutMs, async () => {
      const id = ++this.seq;
      this.sock.write(`printf '@@%s@@\\n' R${id}\n`);
      for (let i = 0; i < 20; i++) {
        if (this.buf.includes(`@@R${id}@@\n`)) return true;
        await sleep(100);
      }
      return false;
    });
  }

  async run(cmd: string, timeoutMs = 60_000): Promise<CommandResult> {
    const id = ++this.seq;
    const frame = new RegExp(`@@B${id}@@\\n([\\s\\S]*?)\\n@@E${id}@@(\\d+)\\n`);
    this.sock.write(`printf '@@%s@@\\n' B${id}; ( ${cmd} ) </dev/null 2>&1; printf '\\n@@%s@@%s\\n' E${id} "$?"\n`);
    const m = await waitUntil(`"${cmd}" in the guest`, timeoutMs, () => frame.exec(this.buf) ?? undefined, 100);
    this.buf = this.buf.slice((m.index ?? 0) + m[0].length);
    return { code: Number(m[2]), out: (m[1] ?? '').replace(/\n+$/, '') };
  }

  /**
   * The text of VT `n` (tty1...) as a person sees it: /dev/vcsuN (the Unicode twin of /dev/vcsN:
   * UTF-32, where vcsN gives font positions) cut into rows at the size /dev/vcsaN reports.
   */
  async vt(n: number): Promise<{ rows: number; cols: number; text: string }> {
    const r = await this.run(`od -An -tu1 -N2 /dev/vcsa${n}; base64 -w0 /dev/vcsu${n}`);
    if (r.code !== 0) throw new Error(`cannot read /dev/vcsu${n}: ${r.out}`);
    const [dims = '', data = ''] = r.out.split('\n');
    const [rows = 0, cols = 0] = dims.trim().split(/\s+/).map(Number);
    const raw = Buffer.from(data, 'base64');
    let chars = '';
    for (let i = 0; i + 4 <= raw.length; i += 4) chars += String.fromCodePoint(raw.readUInt32LE(i) || 32);
    const lines: string[] = [];
    for (let y = 0; y < rows; y++) lines.push(chars.slice(y * cols, (y + 1) * cols).trimEnd());
    return { rows, cols, text: lines.join('\n') };
  }

  /** Types a command without waiting for an answer (poweroff ends the shell). */
  fire(cmd: string): void {
    this.sock.write(`${cmd}\n`);
  }
}

export interface GuestOptions {
  readonly image: string;
  readonly work: string;
  /** Kernel command line additions. */
  readonly append?: string;
  /**
   * A virtio NIC on `tap` in the network namespace `netns` (qemu runs in that namespace), with the
   * MAC that the guest's files expect. Without it the guest has no NIC (-nic none).
   */
  readonly nic?: { readonly netns: string; readonly tap: string; readonly mac: string };
  /**
   * A writable copy of root.img that outlives this qemu (a reboot is a new qemu on the same disk).
   * Without it the disk is the image's root.img with snapshot=on: the cached image never changes.
   */
  readonly disk?: string;
}

/** qemu, software emulation (there is no KVM here), booting the image's kernel straight into systemd. */
export class Guest {
  private exitCode: number | null | undefined = undefined;
  readonly exited: Promise<number | null>;

  private constructor(
    private readonly qemu: ChildProcess,
    readonly screen: SerialScreen,
    readonly shell: GuestShell,
    private readonly monitor: Socket,
  ) {
    this.exited = new Promise((resolve) => {
      qemu.once('exit', (code) => {
        this.exitCode = code;
        resolve(code);
      });
    });
  }

  static async boot(opts: GuestOptions): Promise<Guest> {
    const { image, work } = opts;
    const log = openSync(join(work, 'qemu.log'), 'a');
    const nic = opts.nic
      ? ['-netdev', `tap,id=n0,ifname=${opts.nic.tap},script=no,downscript=no`, '-device', `virtio-net-pci,netdev=n0,mac=${opts.nic.mac}`]
      : ['-nic', 'none'];
    // net.ifnames=0: the NIC is eth0, the name the guest's ifcfg file carries. no_timer_check: on a
    // loaded host software emulation can be too slow for the kernel's IO-APIC timer check, which
    // then panics ("IO-APIC + timer doesn't work!").
    const append = `root=/dev/vda rw console=ttyS0 quiet no_timer_check${opts.nic ? ' net.ifnames=0' : ''} ${opts.append ?? ''}`.trim();
    const args = [
      '-machine', 'q35', '-accel', 'tcg', '-cpu', 'qemu64', '-smp', '2', '-m', '1024',
      '-kernel', join(image, 'vmlinuz'), '-initrd', join(image, 'initrd.img'),
      '-append', append,
      '-drive', opts.disk ? `file=${opts.disk},format=raw,if=virtio` : `file=${join(image, 'root.img')},format=raw,if=virtio,snapshot=on`,
      ...nic, '-display', 'none', '-vga', 'std', '-no-reboot', '-pidfile', join(work, 'qemu.pid'),
      // wait=on: qemu starts the machine only once the test is connected, so no byte is lost.
      '-chardev', `socket,id=s0,path=${join(work, 'S0.sock')},server=on,wait=on,logfile=${join(work, 'ttyS0.log')}`,
      '-serial', 'chardev:s0',
      '-chardev', `socket,id=s1,path=${join(work, 'S1.sock')},server=on,wait=on,logfile=${join(work, 'ttyS1.log')}`,
      '-serial', 'chardev:s1',
      '-monitor', `unix:${join(work, 'MON.sock')},server=on,wait=on`,
    ];
    const qemu = opts.nic
      ? spawn('ip', ['netns', 'exec', opts.nic.netns, 'qemu-system-x86_64', ...args], { stdio: ['ignore', log, log] })
      : spawn('qemu-system-x86_64', args, { stdio: ['ignore', log, log] });
    const failed = new Promise<never>((_, reject) => {
      qemu.once('error', reject);
      qemu.once('exit', (code) => reject(new Error(`qemu exited (${code}) while starting; see ${join(work, 'qemu.log')}`)));
    });
    // qemu accepts the sockets in the order they were declared.
    const connectAll = async () => {
      const s0 = await connectUnix(join(work, 'S0.sock'), 30_000);
      const s1 = await connectUnix(join(work, 'S1.sock'), 30_000);
      const mon = await connectUnix(join(work, 'MON.sock'), 30_000);
      return [s0, s1, mon] as const;
    };
    const [s0, s1, mon] = await Promise.race([connectAll(), failed]);
    failed.catch(() => undefined);
    mon.on('data', () => undefined);
    return new Guest(qemu, new SerialScreen(s0), new GuestShell(s1), mon);
  }

  /**
   * Keys typed on the VM's own keyboard (qemu's monitor `sendkey`: PS/2 scancodes into the guest's
   * active VT, tty1 at boot). Each key is qemu's name for it: `a`, `minus`, `ret`, `esc`, `ctrl-u`.
   * One key at a time with a pause, as a person types: blessed must see each as its own key.
   */
  async sendKeys(keys: readonly string[], gapMs = 150): Promise<void> {
    for (const k of keys) {
      await new Promise<void>((resolve, reject) => this.monitor.write(`sendkey ${k}\n`, (e) => (e ? reject(e) : resolve())));
      await sleep(gapMs);
    }
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** A clean poweroff from inside; qemu's own quit if the guest does not stop in time. Returns qemu's exit code. */
  async poweroff(timeoutMs: number): Promise<{ clean: boolean; code: number | null }> {
    if (!this.running) return { clean: false, code: this.exitCode ?? null };
    this.shell.fire('systemctl poweroff');
    const timer = sleep(timeoutMs).then(() => 'timeout' as const);
    const r = await Promise.race([this.exited, timer]);
    if (r !== 'timeout') return { clean: true, code: r };
    this.stop();
    return { clean: false, code: await this.exited };
  }

  /** Ends qemu at once (monitor quit, then SIGKILL). */
  stop(): void {
    if (!this.running) return;
    this.monitor.write('quit\n');
    setTimeout(() => {
      if (this.running) this.qemu.kill('SIGKILL');
    }, 3000).unref();
  }
}
