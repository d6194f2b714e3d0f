// The one path CLI and UI share starts here: read (and repair what an earlier run left unfinished);
// plan.ts preparePlan plans a change on what was read, transaction.ts commits and applies it. The
// console UI's first screen only reads: none of the planning loads with it.
import type { Current } from './current.js';
import type { StackName } from './model/stack.js';
import { preferActive } from './files/nmStore.js';
import { readSnapshot, type Snapshot } from './files/read.js';
import { Root } from './files/root.js';
import { buildStatus } from './status.js';
import { readLive } from './system/links.js';
import { type Runner, execaRunner } from './system/run.js';
import { type StackInfo, resolveStack } from './system/stack.js';

export type { Current } from './current.js';

export interface CoreOptions {
  /** Runs programs; null reads files only (nothing is run). */
  readonly run?: Runner | null;
  /** --stack: overrides the detection. */
  readonly stack?: StackName;
  /** False skips asking nmcli who is in charge (stack: null): the console's first paint must not wait on it. */
  readonly detectStack?: boolean;
  /** The kernel's addresses and route without running `ip` (the console's first paint; links.ts). */
  readonly liveInProcess?: boolean;
}

export function openRoot(dir: string): Root {
  return new Root(dir);
}

/**
 * The root a command works on, once a change an earlier run left unfinished (killed between two
 * renames) is finished or undone, which is said on stderr. Every command opens its root this way;
 * the console UI repairs after its first screen. The repair code loads only when there is one.
 */
export async function openRootRepaired(dir: string, io: { readonly err: (s: string) => void }): Promise<Root> {
  const root = new Root(dir);
  const { JOBS_DIR, unfinishedJobs } = await import('./apply/job.js');
  try {
    if (unfinishedJobs(root.path(JOBS_DIR)).length === 0) return root;
    const { recoverInterrupted } = await import('./apply/guardian.js');
    const { recoveryLine } = await import('./apply/types.js');
    for (const o of await recoverInterrupted(root, undefined, { programs: root.isSystem })) io.err(`ttyconf: ${recoveryLine(o)}\n`);
  } catch (e) {
    io.err(`ttyconf: cannot repair a change an earlier run left unfinished: ${(e as Error).message ?? String(e)}\n`);
  }
  return root;
}

export async function readCurrent(root: Root, opts: CoreOptions = {}): Promise<Current> {
  const run = opts.run === undefined ? execaRunner : opts.run;
  const reading = root.readingOnce(() => ({
    snapshot: readSnapshot(root),
    stack: opts.detectStack === false && !opts.stack ? Promise.resolve(null) : resolveStack(root, run, opts.stack),
    live: readLive(root, run, { inProcess: opts.liveInProcess }),
  }));
  const { snapshot } = reading;
  const [live, stack] = await Promise.all([reading.live, reading.stack]);
  const owned = withActiveProfiles(snapshot, stack);
  return { root, snapshot: owned, live, stack, status: buildStatus(owned.state, live, stack) };
}

/** Where NetworkManager runs, the profile it has active on a device owns that device. */
function withActiveProfiles(snapshot: Snapshot, stack: StackInfo | null): Snapshot {
  if (!stack?.nmRunning || !snapshot.root.isSystem || stack.nmConnections.length === 0) return snapshot;
  const { state } = snapshot;
  return { ...snapshot, state: { ...state, owners: preferActive(state.owners, state.profiles, snapshot.root, stack.nmConnections) } };
}
