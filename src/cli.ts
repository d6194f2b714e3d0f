// ttyconf's command line: finds the command, which parses its own options (its table is in its
// module), and turns what it returns or throws into the exit status (EXIT in model/io.ts).
import { version } from './version.js';
// Kept light: the console UI starts through here, so everything else loads on use.
import { COMMON, type CommandSpec, HelpRequest, UsageError, noMore, parseCommand } from './args.js';
import type { CommandModule } from './commands/types.js';
import { EXIT, type Io, type RawIo, humanIo } from './model/io.js';
import { Root } from './files/root.js';

/** Subcommands that live in their own module (src/commands/), loaded on use. */
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  show: () => import('./commands/show.js'),
  set: () => import('./commands/set.js'),
  console: () => import('./commands/console.js'),
  test: () => import('./commands/test.js'),
  backups: () => import('./commands/backups.js'),
  restore: async () => (await import('./commands/backups.js')).restore,
  reset: () => import('./commands/reset.js'),
  // The detached process that applies a change and reverts it unless kept (see docs/apply.md).
  '__apply-guardian': () => import('./commands/guardian.js'),
};

/** `ttyconf [ui] [OPTIONS]`: the console UI, also what runs when the line starts with an option. */
const UI_COMMAND = {
  name: 'ui',
  synopsis: '',
  options: {
    root: COMMON.root,
    'no-apply': COMMON.noApply,
    ascii: { kind: 'flag', help: 'ASCII borders in the UI' },
    version: { kind: 'flag', help: 'the version' },
  },
} as const satisfies CommandSpec;

const defaultIo: RawIo = {
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
  set dns [SERVER...] [--search DOMAIN]...   (nothing: clear both)
  set hostname NAME
  backups [--json]             earlier changes: ID, when, who, what changed
  restore ID                   back to the settings from before that change
  reset DEV                    emergency reset: DEV to DHCP, no static DNS
  console enable|disable|status|firstboot [--tty TTY] [--via HOW]

Options (each command takes only its own: "ttyconf COMMAND --help" lists them):
  --root DIR     operate on the tree under DIR instead of / (default /)
  --dry-run      print the diff of every file that would change; write nothing
  --no-apply     write the files only, leave the running system alone
  --apply        with --root other than /: apply too (only inside a network namespace of its own)
  --stack S      nm, network-scripts or iproute2: who applies the change (default: detected)
  --store S      ifcfg or keyfile: where set ip puts a profile for a device with none
                 (default: where NetworkManager would, from NetworkManager.conf or the release)
  --confirm-timeout S   seconds to answer "Keep these settings?" (default 30)
  --no-revert    keep a verified change without asking (a failed one still rolls back)
  --search DOMAIN   a search domain (set dns): repeat it, or a comma list
  --json         machine-readable output (show, test)
  --ascii        ASCII borders in the UI
  -h, --help     this text;  --version  the version

Control characters from files or arguments are printed as escapes (\\x1b).

Exit status: 0 done; 1 failed or rolled back (the message names the command or check; every
file is fully old or fully new); 2 invalid input or usage.
`;

export async function main(argv: readonly string[], raw: RawIo = defaultIo): Promise<number> {
  const io = humanIo(raw);
  const first = argv[0];
  const command = first === undefined || first.startsWith('-') ? 'ui' : first;
  const rest = first === command ? argv.slice(1) : argv;
  try {
    if (command === 'ui') return await ui(rest, io);
    const module = COMMANDS[command];
    if (!module) throw new UsageError(`unknown command "${command}"`);
    return await (await module()).run(rest, io);
  } catch (e) {
    if (e instanceof HelpRequest) {
      io.out(command === 'ui' ? USAGE : e.usage);
      return EXIT.ok;
    }
    if (e instanceof UsageError) {
      io.err(`ttyconf: ${e.message}\n${e.usage ?? USAGE}`);
      return EXIT.usage;
    }
    io.err(`ttyconf: ${(e as Error).message ?? String(e)}\n`);
    return EXIT.failure;
  }
}

async function ui(argv: readonly string[], io: Io): Promise<number> {
  const args = parseCommand(UI_COMMAND, argv);
  if (args.values.version) {
    io.out(`ttyconf ${version()}\n`);
    return EXIT.ok;
  }
  // A word here is most likely a command typed after an option: the command comes first.
  if (args.positionals[0] !== undefined && COMMANDS[args.positionals[0]]) {
    throw new UsageError(`"${args.positionals[0]}" must come first: ttyconf ${args.positionals[0]} [OPTIONS]`);
  }
  noMore(args, 0);
  const { runUi } = await import('./ui/main.js');
  return await runUi({ root: new Root(args.values.root ?? '/'), ascii: Boolean(args.values.ascii), noApply: Boolean(args.values['no-apply']), io });
}
