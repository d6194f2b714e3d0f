// The running systemd, through systemctl (execa via a Runner, never a shell). Only used when
// `console enable|disable` works on the live system; an offline root (--root DIR) never gets here.
import { type Result, err, ok } from '../model/result.js';
import { describeResult, type Runner, succeeded } from '../system/run.js';

export interface LiveSystemd {
  isActive(unit: string): Promise<boolean>;
  daemonReload(): Promise<Result<void, string>>;
  start(unit: string): Promise<Result<void, string>>;
  stop(unit: string): Promise<Result<void, string>>;
  restart(unit: string): Promise<Result<void, string>>;
}

export function systemctl(run: Runner): LiveSystemd {
  const call = async (args: string[]): Promise<Result<void, string>> => {
    const r = await run('systemctl', args, { timeoutMs: 60_000 });
    return succeeded(r) ? ok(undefined) : err(describeResult(r));
  };
  return {
    isActive: async (unit) => succeeded(await run('systemctl', ['is-active', '--quiet', unit], { timeoutMs: 10_000 })),
    daemonReload: () => call(['daemon-reload']),
    start: (unit) => call(['start', unit]),
    stop: (unit) => call(['stop', unit]),
    restart: (unit) => call(['restart', unit]),
  };
}
