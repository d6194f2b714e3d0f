// ttyconf's command line. The only module that chooses exit codes:
// 0 done, 1 failure (files fully old or fully new, and the message says which), 2 invalid input or usage.
import { version } from './version.js';
// Kept light: the console UI starts through here, so everything else loads on use.
import { type ParsedArgs, UsageError, noMore, parseArgs } from './args.js';
import { EXIT, type CommandModule } from './commands/types.js';
import { statSync } from 'node:fs';
import { Root } from './files/root.js';

export { EXIT };

/** Subcommands that live in their own module (src/commands/), loaded on use. */
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  show: () => import('./commands/show.js'),
  set: () => import('./commands/set.js'),
  console: () => import('./commands/console.js'),
  test: () => import('./commands/test.js'),
  // The detached process that applies a change and reverts it unless kept (see docs/apply.md).
  '__apply-guardian': () => import('./apply/guardianCommand.js'),
};

export interface Io {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly isTTY: boolean;
}

const defaultIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  // Asked when needed: process.stdin/stdout are made on first use (the tty streams cost ~3 ms).
  get isTTY() {
    return Boolean(process.stdin.isTTY && process.stdout.isTTY);
  },
};

export const USAGE = `Usage: ttyconf [COMMAND] [OPTIONS]

Commands:
  (none), ui                   the console UI (needs a terminal)
  show [--json]                hostname, DNS, every interface, and the network stack in charge
  test [--ping ADDR]           check the running network: addresses, route, gateway, DNS
  set ip DEV dhcp
  set ip DEV static ADDR/PREFIX [--gateway GW]
  set ip DEV static ADDR --netmask MASK [--gateway GW]
  set dns [SERVER...] [--search DOMAIN...]   (nothing: clear both)
  set hostname NAME

Options:
  --root DIR     operate on the tree under DIR instead of / (default /)
  --dry-run      print the diff of every file that would change; write nothing
  --no-apply     write the files only, leave the running system alone
  --apply        with --root other than /: apply too (only inside a network namespace of its own)
  --stack S      nm, network-scripts or iproute2: who applies the change (default: detected)
  --confirm-timeout S   seconds to answer "Keep these settings?" (default 30)
  --no-revert    keep a verified change without asking (a failed one still rolls back)
  --json         machine-readable output (show)
  --ascii        ASCII borders in the UI
  -h, --help     this text;  --version  the version

Exit status: 0 done; 1 failed or rolled back (the message names the command or check; every
file is fully old or fully new); 2 invalid input or usage.
`;

export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    io.err(`ttyconf: ${(e as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  if (args.flags.has('help')) {
    io.out(USAGE);
    return EXIT.ok;
  }
  if (args.flags.has('version')) {
    io.out(`ttyconf ${version()}\n`);
    return EXIT.ok;
  }
  const command = args.positionals[0] ?? 'ui';
  try {
    checkRootOption(args.options.get('root'));
    if (command === 'ui') {
      const root = new Root(args.options.get('root') ?? '/');
      noMore(args, 1);
      const { runUi } = await import('./ui/main.js');
      return await runUi({ root, ascii: args.flags.has('ascii'), noApply: args.flags.has('no-apply'), io });
    }
    const module = COMMANDS[command];
    if (!module) throw new UsageError(`unknown command "${command}"`);
    return await (await module()).run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`ttyconf: ${e.message}\n${USAGE}`);
      return EXIT.usage;
    }
    io.err(`ttyconf: ${(e as Error).message ?? String(e)}\n`);
    return EXIT.failure;
  }
}

/** --root names a tree that is there: a typo must not become a new tree of files written under it. */
function checkRootOption(dir: string | undefined): void {
  if (dir === undefined) return;
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`--root ${dir}: ${code === 'ENOENT' ? 'no such directory' : `cannot be read (${code ?? String(e)})`}`);
  }
  if (!isDir) throw new UsageError(`--root ${dir}: not a directory`);
}
