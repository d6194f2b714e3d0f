// A change being applied lives in a job folder under the root (var/lib/ttyconf/jobs/<id>/), so the
// process that applies it (the guardian) and the one that asks "Keep these settings?" need share
// nothing but files, and a crashed or killed run can be found and undone later:
//   job.json      what to do (the plan, the stack, the options), written once by the asker
//   state.json    how far the guardian got (backup folder, the network before the change)
//   events.jsonl  progress, one JSON event per line, appended by the guardian
//   decision      "keep" or "revert", written once by the asker (the first decision wins)
//   outcome.json  the result, written last by the guardian
//   log           every command with its output
// jobs/active holds the id and pid of the job in progress: one change at a time.
// A change that only writes files (--no-apply, a --root tree, the UI's files-only path) is a job too
// (kind "files", no guardian): job.json holds the plan (every file's old and new bytes), state.json
// the backup folder before the first rename, outcome.json the end. A run killed between two renames
// leaves job.json and state.json without outcome.json, and the next run finishes or undoes it.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../files/atomicWrite.js';
import type { Change } from '../model/types.js';
import type { Plan } from '../plan.js';
import type { StackInfo } from '../system/stack.js';
import type { Actor } from './audit.js';
import type { LiveNet } from '../model/live.js';
import type { ProgressEvent, Timeouts } from './types.js';

export const JOBS_DIR = 'var/lib/ttyconf/jobs';
export const KEEP_JOBS = 20;

export interface JobSpec {
  readonly kind?: 'apply';
  readonly id: string;
  readonly rootDir: string;
  readonly plan: SerializedPlan;
  readonly stack: StackInfo;
  readonly confirmSeconds: number;
  readonly noRevert: boolean;
  readonly timeouts: Timeouts;
  readonly hostnameVia: 'hostnamectl' | 'hostname' | null;
  readonly createdBy: number;
  /** Who asked for the change (absent in jobs written before it was recorded). */
  readonly actor?: Actor;
}

/** A change that writes files and applies nothing (see the top of this file). */
export interface FilesJobSpec {
  readonly kind: 'files';
  readonly id: string;
  readonly rootDir: string;
  readonly plan: SerializedPlan;
  readonly createdBy: number;
  /** Who asked for the change (absent in jobs written before it was recorded). */
  readonly actor?: Actor;
}

export type AnyJobSpec = JobSpec | FilesJobSpec;

export type JobPhase = 'started' | 'committing' | 'committed' | 'applying' | 'verifying' | 'confirming' | 'kept' | 'rolling-back' | 'done';

export interface JobState {
  readonly phase: JobPhase;
  readonly pid: number;
  readonly bootId: string | null;
  readonly backupDir: string | null;
  readonly liveBefore: LiveNet | null;
}

export interface Decision {
  readonly keep: boolean;
  readonly why: string;
}

export interface SerializedPlan {
  readonly changes: readonly Change[];
  readonly edits: readonly { path: string; before: string | null; after: string; remove?: boolean }[];
  readonly summary: Plan['summary'];
  readonly actions: Plan['actions'];
  readonly dns: Plan['dns'];
  readonly notes: Plan['notes'];
  readonly rollbackLimits: Plan['rollbackLimits'];
  readonly origin?: Plan['origin'];
}

export function serializePlan(p: Plan): SerializedPlan {
  return {
    changes: p.changes,
    edits: p.edits.map((e) => ({ path: e.path, before: e.before ? e.before.toString('base64') : null, after: e.after.toString('base64'), ...(e.remove ? { remove: true } : {}) })),
    summary: p.summary,
    actions: p.actions,
    dns: p.dns,
    notes: p.notes,
    rollbackLimits: p.rollbackLimits,
    ...(p.origin ? { origin: p.origin } : {}),
  };
}

export function deserializePlan(s: SerializedPlan): Plan {
  return {
    changes: s.changes,
    edits: s.edits.map((e) => ({ path: e.path, before: e.before === null ? null : Buffer.from(e.before, 'base64'), after: Buffer.from(e.after, 'base64'), ...(e.remove ? { remove: true } : {}) })),
    summary: s.summary,
    actions: s.actions,
    dns: s.dns,
    notes: s.notes,
    rollbackLimits: s.rollbackLimits,
    ...(s.origin ? { origin: s.origin } : {}),
  };
}

export function bootId(): string | null {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
}

