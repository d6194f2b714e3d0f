// The one path CLI and UI share: read -> plan -> commit. Applying to the running system builds on it.
// The console UI's first screen only reads: writing (the commit module, node:fs/promises) loads on
// the first commit, not at start-up.
import type { PlanError } from './model/planError.js';
import type { Result } from './model/result.js';
import { err } from './model/result.js';
import type { LiveState } from './model/live.js';
import type { StackName } from './model/stack.js';
import type { ProfileStore } from './model/state.js';
import type { Change } from './model/types.js';
import type { CommitError, CommitHooks, CommitResult } from './files/commit.js';
import { newFileMode, preferActive } from './files/nmStore.js';
import { readSnapshot, type Snapshot } from './files/read.js';
import { readRootFile } from './files/safeRead.js';
import { Root } from './files/root.js';
import { type Plan, planChanges } from './plan.js';
import { buildStatus, type Status } from './status.js';
import { readLive } from './system/links.js';
import { type Runner, execaRunner } from './system/run.js';
import { makeRelabel } from './system/selinux.js';
import { type StackInfo, resolveStack } from './system/stack.js';

export interface Current {
  readonly root: Root;
  readonly snapshot: Snapshot;
  readonly live: LiveState;
  readonly status: Status;
  /** Who applies settings here (NetworkManager, network-scripts, iproute2); null when not asked (no runner). */
  readonly stack: StackInfo | null;
}

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
  const snapshot = readSnapshot(root);
  const stackInfo = opts.detectStack === false && !opts.stack ? Promise.resolve(null) : resolveStack(root, run, opts.stack);
  const [live, stack] = await Promise.all([readLive(root, run, { inProcess: opts.liveInProcess }), stackInfo]);
  const owned = withActiveProfiles(snapshot, stack);
  return { root, snapshot: owned, live, stack, status: buildStatus(owned.state, live, stack) };
}

/** Where NetworkManager runs, the profile it has active on a device owns that device. */
function withActiveProfiles(snapshot: Snapshot, stack: StackInfo | null): Snapshot {
  if (!stack?.nmRunning || !snapshot.root.isSystem || stack.nmConnections.length === 0) return snapshot;
  const { state } = snapshot;
  return { ...snapshot, state: { ...state, owners: preferActive(state.owners, state.profiles, snapshot.root, stack.nmConnections) } };
}

export function preparePlan(current: Current, changes: readonly Change[], opts: { store?: ProfileStore } = {}): Result<Plan, PlanError[]> {
  const s = current.stack;
  const nmAbsent = s !== null && s.name !== 'nm' && s.source !== 'root' && !s.nmRunning;
  return planChanges(current.snapshot, changes, { live: current.live, nmAbsent, store: opts.store });
}

/** Writes the plan's files as one transaction, refusing when a file changed since it was read. */
export async function commitPlan(root: Root, plan: Plan, opts: CoreOptions & { hooks?: CommitHooks } = {}): Promise<Result<CommitResult, CommitError>> {
  const { atomicCommit } = await import('./files/commit.js');
  for (const e of plan.edits) {
    const r = readRootFile(root, e.path);
    if (r.kind === 'unreadable') return err({ file: e.path, cause: `${r.reason}; ttyconf replaces only regular files`, restored: true, unrestored: [], replacedAny: false });
    const now = r.kind === 'file' ? r.data : null;
    const same = now === null ? e.before === null : e.before !== null && now.equals(e.before);
    if (!same) return err({ file: e.path, cause: 'changed on disk since ttyconf read it (read it again)', restored: true, unrestored: [], replacedAny: false });
  }
  const run = opts.run === undefined ? execaRunner : opts.run;
  const relabel = root.isSystem && run ? makeRelabel(run) : undefined;
  return atomicCommit(
    root,
    plan.edits.map((e) => ({ path: e.path, content: e.after, mode: newFileMode(e.path), ...(e.remove ? { remove: true } : {}) })),
    { relabel, ...opts.hooks },
  );
}
