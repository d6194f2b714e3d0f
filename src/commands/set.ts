// `ttyconf set ip|ip6|dns|hostname|vlan ...`: validate, plan, then write (and apply) through executePlan.
import { type Current, openRootRepaired, readCurrent } from '../core.js';
import { preparePlan } from '../plan.js';
import { type FieldError, formatFieldError } from '../model/fieldError.js';
import { type PlanError, formatFileRefusal, isFileRefusal } from '../model/planError.js';
import type { Change } from '../model/types.js';
import type { ProfileStore } from '../model/state.js';
import { type IpInput, validateDns, validateHostname, validateIp } from '../model/validate.js';
import { type CommandSpec, HelpRequest, type OptionValues, type ParsedArgs, UsageError, need, noMore, parseCommand, usage } from '../args.js';
import { EXIT, type Io } from '../model/io.js';
import { type Plan, planDiff } from '../plan.js';
import { type Outcome, type StackName, applyRefusal, executePlan, shouldApply } from '../transaction.js';
import { type Timeouts, timeoutsFromEnv } from '../apply/types.js';
import { isStackName } from '../model/stack.js';
import { terminalConfirm } from '../apply/prompt.js';
import { inPrivateNamespace } from '../system/namespaces.js';
import { commitErrorText } from '../files/errors.js';
import { SET_IP6_COMMAND, ip6Change } from './setIp6.js';
import { SET_VLAN_COMMANDS, parseSetVlan } from './setVlan.js';
import { WRITE_OPTIONS } from './writeOptions.js';

export { WRITE_OPTIONS } from './writeOptions.js';

const SET_IP_COMMAND = {
  name: 'set ip',
  synopsis: ['DEV dhcp', 'DEV static ADDR/PREFIX [--gateway GW]', 'DEV static ADDR --netmask MASK [--gateway GW]'],
  options: {
    gateway: { kind: 'value', arg: 'GW', help: 'the default gateway (static), in the address\'s subnet' },
    netmask: { kind: 'value', arg: 'MASK', help: 'the netmask (static only) of an ADDR without /PREFIX' },
    store: { kind: 'value', arg: 'S', help: 'ifcfg or keyfile: where a new profile goes' },
    ...WRITE_OPTIONS,
  },
} as const satisfies CommandSpec;


const SET_DNS_COMMAND = {
  name: 'set dns',
  synopsis: '[SERVER...] [--search DOMAIN]...',
  options: {
    search: { kind: 'list', arg: 'DOMAIN', help: 'a search domain; repeat it, or a comma list: a,b' },
    ...WRITE_OPTIONS,
  },
  notes: 'The servers come first: a word after --search is refused.\n'
    + 'With no servers and no domains, both are cleared.\n',
} as const satisfies CommandSpec;

const SET_HOSTNAME_COMMAND = { name: 'set hostname', synopsis: 'NAME', options: WRITE_OPTIONS } as const satisfies CommandSpec;

const SET_USAGE = [SET_IP_COMMAND, SET_IP6_COMMAND, SET_DNS_COMMAND, SET_HOSTNAME_COMMAND, ...SET_VLAN_COMMANDS].map((c) => usage(c)).join('\n');

export type WriteValues = OptionValues<typeof WRITE_OPTIONS>;

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const parsed = parseSet(argv);
  checkWriteOptions(parsed.values);
  const current = await readCurrent(await openRootRepaired(parsed.values.root ?? '/', io), { stack: stackOption(parsed.values.stack) });
  return cmdSet(parsed, current, io);
}

type SetArgs = {
  readonly values: WriteValues;
  readonly change: { change: Change } | { errors: FieldError[]; machineErrors?: (current: Current) => FieldError[] };
  /** --store (set ip only): where a profile for a device without one goes. */
  readonly store?: ProfileStore;
};

/** `set WHAT ...` -> the options and the validated change (or the input errors); usage errors throw. */
function parseSet(argv: readonly string[]): SetArgs {
  const [what, ...rest] = argv;
  switch (what) {
    case 'ip': {
      const args = parseCommand(SET_IP_COMMAND, rest);
      return { values: args.values, change: ipChange(args), store: storeOption(args.values.store) };
    }
    case 'ip6': {
      const args = parseCommand(SET_IP6_COMMAND, rest);
      return { values: args.values, change: ip6Change(SET_IP6_COMMAND, args) };
    }
    case 'vlan':
      return parseSetVlan(rest);
    case 'dns': {
      const args = parseCommand(SET_DNS_COMMAND, rest);
      return { values: args.values, change: dnsChange(args) };
    }
    case 'hostname': {
      const args = parseCommand(SET_HOSTNAME_COMMAND, rest);
      const name = need(args, 0, 'the hostname');
      noMore(args, 1);
      const r = validateHostname(name);
      return { values: args.values, change: r.ok ? { change: r.value } : { errors: r.error } };
    }
    case undefined:
      throw new UsageError('set: missing what to set (ip, ip6, dns, hostname or vlan)', SET_USAGE);
    case '-h':
    case '--help':
      throw new HelpRequest(SET_USAGE);
    default:
      throw new UsageError(`set: cannot set "${what}": use ip, ip6, dns, hostname or vlan`, SET_USAGE);
  }
}

