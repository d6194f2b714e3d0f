// `ttyconf test [--ping ADDR] [--json]`: checks the running network against the current settings
// (addresses, default route, gateway, DNS servers) and pings one more address. Changes nothing.
import type { ParsedArgs } from '../args.js';
import { UsageError } from '../args.js';
import type { Io } from '../cli.js';
import { openRoot, readCurrent } from '../core.js';
import { formatFieldError } from '../model/fieldError.js';
import { pingTargetErrors, testNetwork } from '../apply/testNetwork.js';
import { checkLine, timeoutsFromEnv } from '../apply/types.js';

export async function run(args: ParsedArgs, io: Io): Promise<number> {
  if (args.positionals.length > 1) throw new UsageError(`unexpected argument "${args.positionals[1]}"`);
  const ping = args.options.get('ping');
  if (ping !== undefined) {
    const errors = pingTargetErrors(ping);
    if (errors.length) {
      for (const e of errors) io.err(`ttyconf: invalid ${formatFieldError(e)}\n`);
      return 2;
    }
  }
  const timeouts = timeoutsFromEnv();
  if (!timeouts.ok) throw new UsageError(timeouts.error);
  const current = await readCurrent(openRoot(args.options.get('root') ?? '/'));
  const checks = await testNetwork(current, { ping, timeouts: timeouts.value });
  const failed = checks.filter((c) => c.status === 'failed');
  if (args.flags.has('json')) {
    io.out(JSON.stringify({ passed: failed.length === 0, checks }, null, 2) + '\n');
  } else {
    io.out('Network test (the running system, checked against the current settings):\n');
    for (const c of checks) io.out(`  ${checkLine(c)}\n`);
    io.out(failed.length ? `${failed.length} check(s) failed.\n` : 'All checks passed.\n');
  }
  return failed.length ? 1 : 0;
}
