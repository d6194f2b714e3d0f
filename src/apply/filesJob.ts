// A change that writes files and applies nothing, kept as a job (see job.ts) so that a process killed
// between two renames leaves a record the next run repairs: the plan (old and new bytes of every file)
// is in job.json and the backup folder in state.json before the first file is replaced.
import { dirname, join } from 'node:path';
import { type BackupEntry, type ChangeNote, type CommitHooks, cleanStaleTemps, readManifest, restoreFiles } from '../files/commit.js';
import type { CommitError, CommitResult } from '../files/commit.js';
import { causeText } from '../files/errors.js';
import { PATHS, type Root } from '../files/root.js';
import { readRootFile } from '../files/safeRead.js';
import type { Result } from '../model/result.js';
import type { Plan } from '../plan.js';
import {
  type FilesJobSpec, type JobState, JOBS_DIR, bootId, createJob, deserializePlan, releaseLock, serializePlan, writeOutcome, writeState,
} from './job.js';
import type { Actor } from './audit.js';
import type { Outcome } from './types.js';

type Commit = (hooks: CommitHooks) => Promise<Result<CommitResult, CommitError>>;

const nothingWritten = (file: string, cause: string): Outcome =>
  ({ kind: 'write-failed', error: { file, cause, restored: true, unrestored: [], replacedAny: false } });

/**
 * Writes the plan's files as a job `id` (the caller holds the lock); returns written or write-failed.
 * `note` goes into the backup's manifest (who, what), `actor` into job.json.
 */
export async function runFilesJob(root: Root, id: string, plan: Plan, commit: Commit, who: { note?: ChangeNote; actor?: Actor } = {}): Promise<Outcome> {
  const rel = join(JOBS_DIR, id);
  let dir: string;
  const state = (backupDir: string | null, phase: JobState['phase']): JobState =>
    ({ phase, pid: process.pid, bootId: bootId(), backupDir, liveBefore: null });
  try {
    dir = createJob(root.path(JOBS_DIR), { kind: 'files', id, rootDir: root.dir, plan: serializePlan(plan), createdBy: process.pid, ...(who.actor ? { actor: who.actor } : {}) });
    writeState(dir, state(null, 'committing'));
  } catch (e) {
    return nothingWritten(rel, `cannot record the change before writing it: ${causeText(e)}`);
  }
  const r = await commit({ onBackup: (backupDir) => writeState(dir, state(backupDir, 'committing')), ...(who.note ? { note: who.note } : {}) });
  const outcome: Outcome = r.ok ? { kind: 'written', commit: r.value, notes: plan.notes } : { kind: 'write-failed', error: r.error };
  try {
    writeOutcome(dir, outcome);
    writeState(dir, state(r.ok ? r.value.backupDir : null, 'done'));
  } catch {
    // The files are whole either way; the next run reads them and finds the change complete or undone.
  }
  return outcome;
}

type FileNow = 'new' | 'old' | 'other';

/** after null: the change removes the file (a restore taking away a file a later change created). */
function fileNow(root: Root, path: string, before: Buffer | null, after: Buffer | null): FileNow {
  const r = readRootFile(root, path);
  if (after === null) {
    if (r.kind === 'missing') return 'new';
  } else if (r.kind === 'file' && r.data.equals(after)) return 'new';
  if (r.kind === 'missing' && before === null) return 'old';
  if (r.kind === 'file' && before !== null && r.data.equals(before)) return 'old';
  return 'other';
}

/**
 * Repairs a files job whose process died: every file new -> the change stands (finished); else every
 * file already replaced is put back from the backup (undone). A file that is neither the old nor the
 * new version was changed by someone else since, and is left alone and named.
 */
export async function recoverFilesJob(dir: string, spec: Pick<FilesJobSpec, 'id' | 'plan'>, state: JobState, root: Root): Promise<Outcome> {
  const plan = deserializePlan(spec.plan);
  const target = (p: string): string => {
    try {
      return root.target(p);
    } catch {
      return p;
    }
  };
  const dirs = [PATHS.networkScripts, dirname(PATHS.resolvConf), dirname(PATHS.sysconfigNetwork), ...plan.edits.map((e) => dirname(target(e.path)))];
  const who = `the process writing it (pid ${state.pid}) ended before it finished`;
  let outcome: Outcome | undefined;
  if (!state.backupDir) {
    outcome = { kind: 'not-applied', reason: `${who}, before it replaced any file` };
  } else {
    let entries: BackupEntry[];
    try {
      entries = await readManifest(root, state.backupDir);
    } catch (e) {
      entries = [];
      outcome = nothingWritten(state.backupDir, `${who}, and its backup cannot be read: ${causeText(e)}`);
    }
    const now = plan.edits.map((e, i) => ({ entry: entries[i], now: fileNow(root, entries[i]?.path ?? e.path, e.before, e.remove ? null : e.after) }));
    if (entries.length === plan.edits.length && now.every((f) => f.now === 'new')) {
      outcome = {
        kind: 'written',
        commit: { backupDir: state.backupDir, written: entries.map((e) => e.path) },
        notes: ['every file of it had been replaced, so the change stands'],
      };
    } else if (entries.length === plan.edits.length) {
      const back = now.filter((f) => f.now === 'new').map((f) => f.entry!);
      const others = now.filter((f) => f.now === 'other').map((f) => f.entry!.path);
      const unrestored = await restoreFiles(root, state.backupDir, back);
      outcome = {
        kind: 'write-failed',
        error: {
          file: back[0]?.path ?? plan.edits[0]!.path,
          cause: `${who}, after replacing ${back.length} of ${plan.edits.length} files${back.length ? ` (${back.map((e) => e.path).join(', ')})` : ''}; undone from the backup in ${state.backupDir}` +
            (others.length ? `; changed since by someone else, left alone: ${others.join(', ')}` : ''),
          restored: unrestored.length === 0 && others.length === 0,
          unrestored: [...unrestored, ...others],
          replacedAny: back.length > 0,
        },
      };
    }
  }
  outcome ??= nothingWritten(state.backupDir ?? dir, `${who}, and its backup does not match the change`);
  await cleanStaleTemps(root, dirs).catch(() => undefined);
  writeOutcome(dir, outcome);
  writeState(dir, { ...state, phase: 'done' });
  releaseLock(dirname(dir), spec.id);
  return outcome;
}
