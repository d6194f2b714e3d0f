// Whether the UI may quit. On the console service (systemd runs ttyconf instead of getty) quitting
// only restarts it, so q and Ctrl-C do nothing there; started by hand from a shell, they quit.
import { readConsoleEnv } from '../console/env.js';

export function onConsoleService(env: NodeJS.ProcessEnv, ppid: number): boolean {
  // The unit says so (TTYCONF_CONSOLE=1, src/console/env.ts). A unit that does not is still
  // recognised: systemd starts services directly (parent PID 1), and systemd >= 232 sets INVOCATION_ID.
  return readConsoleEnv(env).service || ppid === 1 || Boolean(env.INVOCATION_ID);
}
