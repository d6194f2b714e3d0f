// `ttyconf console enable|disable|status|firstboot`: put ttyconf on a terminal instead of getty,
// give the terminal back, show which it is, or arm first-boot mode in an image.
import { openRootRepaired } from '../core.js';
import { existsSync } from 'node:fs';
import { COMMON, type CommandSpec, HelpRequest, UsageError, parseCommand } from '../args.js';
import { EXIT, type Io } from '../model/io.js';
import { armFirstBoot, FIRSTBOOT_MARKER } from '../auth/firstboot.js';
import { type ConsoleFailure, type ConsoleReport, consoleStatus, disableConsole, enableConsole } from '../console/manage.js';
import { type Op, describeState, recordPath } from '../console/enable.js';
import { type LiveSystemd, systemctl } from '../console/systemd.js';
import { DEFAULT_TTY, type Tty, parseTty } from '../console/tty.js';
import { nativeGetty, unitName } from '../console/units.js';
import { VIAS, type Via, viaDropinPath } from '../console/via.js';
import type { Root } from '../files/root.js';
import type { Result } from '../model/result.js';
import { execaRunner } from '../system/run.js';
import { makeRelabel } from '../system/selinux.js';

const OK = EXIT.ok;
const FAILED = EXIT.failure;

export const CONSOLE_USAGE = `Usage: ttyconf console COMMAND [--tty TTY] [--via HOW] [--root DIR]

Commands:
  enable      run ttyconf on TTY instead of getty (records what it replaces)
  disable     give TTY back exactly as it was before enable
  status      whether ttyconf is on TTY
  firstboot   arm first boot in an image: ask for a root password if none is set

Options:
  --tty TTY      tty1 (default), tty2..tty63, ttyS0, hvc0...
  --via HOW      enable: service (default: ttyconf's own unit instead of getty),
                 agetty (getty stays, runs ttyconf as its login program), or
                 autologin (getty logs in the account "ttyconf", shell ttyconf);
                 disable undoes whichever it was
  --root DIR     edit the tree under DIR offline (an image), as systemctl --root
  --dry-run      show the changes, make none
  --no-apply     edit the files only; leave the running systemd alone
`;

const TTY = { kind: 'value', arg: 'TTY', help: 'tty1 (default), tty2..tty63, ttyS0, hvc0...' } as const;
const IMAGE_ROOT = { ...COMMON.root, help: 'edit the tree under DIR offline, like systemctl --root' } as const;
const CHANGE = {
  tty: TTY,
  root: IMAGE_ROOT,
  'dry-run': { kind: 'flag', help: 'show the changes, make none' },
  'no-apply': { kind: 'flag', help: 'edit the files only; leave the running systemd alone' },
} as const;

/** Each console command's options; CONSOLE_USAGE above says them all. */
const VIA = { kind: 'value', arg: 'HOW', help: 'service (default), agetty or autologin' } as const;

const CONSOLE_COMMANDS = {
  enable: { name: 'console enable', synopsis: '', options: { ...CHANGE, via: VIA } },
  disable: { name: 'console disable', synopsis: '', options: CHANGE },
  status: { name: 'console status', synopsis: '', options: { tty: TTY, root: IMAGE_ROOT } },
  firstboot: { name: 'console firstboot', synopsis: '', options: { root: IMAGE_ROOT, 'dry-run': CHANGE['dry-run'] } },
} as const satisfies Record<string, CommandSpec>;

export interface ConsoleDeps {
  /** The running systemd; default: systemctl, when --root is / and systemd is running. */
  readonly live?: LiveSystemd | null;
}

function describeOp(op: Op): string {
  const verb = op.to.kind === 'absent' ? 'removed' : op.from.kind === 'absent' ? 'created' : 'replaced';
  const what = op.to.kind === 'symlink' ? ` -> ${op.to.target}` : op.to.kind === 'absent' ? '' : ` (${describeState(op.to)})`;
  const was = op.from.kind !== 'absent' && op.to.kind !== 'absent' ? ` (was ${describeState(op.from)})` : '';
  return `${verb} /${op.path}${what}${was}`;
}

function printReport(io: Io, r: ConsoleReport, dryRun: boolean): void {
  for (const op of r.ops) io.out(`  ${dryRun ? 'would be ' : ''}${describeOp(op)}\n`);
  for (const line of r.ran) io.out(`  ${line}\n`);
  for (const n of r.notes) io.out(`Note: ${n}.\n`);
}

