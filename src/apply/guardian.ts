// The process that applies a change and undoes it when it fails or is not kept. The asker (CLI or UI)
// starts it detached from its terminal (its own session, stdio to a file; under systemd its own
// scope), so a dropped ssh session, a closed console or a killed ttyconf cannot stop the revert:
// with nobody to say "keep", the deadline passes and the old settings come back.
// The same code runs in-process when no detached process can be started (tests, embedding).
import { dirname, join } from 'node:path';
import { EXIT } from '../model/io.js';
import { Root } from '../files/root.js';
import { type Probe, realProbe } from '../system/observe.js';
import { auditOutcome } from './audit.js';
import { type Channel, type TxContext, applyChange, rollback } from './engine.js';
import {
  type Decision, type JobSpec, JOBS_DIR, acquireLock, appendEvent, appendLog, bootId, deserializePlan, processAlive,
  readDecision, readJob, readOutcome, readState, releaseLock, unfinishedJobs, writeOutcome, writeState,
} from './job.js';
import { recoverFilesJob } from './filesJob.js';
import type { Outcome } from './types.js';

export function makeContext(spec: JobSpec, dir: string, channel: Channel, probe: Probe): TxContext {
  return {
    root: new Root(spec.rootDir),
    plan: deserializePlan(spec.plan),
    stack: spec.stack,
    timeouts: spec.timeouts,
    confirmSeconds: spec.confirmSeconds,
    noRevert: spec.noRevert,
    hostnameVia: spec.hostnameVia,
    probe,
    channel,
    log: (t) => appendLog(dir, `[${new Date().toISOString()}] ${t}`),
    logFile: join(dir, 'log'),
    saveState: (s) => writeState(dir, { ...s, pid: process.pid, bootId: bootId() }),
    actor: spec.actor,
  };
}

const quietChannel: Channel = {
  emit: () => undefined,
  revertRequested: () => null,
  decide: async () => ({ keep: false, why: 'recovering' }),
};

const UNDO_PHASES = new Set(['committing', 'committed', 'applying', 'verifying', 'confirming', 'rolling-back', 'done']);

export interface RecoverOptions {
  /**
   * The tree the job folder was found in: the job is repaired there, whatever root its job.json
   * names (a tree may carry a job.json naming another directory; it must not lead a restore there).
   */
  readonly root?: Root;
  /** False: restore the files only and run nothing (files-only runs, trees other than /). */
  readonly programs?: boolean;
}

/** Undoes a job whose process died half-way (killed, crashed, the machine rebooted). */
export async function recoverJob(dir: string, probe: Probe = realProbe, opts: RecoverOptions = {}): Promise<Outcome | null> {
  const spec = readJob(dir);
  const state = readState(dir);
  if (!spec || !state || readOutcome(dir) !== null) return null;
  if (state.pid !== process.pid && processAlive(state.pid, state.bootId)) return null;
  const here = opts.root ?? new Root(spec.rootDir);
  if (spec.kind === 'files' || opts.programs === false) return recoverFilesJob(dir, spec, state, here);
  const ctx = { ...makeContext(spec, dir, quietChannel, probe), root: here };
  let outcome: Outcome;
  if (UNDO_PHASES.has(state.phase) && state.backupDir && state.liveBefore) {
    const commit = { backupDir: state.backupDir, written: ctx.plan.edits.map((e) => e.path) };
    const reason = `the process applying this change (pid ${state.pid}) ended before it finished`;
    const rb = await rollback(ctx, { commit, liveBefore: state.liveBefore }, reason);
    outcome = {
      kind: 'rolled-back', commit, stack: spec.stack.name, reason, commands: [], runs: [], checks: [],
      rollbackCommands: rb.runs.map((r) => r.line), rollbackRuns: rb.runs, rollbackChecks: rb.checks,
      restored: rb.restored, unrestoredFiles: rb.unrestoredFiles, notes: [], log: ctx.logFile,
    };
  } else if (state.phase === 'kept' && state.backupDir) {
    const commit = { backupDir: state.backupDir, written: ctx.plan.edits.map((e) => e.path) };
    outcome = { kind: 'applied', commit, stack: spec.stack.name, commands: [], runs: [], checks: [], kept: 'confirmed', notes: [], log: ctx.logFile };
  } else {
    outcome = { kind: 'not-applied', reason: 'the process applying this change ended before it wrote anything' };
  }
  writeOutcome(dir, outcome);
  writeState(dir, { ...state, phase: 'done' });
  releaseLock(dirname(dir), spec.id);
  await auditOutcome(ctx.root, probe.run, ctx.plan, spec.actor, outcome);
  return outcome;
}

