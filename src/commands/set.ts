// `ttyconf set ip|dns|hostname ...`: validate, plan, then write (and apply) through executePlan.
import { type Current, openRoot, preparePlan, readCurrent } from '../core.js';
import { type FieldError, formatFieldError } from '../model/fieldError.js';
import type { Change } from '../model/types.js';
import { type IpInput, validateDns, validateHostname, validateIp } from '../model/validate.js';
import { type ParsedArgs, UsageError, need, noMore } from '../args.js';
import type { Io } from '../cli.js';
import { planDiff } from '../plan.js';
import { type Outcome, type StackName, applyRefusal, executePlan, shouldApply } from '../transaction.js';
import { type Timeouts, isStackName, timeoutsFromEnv } from '../apply/types.js';
import { terminalConfirm } from '../apply/prompt.js';
import { inPrivateNamespace } from '../system/namespaces.js';
import { EXIT } from './types.js';

export async function run(args: ParsedArgs, io: Io): Promise<number> {
  const current = await readCurrent(openRoot(args.options.get('root') ?? '/'), { stack: stackOption(args) });
  return cmdSet(args, current, io);
}

/** Turns `set ...` arguments into a validated change, or the input errors. */
export function changeFromArgs(args: ParsedArgs): { change: Change } | { errors: FieldError[] } {
  const what = need(args, 1, 'what to set (ip, dns or hostname)');
  if (what === 'ip') {
    const device = need(args, 2, 'interface name');
    const method = need(args, 3, 'method (dhcp or static)');
    let input: IpInput;
    if (method === 'dhcp') {
      noMore(args, 4);
      for (const o of ['gateway', 'netmask']) if (args.options.has(o)) throw new UsageError(`--${o} is for static addresses`);
      input = { device, method };
    } else if (method === 'static') {
      const address = need(args, 4, 'address (ADDR/PREFIX, or ADDR with --netmask)');
      noMore(args, 5);
      input = { device, method, address, netmask: args.options.get('netmask'), gateway: args.options.get('gateway') };
    } else throw new UsageError(`method must be dhcp or static, not "${method}"`);
    const r = validateIp(input);
    return r.ok ? { change: r.value } : { errors: r.error };
  }
  if (what === 'dns') {
    const r = validateDns({ servers: args.positionals.slice(2), search: args.lists.get('search') ?? [] });
    return r.ok ? { change: r.value } : { errors: r.error };
  }
  if (what === 'hostname') {
    const name = need(args, 2, 'hostname');
    noMore(args, 3);
    const r = validateHostname(name);
    return r.ok ? { change: r.value } : { errors: r.error };
  }
  throw new UsageError(`cannot set "${what}": use ip, dns or hostname`);
}

function reportInvalid(io: Io, errors: readonly FieldError[]): number {
  for (const e of errors) io.err(`ttyconf: invalid ${formatFieldError(e)}\n`);
  io.err('ttyconf: nothing was written\n');
  return EXIT.usage;
}

async function cmdSet(args: ParsedArgs, current: Current, io: Io): Promise<number> {
  const parsed = changeFromArgs(args);
  if ('errors' in parsed) return reportInvalid(io, parsed.errors);
  const planned = preparePlan(current, [parsed.change]);
  if (!planned.ok) return reportInvalid(io, planned.error);
  const plan = planned.value;
  if (plan.edits.length === 0) {
    io.out('Nothing to change: the files already say that.\n');
    return EXIT.ok;
  }
  if (args.flags.has('dry-run')) {
    io.out(planDiff(plan));
    return EXIT.ok;
  }
  const apply = applyFlags(args, current);
  if (typeof apply === 'string') {
    io.err(`ttyconf: ${apply}; nothing was written\n`);
    return EXIT.usage;
  }
  for (const s of plan.summary) io.out(`${s.field}: ${s.old} -> ${s.new}\n`);
  const outcome = await executePlan(current, plan, {
    apply: apply !== null,
    stack: apply?.stack,
    confirmTimeoutSeconds: apply?.confirmSeconds,
    noRevert: args.flags.has('no-revert'),
    timeouts: apply?.timeouts,
    onProgress: (message, event) => {
      if (event.kind !== 'confirm') io.out(`${message}\n`);
    },
    confirmKeep: terminalConfirm({ input: process.stdin, write: io.out }),
  });
  return reportOutcome(io, outcome);
}

