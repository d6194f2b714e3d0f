// The asking side of a change: starts the guardian (detached) or runs the job in-process, relays
// progress, and owns the one exit path of "Keep these settings?": an answer, the deadline, SIGINT,
// SIGHUP, SIGTERM, an exception or the process exiting all end in a single settle(), which records
// the decision once. Whatever the asker does after that, the guardian finishes the change or the revert.
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Probe } from '../system/observe.js';
import type { Channel } from './engine.js';
import { executeJob } from './guardian.js';
import { type Decision, processAlive, readEvents, readOutcome, readState, writeDecision } from './job.js';
import { type Outcome, type ProgressEvent, describeEvent } from './types.js';

/** What the UI and CLI pass in: how to show progress and how to ask the question. */
export interface Asker {
  readonly onProgress?: (message: string, event: ProgressEvent) => void;
  /**
   * "Keep these settings? Reverting in N s". Resolve true to keep, false to revert now. The signal
   * aborts when the question is over without an answer (deadline, signal, error): close the dialog.
   */
  readonly confirmKeep?: (timeoutSeconds: number, signal: AbortSignal) => Promise<boolean>;
}

const SIGNALS = ['SIGHUP', 'SIGINT', 'SIGTERM'] as const;
type Sig = (typeof SIGNALS)[number];

/** One decision, however it comes; plus the signal hooks that feed it. */
class ExitPath {
  private decided: Decision | null = null;
  private readonly handlers = new Map<Sig, () => void>();
  private raise: Sig | null = null;
  private readonly onExit = (): void => this.settle({ keep: false, why: 'ttyconf exited before the change was kept' });

  /**
   * `revertRunsHere`: the rollback runs in this process, so a SIGHUP/SIGTERM is re-raised only after
   * it (release()); otherwise at once, since the guardian does not need us.
   */
  constructor(private readonly record: (d: Decision) => void, private readonly done: () => boolean, revertRunsHere: boolean) {
    for (const sig of SIGNALS) {
      const h = (): void => {
        this.settle({ keep: false, why: `interrupted by ${sig}` });
        // SIGINT (Ctrl-C) stays to report the rollback; SIGHUP/SIGTERM mean: go away.
        if (sig === 'SIGINT') return;
        this.raise ??= sig;
        if (!revertRunsHere) this.release();
      };
      this.handlers.set(sig, h);
      process.on(sig, h);
    }
    process.on('exit', this.onExit);
  }

  settle(d: Decision): void {
    if (this.decided || this.done()) return;
    this.decided = d;
    this.record(d);
  }

  get decision(): Decision | null {
    return this.decided;
  }

  /** Removes the hooks; re-raises a deferred SIGHUP/SIGTERM when nobody else handles it. */
  release(): void {
    for (const [sig, h] of this.handlers) process.off(sig, h);
    this.handlers.clear();
    process.off('exit', this.onExit);
    const sig = this.raise;
    this.raise = null;
    if (sig && process.listenerCount(sig) === 0) process.kill(process.pid, sig);
  }
}

/** Asks the question (when there is someone to ask) and settles the exit path with the answer. */
function ask(asker: Asker, exit: ExitPath, timeoutSeconds: number): AbortController {
  const ac = new AbortController();
  if (!asker.confirmKeep) return ac;
  asker.confirmKeep(timeoutSeconds, ac.signal).then(
    (keep) => exit.settle(keep ? { keep: true, why: 'confirmed' } : { keep: false, why: 'the answer was: do not keep' }),
    (e: unknown) => exit.settle({ keep: false, why: `error while asking: ${(e as Error)?.message ?? String(e)}` }),
  );
  return ac;
}

function relay(asker: Asker, e: ProgressEvent): void {
  try {
    asker.onProgress?.(describeEvent(e), e);
  } catch {
    /* a broken progress display must not stop the change */
  }
}

/** Runs the job in this process (no detached guardian). Signals still revert, then re-raise. */
export async function runInProcess(dir: string, asker: Asker, probe: Probe): Promise<Outcome> {
  let finished = false;
  let wake: (() => void) | null = null;
  const exit = new ExitPath(() => wake?.(), () => finished, true);
  const channel: Channel = {
    emit: (e) => relay(asker, e),
    revertRequested: () => (exit.decision && !exit.decision.keep ? exit.decision.why : null),
    decide: (timeoutSeconds, deadline) =>
      new Promise<Decision>((resolve) => {
        const ac = ask(asker, exit, timeoutSeconds);
        const finish = (): void => {
          clearTimeout(timer);
          wake = null;
          ac.abort();
          resolve(exit.decision ?? { keep: false, why: `not confirmed within ${timeoutSeconds} s` });
        };
        const timer = setTimeout(() => {
          exit.settle({ keep: false, why: `not confirmed within ${timeoutSeconds} s` });
          finish();
        }, Math.max(0, deadline - probe.now()));
        wake = finish;
        if (exit.decision) finish();
      }),
  };
  try {
    return await executeJob(dir, channel, probe);
  } finally {
    finished = true;
    exit.release();
  }
}

