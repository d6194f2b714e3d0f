// `ttyconf test [--ping ADDR] [--json]`: checks the running network against the current settings
// (addresses, default route, gateway, DNS servers) and pings one more address. Changes nothing.
import { COMMON, type CommandSpec, UsageError, noMore, parseCommand } from '../args.js';
import { openRootRepaired, readCurrent } from '../core.js';
import { formatFieldError } from '../model/fieldError.js';
import { EXIT, type Io } from '../model/io.js';
import { safeJson } from '../model/visible.js';
import { testNetwork } from '../apply/testNetwork.js';
import { pingTargetErrors } from '../model/pingTarget.js';
import { checkLine, timeoutsFromEnv } from '../apply/types.js';

const TEST_COMMAND = {
  name: 'test',
  synopsis: '',
  options: {
    ping: { kind: 'value', arg: 'ADDR', help: 'ping this address or name too' },
    json: COMMON.json,
    root: COMMON.root,
  },
} as const satisfies CommandSpec;

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const args = parseCommand(TEST_COMMAND, argv);
  noMore(args, 0);
  const ping = args.values.ping;
  if (ping !== undefined) {
    const errors = pingTargetErrors(ping);
    if (errors.length) {
      for (const e of errors) io.err(`ttyconf: invalid ${formatFieldError(e)}\n`);
      return EXIT.usage;
    }
  }
  const timeouts = timeoutsFromEnv();
  if (!timeouts.ok) throw new UsageError(timeouts.error);
  const current = await readCurrent(await openRootRepaired(args.values.root ?? '/', io));
  const checks = await testNetwork(current, { ping, timeouts: timeouts.value });
  const failed = checks.filter((c) => c.status === 'failed');
  if (args.values.json) {
    io.out(safeJson({ passed: failed.length === 0, checks }) + '\n');
  } else {
    io.out('Network test (the running system, checked against the current settings):\n');
    for (const c of checks) io.out(`  ${checkLine(c)}\n`);
    io.out(failed.length ? `${failed.length} check(s) failed.\n` : 'All checks passed.\n');
  }
  return failed.length ? EXIT.failure : EXIT.ok;
}
