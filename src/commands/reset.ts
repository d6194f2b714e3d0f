// `ttyconf reset DEV`: the emergency reset, one interface back to DHCP with no static DNS of its own
// (src/reset.ts), through the same write, apply, verify and keep-or-revert as `set`.
import { openRoot, readCurrent } from '../core.js';
import { formatFieldError } from '../model/fieldError.js';
import { type ParsedArgs, need, noMore } from '../args.js';
import type { Io } from '../cli.js';
import { planReset, resetText } from '../reset.js';
import { stackOption, writePlan } from './set.js';
import { EXIT } from './types.js';

export async function run(args: ParsedArgs, io: Io): Promise<number> {
  const device = need(args, 1, 'interface name');
  noMore(args, 2);
  const current = await readCurrent(openRoot(args.options.get('root') ?? '/'), { stack: stackOption(args) });
  const planned = planReset(current, device);
  if (!planned.ok) {
    for (const e of planned.error) io.err(`ttyconf: invalid ${formatFieldError(e)}\n`);
    io.err('ttyconf: nothing was written\n');
    return EXIT.usage;
  }
  io.out(`${resetText(device)}\n`);
  const plan = planned.value;
  return writePlan(args, current, { ...plan, notes: plan.notes.filter((n) => n !== resetText(device)) }, io, `Nothing to change: ${device} already uses DHCP with no static DNS.`);
}