/**
 * Finds changes whose process died before finishing and finishes or undoes them. Call at startup.
 * programs: false runs nothing: a change that was being applied gets its files restored only.
 */
export async function recoverInterrupted(root: Root, probe: Probe = realProbe, opts: { readonly programs?: boolean } = {}): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const dir of unfinishedJobs(root.path(JOBS_DIR))) {
    const o = await recoverJob(dir, probe, { root, programs: opts.programs });
    if (o) out.push(o);
  }
  return out;
}

/** Takes the one-change-at-a-time lock, applies the job, writes outcome.json. */
export async function executeJob(dir: string, channel: Channel, probe: Probe): Promise<Outcome> {
  const spec = readJob(dir);
  if (!spec) return { kind: 'not-applied', reason: `cannot read ${join(dir, 'job.json')}` };
  if (spec.kind === 'files') return { kind: 'not-applied', reason: `${join(dir, 'job.json')} is a files-only change, nothing to apply` };
  const jobsDir = dirname(dir);
  let outcome: Outcome;
  const lock = await acquireLock(jobsDir, spec.id, process.pid, async (holder) => {
    await recoverJob(join(jobsDir, holder.id), probe, { root: new Root(spec.rootDir) });
  });
  if (!lock.ok) {
    outcome = { kind: 'not-applied', reason: `another ttyconf change is being applied (job ${lock.holder.id}, pid ${lock.holder.pid}); nothing was written` };
    writeOutcome(dir, outcome);
    return outcome;
  }
  try {
    outcome = await applyChange(makeContext(spec, dir, channel, probe));
  } catch (e) {
    outcome = { kind: 'not-applied', reason: `error before anything was written: ${(e as Error).message ?? String(e)}` };
  } finally {
    releaseLock(jobsDir, spec.id);
  }
  writeOutcome(dir, outcome);
  writeState(dir, { ...(readState(dir) ?? { backupDir: null, liveBefore: null }), phase: 'done', pid: process.pid, bootId: bootId() });
  await auditOutcome(new Root(spec.rootDir), probe.run, deserializePlan(spec.plan), spec.actor, outcome);
  return outcome;
}

const SIGNALS = ['SIGHUP', 'SIGINT', 'SIGTERM'] as const;

/** Entry of the detached process: `ttyconf __apply-guardian JOBDIR`. */
export async function guardianMain(dir: string): Promise<number> {
  let interrupted: string | null = null;
  for (const sig of SIGNALS) process.on(sig, () => void (interrupted ??= `the apply process got ${sig}`));
  appendEvent(dir, { kind: 'note', message: `apply process started (pid ${process.pid})` });
  const channel: Channel = {
    emit: (e) => appendEvent(dir, e),
    revertRequested: () => {
      const d = readDecision(dir);
      return interrupted ?? (d && !d.keep ? d.why : null);
    },
    decide: async (timeoutSeconds, deadline): Promise<Decision> => {
      for (;;) {
        const d = readDecision(dir);
        if (d) return d;
        if (interrupted) return { keep: false, why: interrupted };
        if (Date.now() >= deadline) return { keep: false, why: `not confirmed within ${timeoutSeconds} s` };
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
  await executeJob(dir, channel, realProbe);
  return EXIT.ok;
}
