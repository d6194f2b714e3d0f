// `ttyconf set vlan add PARENT ID [--name NAME]`, `set vlan id NAME ID`, `set vlan del NAME`: the
// words -> a validated VLAN change (or the input errors); usage errors throw. Each subcommand has its
// own options table: an option it does not take is a usage error.
import { type CommandSpec, HelpRequest, type ParsedArgs, UsageError, need, noMore, parseCommand, usage } from '../args.js';
import type { FieldError } from '../model/fieldError.js';
import type { Change } from '../model/types.js';
import { validateVlanAdd, validateVlanDel, validateVlanId } from '../model/vlan.js';
import { interfaceNameErrors } from '../model/ifname.js';
import type { Current } from '../current.js';
import { vlanParentErrors } from '../planVlan.js';
import { WRITE_OPTIONS } from './writeOptions.js';

const SET_VLAN_ADD_COMMAND = {
  name: 'set vlan add',
  synopsis: 'PARENT ID [--name NAME]',
  options: {
    name: { kind: 'value', arg: 'NAME', help: 'the VLAN interface\'s name (default PARENT.ID)' },
    ...WRITE_OPTIONS,
  },
  notes: 'ID: 1 to 4094. The new VLAN has IPv4 and IPv6 off: set them with set ip\n'
    + 'and set ip6. Its profile goes to the store this machine uses for new profiles.\n',
} as const satisfies CommandSpec;

const SET_VLAN_ID_COMMAND = { name: 'set vlan id', synopsis: 'NAME ID', options: WRITE_OPTIONS } as const satisfies CommandSpec;
const SET_VLAN_DEL_COMMAND = { name: 'set vlan del', synopsis: 'NAME', options: WRITE_OPTIONS } as const satisfies CommandSpec;

export const SET_VLAN_COMMANDS = [SET_VLAN_ADD_COMMAND, SET_VLAN_ID_COMMAND, SET_VLAN_DEL_COMMAND] as const;

type Parsed = {
  values: ParsedArgs<typeof WRITE_OPTIONS>['values'];
  change: { change: Change } | { errors: FieldError[]; machineErrors?: (current: Current) => FieldError[] };
};

const result = (r: { ok: true; value: Change } | { ok: false; error: FieldError[] }): Parsed['change'] => (r.ok ? { change: r.value } : { errors: r.error });

/** `set vlan SUB ...` -> the write options and the validated change (or the input errors). */
export function parseSetVlan(argv: readonly string[]): Parsed {
  const [sub, ...rest] = argv;
  const all = SET_VLAN_COMMANDS.map((c) => usage(c)).join('\n');
  switch (sub) {
    case 'add': {
      const args = parseCommand(SET_VLAN_ADD_COMMAND, rest);
      const parent = need(args, 0, 'the parent interface');
      const id = need(args, 1, 'the VLAN ID (1 to 4094)');
      noMore(args, 2);
      const r = result(validateVlanAdd({ parent, id, name: args.values.name }));
      // Every error at once: a parent that does not exist is said beside a bad ID or name.
      if ('errors' in r && interfaceNameErrors(parent, 'parent').length === 0) {
        return { values: args.values, change: { errors: r.errors, machineErrors: (c) => vlanParentErrors(c.snapshot.state, c.live, parent) } };
      }
      return { values: args.values, change: r };
    }
    case 'id': {
      const args = parseCommand(SET_VLAN_ID_COMMAND, rest);
      const name = need(args, 0, 'the VLAN interface');
      const id = need(args, 1, 'the new VLAN ID (1 to 4094)');
      noMore(args, 2);
      return { values: args.values, change: result(validateVlanId(name, id)) };
    }
    case 'del': {
      const args = parseCommand(SET_VLAN_DEL_COMMAND, rest);
      const name = need(args, 0, 'the VLAN interface');
      noMore(args, 1);
      return { values: args.values, change: result(validateVlanDel(name)) };
    }
    case undefined:
      throw new UsageError('set vlan: missing what to do (add, id or del)', all);
    case '-h':
    case '--help':
      throw new HelpRequest(all);
    default:
      throw new UsageError(`set vlan: "${sub}" is not add, id or del`, all);
  }
}