function ipChange(args: ParsedArgs<typeof SET_IP_COMMAND.options>): { change: Change } | { errors: FieldError[] } {
  const device = need(args, 0, 'the interface name');
  const method = need(args, 1, 'the method (dhcp or static)');
  let input: IpInput;
  if (method === 'dhcp') {
    noMore(args, 2);
    for (const o of ['gateway', 'netmask'] as const) {
      if (args.values[o] !== undefined) throw new UsageError(`"set ip DEV dhcp" does not take the option --${o}: it is for static addresses`, usage(SET_IP_COMMAND));
    }
    input = { device, method };
  } else if (method === 'static') {
    const address = need(args, 2, 'the address (ADDR/PREFIX, or ADDR with --netmask)');
    noMore(args, 3);
    input = { device, method, address, netmask: args.values.netmask, gateway: args.values.gateway };
  } else throw new UsageError(`set ip: method must be dhcp or static, not "${method}"`, usage(SET_IP_COMMAND));
  const r = validateIp(input);
  return r.ok ? { change: r.value } : { errors: r.error };
}

function dnsChange(args: ParsedArgs<typeof SET_DNS_COMMAND.options>): { change: Change } | { errors: FieldError[] } {
  // `--search a b` once meant two domains: a word after --search is refused rather than read as a
  // server, so a line written that way never sets the wrong servers or clears them.
  const late = args.positionalsAfter('search');
  if (late.length) {
    throw new UsageError(
      `set dns: "${late[0]}" comes after --search, which takes one domain: give the servers first `
        + '(set dns SERVER... --search DOMAIN), and one --search per domain or a comma list',
      usage(SET_DNS_COMMAND),
    );
  }
  const r = validateDns({ servers: args.positionals, search: args.values.search ?? [] });
  return r.ok ? { change: r.value } : { errors: r.error };
}

export function reportInvalid(io: Io, errors: readonly PlanError[]): number {
  for (const e of errors) io.err(isFileRefusal(e) ? `ttyconf: will not edit ${formatFileRefusal(e)}\n` : `ttyconf: invalid ${formatFieldError(e)}\n`);
  io.err('ttyconf: nothing was written\n');
  return EXIT.usage;
}

async function cmdSet(set: SetArgs, current: Current, io: Io): Promise<number> {
  const { values, change: parsed } = set;
  if ('errors' in parsed) return reportInvalid(io, [...parsed.machineErrors?.(current) ?? [], ...parsed.errors]);
  const planned = preparePlan(current, [parsed.change], { store: set.store });
  if (!planned.ok) return reportInvalid(io, planned.error);
  return writePlan(values, current, planned.value, io);
}

/** Prints the diff (--dry-run), or writes and applies a plan and reports the outcome: `set`, `restore` and `reset` end here. */
export async function writePlan(values: WriteValues, current: Current, plan: Plan, io: Io, nothing = 'Nothing to change: the files already say that.'): Promise<number> {
  if (plan.edits.length === 0) {
    io.out(`${nothing}\n`);
    return EXIT.ok;
  }
  if (values['dry-run']) {
    io.out(planDiff(plan));
    for (const n of plan.notes) io.err(`Note: ${n}.\n`);
    for (const l of plan.rollbackLimits) io.err(`If rolled back: ${l}.\n`);
    return EXIT.ok;
  }
  const apply = applyFlags(values, current);
  if (typeof apply === 'string') {
    io.err(`ttyconf: ${apply}; nothing was written\n`);
    return EXIT.usage;
  }
  for (const s of plan.summary) io.out(`${s.field}: ${s.old} -> ${s.new}\n`);
  if (apply !== null) for (const l of plan.rollbackLimits) io.out(`If rolled back: ${l}.\n`);
  const outcome = await executePlan(current, plan, {
    apply: apply !== null,
    stack: apply?.stack,
    confirmTimeoutSeconds: apply?.confirmSeconds,
    noRevert: Boolean(values['no-revert']),
    timeouts: apply?.timeouts,
    onProgress: (message, event) => {
      if (event.kind !== 'confirm') io.out(`${message}\n`);
    },
    // Only ttyconf's own words (and a carriage return to redraw the countdown) go through here.
    confirmKeep: terminalConfirm({ input: process.stdin, write: io.control }),
  });
  return reportOutcome(io, outcome);
}

/** The write options that contradict each other or are malformed: refused before anything is read. */
export function checkWriteOptions(values: WriteValues): void {
  if (values.apply && values['no-apply']) throw new UsageError('--apply and --no-apply contradict each other');
  stackOption(values.stack);
  const t = values['confirm-timeout'];
  if (t !== undefined && !/^[1-9]\d{0,3}$/.test(t)) throw new UsageError(`--confirm-timeout must be a whole number of seconds from 1 to 9999, not "${t}"`);
}

/** --apply/--no-apply/--stack/--confirm-timeout and TTYCONF_TIMEOUTS; null: write files only; a string: why not here. */
function applyFlags(values: WriteValues, current: Current): { stack?: StackName; confirmSeconds?: number; timeouts?: Partial<Timeouts> } | null | string {
  const stack = stackOption(values.stack);
  const t = values['confirm-timeout'];
  if (!shouldApply(current.root, { apply: Boolean(values.apply), noApply: Boolean(values['no-apply']) })) return null;
  const refusal = applyRefusal(current.root, stack ?? current.stack?.name ?? 'iproute2', current.root.isSystem || inPrivateNamespace('net'));
  if (refusal) return refusal;
  return { stack, confirmSeconds: t === undefined ? undefined : Number(t), timeouts: envTimeouts() };
}

/** --store ifcfg|keyfile: where `set ip` puts a profile for a device without one (image builders). */
export function storeOption(v: string | undefined): ProfileStore | undefined {
  if (v === undefined) return undefined;
  if (v !== 'ifcfg' && v !== 'keyfile') throw new UsageError(`--store must be ifcfg or keyfile, not "${v}"`);
  return v;
}

/** The --stack value, checked. */
export function stackOption(v: string | undefined): StackName | undefined {
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
      io.err(`ttyconf: ${commitErrorText(outcome.error)}\n`);
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

