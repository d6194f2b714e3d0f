import type { Io } from '../model/io.js';

/** A subcommand in its own module, loaded only when it runs: parses the words after its name, returns the exit status. */
export type CommandModule = { run(argv: readonly string[], io: Io): Promise<number> };
