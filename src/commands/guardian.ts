// `ttyconf __apply-guardian JOBDIR`: started detached by executePlan, never by people.
import { type CommandSpec, UsageError, parseCommand } from '../args.js';
import { guardianMain } from '../apply/guardian.js';
import type { Io } from '../model/io.js';

const GUARDIAN_COMMAND = { name: '__apply-guardian', synopsis: 'JOBDIR', options: {} } as const satisfies CommandSpec;

export async function run(argv: readonly string[], _io: Io): Promise<number> {
  const args = parseCommand(GUARDIAN_COMMAND, argv);
  const [dir, extra] = args.positionals;
  if (!dir || extra !== undefined) throw new UsageError('__apply-guardian is internal: ttyconf starts it with a job folder', '');
  return guardianMain(dir);
}
