import type { ParsedArgs } from '../args.js';
import type { Io } from '../cli.js';

export async function run(_args: ParsedArgs, io: Io): Promise<number> {
  io.err('ttyconf: "test" is not built yet\n');
  return 1;
}
