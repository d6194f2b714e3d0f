// Executes a reviewed plan: commit the files, then (when asked) apply, verify, keep or roll back.
// CLI and UI both end here, so both behave the same way. The work itself is in src/apply/.
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Current } from './current.js';
import type { Root } from './files/root.js';
import type { Plan } from './plan.js';
import { type Actor, auditOutcome, changeNote, processActor } from './apply/audit.js';
import { type Asker, runDetached, runInProcess } from './apply/launch.js';
import { JOBS_DIR, acquireLock, createJob, newJobId, releaseLock, serializePlan } from './apply/job.js';
import { recoverJob } from './apply/guardian.js';
import { runFilesJob } from './apply/filesJob.js';
import { commitPlan } from './apply/commitPlan.js';
import { causeText } from './files/errors.js';
import {
  type Outcome, type Timeouts, DEFAULT_CONFIRM_SECONDS, DEFAULT_TIMEOUTS,
} from './apply/types.js';
import type { StackName } from './model/stack.js';
import { inPrivateNamespace, type NamespaceKind } from './system/namespaces.js';
import { type Probe, realProbe } from './system/observe.js';
import type { Runner } from './system/run.js';
import { type StackInfo, detectStack, forcedStack, resolveStack } from './system/stack.js';

export type { StackName } from './model/stack.js';
export type { Outcome, Timeouts } from './apply/types.js';
export type { CheckResult, CommandRecord, ProgressEvent, Phase, KeptHow } from './apply/types.js';
export { DEFAULT_CONFIRM_SECONDS, DEFAULT_TIMEOUTS, checkLine, describeEvent, recoveryLine } from './apply/types.js';
export { recoverInterrupted } from './apply/guardian.js';

export interface ExecuteOptions {
  /** Touch the running system after writing the files (see shouldApply). */
  readonly apply: boolean;
  /** Overrides the detected network stack. */
  readonly stack?: StackName;
  readonly run?: Runner;
  /** One line per step (and the structured event), for the progress screen and the log. */
  readonly onProgress?: Asker['onProgress'];
  /**
   * Asked after a successful change to the default-route interface ("Keep these settings?
   * Reverting in N s"). Resolve true to keep; false reverts now. No answer before the deadline
   * reverts; the signal then aborts so the dialog can close.
   */
  readonly confirmKeep?: Asker['confirmKeep'];
  readonly confirmTimeoutSeconds?: number;
  /** Keep a verified change without asking (a failed apply or check still rolls back). */
  readonly noRevert?: boolean;
  readonly timeouts?: Partial<Timeouts>;
  /**
   * Run apply-verify-revert in a detached process that outlives this one: the command that starts
   * ttyconf ([node, /path/ttyconf.js]); false runs in-process. Default: detached when this process
   * was started as ttyconf, in-process otherwise (tests, embedding).
   */
  readonly detach?: { readonly argv: readonly string[] } | false;
  /**
   * Test seams: a scripted system. When probe.run is given no real program runs, so the policy that
   * keeps a root other than / from touching the host (applyRefusal) is not needed and not applied.
   */
  readonly probe?: Partial<Probe>;
  readonly privateNamespace?: (kind: NamespaceKind) => boolean;
  /** Who asks (recorded in the backup and the audit log); default: this process's user and terminal. */
  readonly actor?: Actor;
}

/** --apply/--no-apply: on / apply unless told not to; under another root only with --apply. */
export function shouldApply(root: Root, flags: { apply: boolean; noApply: boolean }): boolean {
  if (flags.noApply) return false;
  return root.isSystem || flags.apply;
}

/** Why a change must not be applied here, or null. Under a root other than / only a private netns may change. */
export function applyRefusal(root: Root, stack: StackName, privateNet: boolean): string | null {
  if (root.isSystem) return null;
  if (stack !== 'iproute2') {
    return `with --root other than /, only --stack iproute2 can apply (NetworkManager and network-scripts read /etc, not ${root.dir})`;
  }
  if (!privateNet) {
    return `--apply with --root ${root.dir} applies only inside a network namespace of its own (ip netns exec NS ttyconf ...); ` +
      `this process shares the machine's network namespace, and ttyconf never reconfigures the host for a root that is not /`;
  }
  return null;
}

/** hostnamectl on /; only the namespace's own name inside a private UTS namespace; else not at all. */
export function hostnameVia(root: Root, privateUts: boolean): 'hostnamectl' | 'hostname' | null {
  if (root.isSystem) return 'hostnamectl';
  return privateUts ? 'hostname' : null;
}

function writeFailedNothing(file: string, cause: string): Outcome {
  return { kind: 'write-failed', error: { file, cause, restored: true, unrestored: [], replacedAny: false } };
}

