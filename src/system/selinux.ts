// restorecon after each rename where SELinux is enabled: a file renamed into /etc keeps its temp
// file's label otherwise.
import type { Runner } from './run.js';

export function makeRelabel(run: Runner): (absPath: string) => Promise<void> {
  let enabled: Promise<boolean> | null = null;
  return async (absPath) => {
    enabled ??= run('selinuxenabled', [], { timeoutMs: 3000 }).then((r) => r.exitCode === 0);
    if (!(await enabled)) return;
    const r = await run('restorecon', [absPath], { timeoutMs: 10_000 });
    if (r.exitCode !== 0) throw new Error(`restorecon ${absPath} failed: ${r.stderr.trim() || r.failedToStart || `exit ${r.exitCode}`}`);
  };
}