function reportFailure(io: Io, f: ConsoleFailure): number {
  switch (f.kind) {
    case 'refused':
      for (const r of f.reasons) io.err(`ttyconf: ${r}\n`);
      io.err('ttyconf: nothing was changed\n');
      return FAILED;
    case 'write-failed': {
      const e = f.error;
      const state = e.unrestored.length === 0 ? 'every file is as it was before' : `these could not be put back: ${e.unrestored.map((p) => '/' + p).join(', ')}`;
      io.err(`ttyconf: cannot change /${e.path}: ${e.cause}; ${state}\n`);
      return FAILED;
    }
    case 'live-failed':
      printReport(io, f.report, false);
      io.err(`ttyconf: the files are changed, but systemd did not follow: ${f.message}\n`);
      return FAILED;
  }
}

function finish(io: Io, r: Result<ConsoleReport, ConsoleFailure>, dryRun: boolean): number {
  if (!r.ok) return reportFailure(io, r.error);
  printReport(io, r.value, dryRun);
  return OK;
}

export async function run(argv: readonly string[], io: Io, deps: ConsoleDeps = {}): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '-h' || sub === '--help') throw new HelpRequest(CONSOLE_USAGE);
  if (sub === undefined || sub.startsWith('-')) throw new UsageError('console needs a command (enable, disable, status or firstboot) first', CONSOLE_USAGE);
  if (!Object.hasOwn(CONSOLE_COMMANDS, sub)) throw new UsageError(`unexpected "${sub}"`, CONSOLE_USAGE);
  const spec: CommandSpec = CONSOLE_COMMANDS[sub as keyof typeof CONSOLE_COMMANDS];
  const args = parseCommand(spec, rest);
  const values = args.values as { tty?: string; root?: string; 'dry-run'?: true; 'no-apply'?: true; via?: string };
  if (args.positionals.length) throw new UsageError(`unexpected "${args.positionals[0]}"`, CONSOLE_USAGE);
  const tty = parseTty(values.tty ?? DEFAULT_TTY);
  if (!tty.ok) {
    io.err(`ttyconf: ${tty.error}\n`);
    return EXIT.usage;
  }
  const root = await openRootRepaired(values.root ?? '/', io);
  const dryRun = Boolean(values['dry-run']);

  if (sub === 'firstboot') {
    if (dryRun) {
      io.out(`would create /${FIRSTBOOT_MARKER}\n`);
      return OK;
    }
    const r = await armFirstBoot(root);
    if (!r.ok) {
      io.err(`ttyconf: ${r.error}\n`);
      return FAILED;
    }
    io.out(r.value ? `Created /${FIRSTBOOT_MARKER}: the first boot asks for a root password if root has none.\n` : `First boot is already armed (/${FIRSTBOOT_MARKER}).\n`);
    return OK;
  }
  if (sub === 'status') return status(io, root, tty.value);

  const systemdRunning = existsSync('/run/systemd/system');
  const live = deps.live !== undefined ? deps.live : root.isSystem && systemdRunning && !values['no-apply'] ? systemctl(execaRunner) : null;
  const hooks = root.isSystem ? { relabel: makeRelabel(execaRunner) } : {};
  const where = root.isSystem ? '' : ` under ${root.dir}`;
  if (root.isSystem && !systemdRunning && !values['no-apply']) io.out('Note: systemd is not running here: files only.\n');

  if (sub === 'enable') {
    const via = values.via ?? 'service';
    if (!(VIAS as readonly string[]).includes(via)) throw new UsageError(`--via must be service, agetty or autologin, not "${via}"`, CONSOLE_USAGE);
    io.out(`${dryRun ? 'Would put' : 'Putting'} ttyconf on ${tty.value.name}${where}${via === 'service' ? '' : ` --via ${via}`}:\n`);
    const r = via === 'service' ? await enableConsole(root, tty.value, { live, dryRun, hooks })
      : await (await import('../console/viaManage.js')).enableVia(root, tty.value, via as Exclude<Via, 'service'>, { live, dryRun, hooks });
    const code = finish(io, r, dryRun);
    if (r.ok && r.value.ops.length > 0 && !dryRun) {
      io.out(`The previous state is in /${recordPath(tty.value)}; "ttyconf console disable --tty ${tty.value.name}" puts it back.\n`);
    }
    return code;
  }
  io.out(`${dryRun ? 'Would give' : 'Giving'} ${tty.value.name} back${where}:\n`);
  return finish(io, await disableConsole(root, tty.value, { live, dryRun, hooks }), dryRun);
}

async function status(io: Io, root: Root, tty: Tty): Promise<number> {
  const s = await consoleStatus(root, tty);
  if (s.via) io.out(`${tty.name}: ttyconf runs --via ${s.via} (${s.via === 'agetty' ? 'as the login program of' : 'as the shell agetty logs in on'} ${nativeGetty(tty)}; /${viaDropinPath(tty)})\n`);
  io.out(`${unitName(tty)}: ${s.enabled ? 'enabled' : 'not enabled'}${s.recorded && !s.via ? ' (by ttyconf console enable)' : ''}\n`);
  io.out(`masked gettys: ${s.masked.length ? s.masked.join(', ') : 'none'}\n`);
  return OK;
}
