// `ttyconf show [--json]`: the status as text or the stable JSON shape.
import { type Current, openRoot, readCurrent } from '../core.js';
import { type ParsedArgs, noMore } from '../args.js';
import type { Io } from '../cli.js';
import { statusJson, statusText } from '../showText.js';
import { stackOption } from './set.js';
import { EXIT } from './types.js';

export async function run(args: ParsedArgs, io: Io): Promise<number> {
  const current = await readCurrent(openRoot(args.options.get('root') ?? '/'), { stack: stackOption(args) });
  return cmdShow(args, current, io);
}

async function cmdShow(args: ParsedArgs, current: Current, io: Io): Promise<number> {
  noMore(args, 1);
  io.out(args.flags.has('json') ? JSON.stringify(statusJson(current), null, 2) + '\n' : statusText(current));
  return EXIT.ok;
}

