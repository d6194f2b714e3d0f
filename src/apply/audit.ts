// The audit trail of changes: one line per change, restore or reset, saying who made it, on which
// terminal, its backup ID, how it ended and what it changed. On the system the line goes to syslog's
// daemon facility through `logger` (the journal, /var/log/messages); logins go to authpriv
// (src/auth/log.ts). A tree under --root has no journal: its lines go to var/log/ttyconf/audit.log
// inside the tree. Vendor settings turn none of this off.
import { appendFileSync, mkdirSync, readlinkSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, dirname } from 'node:path';
import type { ChangeNote } from '../files/commit.js';
import type { Root } from '../files/root.js';
import type { Plan } from '../plan.js';
import { type Runner, succeeded } from '../system/run.js';
import type { Outcome } from './types.js';

/** Who asked for a change: the login name and the terminal. */
export interface Actor {
  readonly user: string;
  /** tty1, ttyS0, pts/0...; null when there is no terminal (a script, a timer). */
  readonly tty: string | null;
}

export const AUDIT_FILE = 'var/log/ttyconf/audit.log';

/** The user running this process and the terminal on its standard input (the command line's actor). */
export function processActor(env: NodeJS.ProcessEnv = process.env): Actor {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = `uid ${process.getuid?.() ?? '?'}`;
  }
  // sudo keeps the login that asked; the user it ran as is still root.
  if (env.SUDO_USER && /^[A-Za-z0-9._][A-Za-z0-9._-]{0,31}$/.test(env.SUDO_USER) && env.SUDO_USER !== user) user = `${user} (sudo by ${env.SUDO_USER})`;
  return { user, tty: env.TTYCONF_TTY && /^[A-Za-z][A-Za-z0-9_/]*$/.test(env.TTYCONF_TTY) ? env.TTYCONF_TTY : stdinTty() };
}

function stdinTty(): string | null {
  try {
    const t = readlinkSync('/proc/self/fd/0');
    return t.startsWith('/dev/') && (t.startsWith('/dev/tty') || t.startsWith('/dev/pts/') || t.startsWith('/dev/hvc')) ? t.slice(5) : null;
  } catch {
    return null;
  }
}

/** What the backup's manifest records about a plan made by `actor`. */
export function changeNote(plan: Plan, actor: Actor): ChangeNote {
  const o = plan.origin;
  return {
    kind: o?.kind ?? 'change',
    user: actor.user,
    tty: actor.tty,
    summary: plan.summary.map((s) => ({ field: s.field, old: s.old, new: s.new })),
    ...(o ? { of: o.kind === 'restore' ? o.backup : o.device } : {}),
  };
}

/** The backup ID: the name of the backup's folder. */
export const backupId = (backupDir: string): string => basename(backupDir);

function what(plan: Plan): string {
  const o = plan.origin;
  if (!o) return 'change';
  return o.kind === 'restore' ? `restore of backup ${o.backup}` : `reset of ${o.device} to DHCP`;
}

function result(o: Exclude<Outcome, { kind: 'unchanged' }>): string {
  switch (o.kind) {
    case 'applied':
      return o.kept === 'confirmed' ? 'applied and kept' : o.kept === 'no-revert' ? 'applied (kept without asking)' : 'applied';
    case 'written':
      return 'files written, not applied';
    case 'rolled-back':
      return `rolled back (${o.reason}); ${o.restored ? 'the old settings are back' : `the old settings are NOT fully back${o.unrestoredFiles.length ? `: files not restored: ${o.unrestoredFiles.join(', ')}` : ''}`}`;
    case 'write-failed':
      return `not written (${o.error.file}: ${o.error.cause}); ${o.error.restored ? 'every file is as it was' : `files that may be new: ${o.error.unrestored.join(', ')}`}`;
    case 'not-applied':
      return `not done (${o.reason})`;
  }
}

export interface AuditLine {
  readonly priority: 'daemon.notice' | 'daemon.warning';
  readonly text: string;
}

/** The line for a change's outcome, or null when nothing was to be done. */
export function auditLine(plan: Plan, actor: Actor, outcome: Outcome): AuditLine | null {
  if (outcome.kind === 'unchanged') return null;
  const backup = 'commit' in outcome ? `, backup ${backupId(outcome.commit.backupDir)}` : '';
  const summary = plan.summary.length ? plan.summary.map((s) => `${s.field}: ${s.old} -> ${s.new}`).join('; ') : `files: ${plan.edits.map((e) => e.path).join(', ')}`;
  const text = `${what(plan)} by ${actor.user} on ${actor.tty ?? 'no terminal'}${backup}: ${result(outcome)}: ${summary}`;
  const priority = outcome.kind === 'applied' || outcome.kind === 'written' ? 'daemon.notice' : 'daemon.warning';
  return { priority, text };
}

export type AuditSink = (line: AuditLine) => Promise<void>;

/** syslog (daemon facility) on the system, falling back to stderr (the journal under systemd); a file inside any other root. */
export function auditSink(root: Root, run: Runner, fallback: (line: string) => void = (l) => process.stderr.write(l)): AuditSink {
  if (!root.isSystem) {
    return async (l) => {
      try {
        const file = root.path(AUDIT_FILE);
        mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
        appendFileSync(file, `${new Date().toISOString()} ${l.priority} ${l.text}\n`, { mode: 0o600 });
      } catch {
        fallback(`ttyconf: ${l.text}\n`);
      }
    };
  }
  return async (l) => {
    const r = await run('logger', ['-p', l.priority, '-t', 'ttyconf', '--', l.text], { timeoutMs: 5_000 });
    if (!succeeded(r)) fallback(`ttyconf: ${l.text}\n`);
  };
}

/** Writes the outcome's line; never throws (the audit must not turn a done change into an error). */
export async function auditOutcome(root: Root, run: Runner, plan: Plan, actor: Actor | undefined, outcome: Outcome): Promise<void> {
  const l = auditLine(plan, actor ?? { user: 'unknown', tty: null }, outcome);
  if (!l) return;
  await auditSink(root, run)(l).catch(() => undefined);
}
