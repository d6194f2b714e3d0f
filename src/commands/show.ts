// `ttyconf show [--json]`: the status as text or the stable JSON shape.
import { openRootRepaired, readCurrent } from '../core.js';
import { COMMON, type CommandSpec, noMore, parseCommand } from '../args.js';
import { EXIT, type Io } from '../model/io.js';
import { safeJson } from '../model/visible.js';
import { statusJson, statusText } from '../showText.js';
import { stackOption } from './set.js';

const SHOW_COMMAND = {
  name: 'show',
  synopsis: '',
  options: { json: COMMON.json, root: COMMON.root, stack: COMMON.stack },
} as const satisfies CommandSpec;

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const args = parseCommand(SHOW_COMMAND, argv);
  noMore(args, 0);
  const current = await readCurrent(await openRootRepaired(args.values.root ?? '/', io), { stack: stackOption(args.values.stack) });
  io.out(args.values.json ? safeJson(statusJson(current)) + '\n' : statusText(current));
  return EXIT.ok;
}