/** Takes jobs/active for a files-only change; null when taken, else the outcome that says why not. */
async function takeLock(root: Root, id: string): Promise<Outcome | null> {
  const lockFile = join(JOBS_DIR, 'active');
  try {
    root.mkdirs(JOBS_DIR, 0o700);
    const jobs = root.path(JOBS_DIR);
    // Under a tree nothing may run: a dead holder's files are restored only. On / it is undone whole.
    const lock = await acquireLock(jobs, id, process.pid, async (holder) => void (await recoverJob(join(jobs, holder.id), undefined, { root, programs: root.isSystem })));
    if (lock.ok) return null;
    return { kind: 'not-applied', reason: `another ttyconf change is being applied (job ${lock.holder.id}, pid ${lock.holder.pid}); nothing was written` };
  } catch (e) {
    return writeFailedNothing(lockFile, `cannot take the lock that keeps changes one at a time: ${causeText(e)}`);
  }
}

/** [node, script] when this process is ttyconf itself, so the guardian can be started the same way. */
export function defaultGuardianArgv(): readonly string[] | null {
  const script = process.argv[1];
  return script && /ttyconf/i.test(basename(script)) ? [process.execPath, resolve(script)] : null;
}

/** The devices whose stack the reading's view of NetworkManager decides: each interface applied, each VLAN's parent. */
function stackDevices(plan: Plan): string[] {
  return plan.actions.flatMap((a) => (a.kind === 'interface' ? [a.device] : a.kind === 'vlan' ? [(a.after ?? a.before)!.parent] : []));
}

/**
 * A reading's view of NetworkManager is as old as the reading: the console reads it when a feature
 * opens, and a change can be planned before that reading is done. A device it does not list may
 * have been made since (the new link a VLAN goes on, handed to NetworkManager): NetworkManager is
 * asked again before anything is written, else that device would be applied with the fallback
 * stack behind NetworkManager's back. An answer that fails keeps the reading's view.
 */
async function stackNow(stack: StackInfo, plan: Plan, root: Root, run: Runner): Promise<StackInfo> {
  if (stack.source !== 'detected' || !stack.nmRunning) return stack;
  if (stackDevices(plan).every((d) => stack.nmDevices.some((n) => n.device === d))) return stack;
  const fresh = await detectStack(root, run);
  return fresh.nmRunning ? fresh : stack;
}

export async function executePlan(current: Current, plan: Plan, opts: ExecuteOptions): Promise<Outcome> {
  if (plan.edits.length === 0) return { kind: 'unchanged' };
  const { root } = current;
  const actor = opts.actor ?? processActor();
  if (!opts.apply) {
    // Even a files-only write waits its turn: a change being applied may be about to revert these files.
    // It is a job too (kind "files"): the plan and the backup are recorded before the first rename,
    // so a run killed between two renames is finished or undone by the next one.
    const id = newJobId();
    const taken = await takeLock(root, id);
    if (taken !== null) return taken;
    try {
      opts.onProgress?.(`Writing ${plan.edits.length} file(s)...`, { kind: 'phase', phase: 'write', message: `Writing ${plan.edits.length} file(s)...` });
      const outcome = await runFilesJob(root, id, plan, (hooks) => commitPlan(root, plan, { run: opts.run, hooks }), { note: changeNote(plan, actor), actor });
      await auditOutcome(root, opts.run ?? realProbe.run, plan, actor, outcome);
      return outcome;
    } finally {
      releaseLock(root.path(JOBS_DIR), id);
    }
  }
  const probe: Probe = { ...realProbe, ...(opts.run ? { run: opts.run } : {}), ...opts.probe };
  const privateNs = opts.privateNamespace ?? inPrivateNamespace;
  const read = opts.stack ? forcedStack(opts.stack) : current.stack ?? (await resolveStack(root, probe.run));
  const stack = read && (await stackNow(read, plan, root, probe.run));
  if (!stack) return { kind: 'not-applied', reason: 'cannot tell which network stack is in charge; nothing was written' };
  const refusal = opts.probe?.run ? null : applyRefusal(root, stack.name, root.isSystem || privateNs('net'));
  if (refusal) return { kind: 'not-applied', reason: `${refusal}; nothing was written` };

  const id = newJobId();
  let dir: string;
  try {
    root.mkdirs(JOBS_DIR, 0o700);
    dir = createJob(root.path(JOBS_DIR), {
      id,
      rootDir: root.dir,
      plan: serializePlan(plan),
      stack,
      confirmSeconds: opts.confirmTimeoutSeconds ?? DEFAULT_CONFIRM_SECONDS,
      noRevert: opts.noRevert ?? false,
      timeouts: { ...DEFAULT_TIMEOUTS, ...opts.timeouts },
      hostnameVia: hostnameVia(root, !root.isSystem && privateNs('uts')),
      createdBy: process.pid,
      actor,
    });
  } catch (e) {
    return writeFailedNothing(join(JOBS_DIR, id), `cannot record the change before writing it: ${causeText(e)}`);
  }
  const asker = { onProgress: opts.onProgress, confirmKeep: opts.confirmKeep };
  const argv = opts.detach === undefined ? defaultGuardianArgv() : opts.detach ? opts.detach.argv : null;
  if (!argv) return runInProcess(dir, asker, probe);
  return runDetached(dir, id, asker, { argv, systemdScope: root.isSystem && existsSync('/run/systemd/system') });
}