export interface DetachOptions {
  /** The command that starts ttyconf: [node, /path/to/ttyconf.js]. */
  readonly argv: readonly string[];
  /** Start the guardian in its own systemd scope, out of reach of the caller's cgroup being stopped. */
  readonly systemdScope: boolean;
  readonly startTimeoutMs?: number;
}

function spawnGuardian(dir: string, argv: readonly string[], scope: boolean, id: string): ReturnType<typeof spawn> {
  const out = openSync(join(dir, 'guardian.out'), 'a', 0o600);
  const prefix = scope ? ['systemd-run', '--scope', '--quiet', '--collect', `--unit=ttyconf-apply-${id}`, '--'] : [];
  const full = [...prefix, ...argv, '__apply-guardian', dir];
  try {
    const child = spawn(full[0]!, full.slice(1), { detached: true, stdio: ['ignore', out, out], cwd: '/', env: process.env });
    child.on('error', () => undefined);
    child.unref();
    return child;
  } finally {
    closeSync(out);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function started(dir: string): boolean {
  try {
    return statSync(join(dir, 'events.jsonl')).size > 0;
  } catch {
    return false;
  }
}

/** Starts the guardian, waits until it runs; null when it could not be started. */
async function start(dir: string, id: string, opts: DetachOptions): Promise<number | null> {
  const attempts = opts.systemdScope ? [true, false] : [false];
  for (const scope of attempts) {
    const child = spawnGuardian(dir, opts.argv, scope, id);
    let exited = false;
    child.once('exit', () => void (exited = true));
    const until = Date.now() + (opts.startTimeoutMs ?? 15_000);
    while (!started(dir) && !exited && Date.now() < until) await sleep(50);
    if (started(dir)) return child.pid ?? 0;
    if (!exited) child.kill('SIGKILL');
  }
  return null;
}

/** Runs the job in a detached guardian and follows it until outcome.json appears. */
export async function runDetached(dir: string, id: string, asker: Asker, opts: DetachOptions): Promise<Outcome> {
  const pid = await start(dir, id, opts);
  if (pid === null) {
    return { kind: 'not-applied', reason: `could not start the apply process (see ${join(dir, 'guardian.out')}); nothing was written` };
  }
  let outcome: Outcome | null = null;
  const exit = new ExitPath((d) => writeDecision(dir, d), () => outcome !== null, false);
  let offset = 0;
  let question: AbortController | null = null;
  try {
    for (;;) {
      const r = readEvents(dir, offset);
      offset = r.offset;
      for (const e of r.events) {
        relay(asker, e);
        // The guardian's deadline rules; ask for the time that is really left.
        if (e.kind === 'confirm') question = ask(asker, exit, Math.max(1, Math.min(e.timeoutSeconds, Math.round((e.deadline - Date.now()) / 1000))));
      }
      outcome = readOutcome<Outcome>(dir);
      if (outcome) break;
      const state = readState(dir);
      const guardianPid = state?.pid ?? pid;
      if (pid && !processAlive(guardianPid, null) && !existsSync(join(dir, 'outcome.json'))) {
        await sleep(200);
        outcome = readOutcome<Outcome>(dir);
        if (outcome) break;
        // The guardian died without finishing: undo what it did from here.
        const { recoverJob } = await import('./guardian.js');
        const { realProbe } = await import('../system/observe.js');
        outcome = (await recoverJob(dir, realProbe)) ?? { kind: 'not-applied', reason: 'the apply process ended without a result' };
        break;
      }
      await sleep(100);
    }
  } catch (e) {
    exit.settle({ keep: false, why: `error while following the change: ${(e as Error).message}` });
    throw e;
  } finally {
    question?.abort();
    exit.release();
  }
  // Events written after the last poll (the rollback's) still belong on the progress display.
  for (const e of readEvents(dir, offset).events) relay(asker, e);
  return outcome;
}
