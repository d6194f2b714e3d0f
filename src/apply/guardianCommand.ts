// `ttyconf __apply-guardian JOBDIR`: started detached by executePlan, never by people.
import type { ParsedArgs } from '../args.js';
import type { Io } from '../cli.js';
import { guardianMain } from './guardian.js';

export async function run(args: ParsedArgs, io: Io): Promise<number> {
  const dir = args.positionals[1];
  if (!dir || args.positionals.length > 2) {
    io.err('ttyconf: __apply-guardian is internal: ttyconf starts it with a job folder\n');
    return 2;
  }
  return guardianMain(dir);
}