/** True when the process may still run (same boot, pid exists). */
export function processAlive(pid: number, boot: string | null): boolean {
  if (boot !== null && boot !== bootId()) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Every record of the job folder is replaced whole: a reader never sees half of one. */
function writeAtomic(path: string, text: string): void {
  writeFileAtomicSync(path, text, { mode: 0o600 });
}

function readJson<T>(path: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

export function newJobId(now = new Date()): string {
  return now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\..*/, '') + '-' + randomBytes(3).toString('hex');
}

/** Creates the folder and job.json; returns the folder's absolute path. */
export function createJob(jobsDirAbs: string, spec: AnyJobSpec): string {
  fs.mkdirSync(jobsDirAbs, { recursive: true, mode: 0o700 });
  pruneJobs(jobsDirAbs);
  const dir = join(jobsDirAbs, spec.id);
  fs.mkdirSync(dir, { mode: 0o700 });
  writeAtomic(join(dir, 'job.json'), JSON.stringify(spec, null, 1) + '\n');
  return dir;
}

export function readJob(dir: string): AnyJobSpec | null {
  return readJson<AnyJobSpec>(join(dir, 'job.json'));
}

export function writeState(dir: string, s: JobState): void {
  writeAtomic(join(dir, 'state.json'), JSON.stringify(s) + '\n');
}

export function readState(dir: string): JobState | null {
  return readJson<JobState>(join(dir, 'state.json'));
}

export function appendEvent(dir: string, e: ProgressEvent): void {
  fs.appendFileSync(join(dir, 'events.jsonl'), JSON.stringify(e) + '\n', { mode: 0o600 });
}

/** Events appended since `offset` (bytes); only whole lines. */
export function readEvents(dir: string, offset: number): { events: ProgressEvent[]; offset: number } {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(join(dir, 'events.jsonl'));
  } catch {
    return { events: [], offset };
  }
  const end = buf.lastIndexOf(0x0a) + 1;
  if (end <= offset) return { events: [], offset };
  const events = buf.subarray(offset, end).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as ProgressEvent);
  return { events, offset: end };
}

/** Records the answer; returns false when a decision was already there (the first one stands). */
export function writeDecision(dir: string, d: Decision): boolean {
  try {
    const fd = fs.openSync(join(dir, 'decision'), 'wx', 0o600);
    try {
      fs.writeSync(fd, JSON.stringify(d) + '\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    return true;
  } catch {
    return false;
  }
}

export function readDecision(dir: string): Decision | null {
  return readJson<Decision>(join(dir, 'decision'));
}

export function writeOutcome(dir: string, o: unknown): void {
  writeAtomic(join(dir, 'outcome.json'), JSON.stringify(o, null, 1) + '\n');
}

export function readOutcome<T>(dir: string): T | null {
  return readJson<T>(join(dir, 'outcome.json'));
}

export function appendLog(dir: string, text: string): void {
  try {
    fs.appendFileSync(join(dir, 'log'), text.endsWith('\n') ? text : text + '\n', { mode: 0o600 });
  } catch {
    /* the log is a convenience; never let it stop a revert */
  }
}

interface LockContent {
  readonly id: string;
  readonly pid: number;
  readonly bootId: string | null;
}

export type LockResult = { readonly ok: true } | { readonly ok: false; readonly holder: LockContent };

/**
 * Takes jobs/active for `id`. A lock whose process is gone is handed to `stale` (to undo that job)
 * and then taken over.
 */
export async function acquireLock(jobsDirAbs: string, id: string, pid: number, stale: (holder: LockContent) => Promise<void>): Promise<LockResult> {
  fs.mkdirSync(jobsDirAbs, { recursive: true, mode: 0o700 });
  const path = join(jobsDirAbs, 'active');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(path, 'wx', 0o600);
      try {
        fs.writeSync(fd, JSON.stringify({ id, pid, bootId: bootId() }));
      } catch (e) {
        // A full disk: no half-written lock is left behind to stop the next run.
        fs.closeSync(fd);
        fs.rmSync(path, { force: true });
        throw e;
      }
      fs.closeSync(fd);
      return { ok: true };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = readJson<LockContent>(path);
    if (holder && holder.id !== id && processAlive(holder.pid, holder.bootId)) return { ok: false, holder };
    if (holder && holder.id !== id) await stale(holder);
    fs.rmSync(path, { force: true });
  }
  const holder = readJson<LockContent>(path) ?? { id: '?', pid: 0, bootId: null };
  return { ok: false, holder };
}

export function releaseLock(jobsDirAbs: string, id: string): void {
  const path = join(jobsDirAbs, 'active');
  const holder = readJson<LockContent>(path);
  if (holder?.id === id) fs.rmSync(path, { force: true });
}

/** Keeps the newest finished job folders. */
function pruneJobs(jobsDirAbs: string): void {
  const names = fs.readdirSync(jobsDirAbs).filter((n) => /^\d{8}-\d{6}-[0-9a-f]+$/.test(n)).sort();
  const finished = names.filter((n) => fs.existsSync(join(jobsDirAbs, n, 'outcome.json')));
  for (const n of finished.slice(0, Math.max(0, finished.length - KEEP_JOBS))) {
    fs.rmSync(join(jobsDirAbs, n), { recursive: true, force: true });
  }
}

/** Job folders whose guardian is gone before writing an outcome. */
export function unfinishedJobs(jobsDirAbs: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(jobsDirAbs).filter((n) => /^\d{8}-\d{6}-[0-9a-f]+$/.test(n)).sort();
  } catch {
    return [];
  }
  return names.map((n) => join(jobsDirAbs, n)).filter((dir) => {
    if (fs.existsSync(join(dir, 'outcome.json'))) return false;
    const s = readState(dir);
    return s !== null && !processAlive(s.pid, s.bootId);
  });
}
