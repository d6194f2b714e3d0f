// `ttyconf reset DEV`: the emergency reset, one interface back to DHCP with no static DNS of its own
// (src/reset.ts), through the same write, apply, verify and keep-or-revert as `set`.
import { type CommandSpec, need, noMore, parseCommand } from '../args.js';
import { openRoot, readCurrent } from '../core.js';
import type { Io } from '../model/io.js';
import { planReset, resetText } from '../reset.js';
import { WRITE_OPTIONS, checkWriteOptions, reportInvalid, stackOption, writePlan } from './set.js';

const RESET_COMMAND = {
  name: 'reset',
  synopsis: 'DEV',
  options: WRITE_OPTIONS,
  notes: 'DEV goes back to DHCP, without static DNS servers or search domains of its own.\nNo other interface and no other setting changes.\n',
} as const satisfies CommandSpec;

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const args = parseCommand(RESET_COMMAND, argv);
  const device = need(args, 0, 'the interface name');
  noMore(args, 1);
  checkWriteOptions(args.values);
  const current = await readCurrent(openRoot(args.values.root ?? '/'), { stack: stackOption(args.values.stack) });
  const planned = planReset(current, device);
  if (!planned.ok) return reportInvalid(io, planned.error);
  io.out(`${resetText(device)}\n`);
  const plan = planned.value;
  return writePlan(args.values, current, { ...plan, notes: plan.notes.filter((n) => n !== resetText(device)) }, io, `Nothing to change: ${device} already uses DHCP with no static DNS.`);
}
