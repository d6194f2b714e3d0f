// Writes a plan's files as one transaction (files/commit.ts), refusing when a file changed since it
// was read. Writing (the commit module, node:fs/promises) loads on the first commit, not at start-up.
import type { CommitError, CommitHooks, CommitResult } from '../files/commit.js';
import { newFileMode } from '../files/nmStore.js';
import type { Root } from '../files/root.js';
import { readRootFile } from '../files/safeRead.js';
import { type Result, err } from '../model/result.js';
import type { Plan } from '../plan.js';
import { type Runner, execaRunner } from '../system/run.js';
import { makeRelabel } from '../system/selinux.js';

export interface CommitPlanOptions {
  /** Runs programs (restorecon); null runs none. */
  readonly run?: Runner | null;
  readonly hooks?: CommitHooks;
}

export async function commitPlan(root: Root, plan: Plan, opts: CommitPlanOptions = {}): Promise<Result<CommitResult, CommitError>> {
  const { atomicCommit } = await import('../files/commit.js');
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
