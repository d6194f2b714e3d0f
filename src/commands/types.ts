import type { ParsedArgs } from '../args.js';
import type { Io } from '../cli.js';

/** A subcommand in its own module, loaded only when it runs. Returns the exit status. */
export type CommandModule = { run(args: ParsedArgs, io: Io): Promise<number> };

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
