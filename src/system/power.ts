// Reboot and power off, for the console's "Reboot / Shut down" item: `systemctl reboot|poweroff`
// through the Runner (execa, no shell). Only on the running system: under --root DIR ttyconf works
// on a tree of files and never stops the machine it happens to run on.
import type { Root } from '../files/root.js';
import { type Runner, describeResult, execaRunner, succeeded } from './run.js';

export type PowerAction = 'reboot' | 'poweroff';

export type PowerResult =
  /** systemd accepted the request; the machine is going down. */
  | { readonly kind: 'started'; readonly command: string }
  /** Not attempted (a root other than /). */
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string };

export function powerRefusal(root: Root): string | null {
  return root.isSystem ? null : `ttyconf works on the files under ${root.dir}, not on this machine, so it does not reboot or shut it down`;
}

export async function requestPower(root: Root, action: PowerAction, run: Runner = execaRunner): Promise<PowerResult> {
  const refusal = powerRefusal(root);
  if (refusal) return { kind: 'refused', reason: refusal };
  const r = await run('systemctl', [action], { timeoutMs: 30_000 });
  return succeeded(r) ? { kind: 'started', command: `systemctl ${action}` } : { kind: 'failed', reason: describeResult(r) };
}