/** --apply/--no-apply/--stack/--confirm-timeout and TTYCONF_TIMEOUTS; null: write files only; a string: why not here. */
function applyFlags(args: ParsedArgs, current: Current): { stack?: StackName; confirmSeconds?: number; timeouts?: Partial<Timeouts> } | null | string {
  if (args.flags.has('apply') && args.flags.has('no-apply')) throw new UsageError('--apply and --no-apply contradict each other');
  const stack = stackOption(args);
  const t = args.options.get('confirm-timeout');
  if (t !== undefined && !/^[1-9]\d{0,3}$/.test(t)) throw new UsageError(`--confirm-timeout must be a whole number of seconds from 1 to 9999, not "${t}"`);
  if (!shouldApply(current.root, { apply: args.flags.has('apply'), noApply: args.flags.has('no-apply') })) return null;
  const refusal = applyRefusal(current.root, stack ?? current.stack?.name ?? 'iproute2', current.root.isSystem || inPrivateNamespace('net'));
  if (refusal) return refusal;
  return { stack, confirmSeconds: t === undefined ? undefined : Number(t), timeouts: envTimeouts() };
}

export function stackOption(args: ParsedArgs): StackName | undefined {
  const v = args.options.get('stack');
  if (v === undefined) return undefined;
  if (!isStackName(v)) throw new UsageError(`--stack must be nm, network-scripts or iproute2, not "${v}"`);
  return v;
}

function envTimeouts(): Partial<Timeouts> {
  const r = timeoutsFromEnv();
  if (!r.ok) throw new UsageError(r.error);
  return r.value;
}

function reportOutcome(io: Io, outcome: Outcome): number {
  switch (outcome.kind) {
    case 'unchanged':
      io.out('Nothing to change.\n');
      return EXIT.ok;
    case 'not-applied':
      io.err(`ttyconf: not applied: ${outcome.reason}\n`);
      return EXIT.failure;
    case 'write-failed': {
      const e = outcome.error;
      const state = e.restored
        ? 'every file is as it was before'
        : `these files could not be restored from the backup and may be new: ${e.unrestored.join(', ')}`;
      io.err(`ttyconf: cannot write ${e.file}: ${e.cause}; ${state}\n`);
      return EXIT.failure;
    }
    case 'written':
    case 'applied': {
      const c = outcome.commit;
      io.out(`Wrote ${c.written.join(', ')} (backup in ${c.backupDir}).\n`);
      for (const n of outcome.notes) io.out(`Note: ${n}.\n`);
      if (outcome.kind === 'written') io.out('Files only: the running system was not changed.\n');
      else io.out(`Applied with ${outcome.stack}${outcome.kept === 'confirmed' ? ' and kept' : ''}.${outcome.log ? ` Log: ${outcome.log}` : ''}\n`);
      return EXIT.ok;
    }
    case 'rolled-back': {
      io.err(`ttyconf: rolled back: ${outcome.reason}\n`);
      if (outcome.restored) io.err('ttyconf: the old settings are back (files restored, applied again)\n');
      else {
        const files = outcome.unrestoredFiles.length ? `; files not restored: ${outcome.unrestoredFiles.join(', ')}` : '';
        io.err(`ttyconf: the old settings could NOT be fully restored${files}; see ${outcome.log ?? 'the log'}\n`);
      }
      for (const c of outcome.rollbackChecks.filter((x) => x.status === 'failed')) io.err(`ttyconf: after rollback: ${c.name}: ${c.detail}\n`);
      return EXIT.failure;
    }
  }
}

