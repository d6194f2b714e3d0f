// The shapes shared by applying, verifying and rolling back: plain data, no I/O.
import type { CommitError, CommitResult } from '../files/commit.js';
import { commitErrorState } from '../files/errors.js';
import type { StackName } from '../model/stack.js';

export type { CheckResult, CheckStatus } from '../model/check.js';
import { type CheckResult, checkLine } from '../model/check.js';
export { checkLine };

/** One program run during apply or rollback, output kept for the result screen and the log. */
export interface CommandRecord {
  readonly command: readonly string[];
  /** Why it ran ("load the profile of eth0"). */
  readonly purpose: string;
  readonly ok: boolean;
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly failedToStart: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timeoutMs: number;
  /** One line: "nmcli device reapply eth0: exit 1: Error: ...". */
  readonly line: string;
}

/** Upper bounds for programs and waits, in milliseconds. */
export interface Timeouts {
  /** ip, nmcli load, hostnamectl and other quick commands. */
  readonly commandMs: number;
  /** nmcli connection up, ifup, dhclient: may wait for a DHCP lease. */
  readonly activateMs: number;
  /** How long a static address and the default route may take to show up. */
  readonly settleMs: number;
  /** How long to wait for a DHCP lease. */
  readonly leaseMs: number;
  /** How long to keep trying the gateway (ping, then arping). */
  readonly gatewayMs: number;
  /** Per DNS server. */
  readonly dnsMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = {
  commandMs: 15_000,
  activateMs: 90_000,
  settleMs: 10_000,
  leaseMs: 45_000,
  gatewayMs: 6_000,
  dnsMs: 3_000,
};

export const DEFAULT_CONFIRM_SECONDS = 30;

const TIMEOUT_KEYS: Record<string, keyof Timeouts> = {
  command: 'commandMs', activate: 'activateMs', settle: 'settleMs', lease: 'leaseMs', gateway: 'gatewayMs', dns: 'dnsMs',
};

/**
 * TTYCONF_TIMEOUTS="lease=10,settle=3" (seconds, decimals allowed): shorter waits for tests and slow
 * networks alike. Returns the overrides, or the first entry that is not understood.
 */
export function parseTimeouts(text: string): { ok: true; value: Partial<Timeouts> } | { ok: false; error: string } {
  const out: Partial<Record<keyof Timeouts, number>> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z]+)=(\d+(?:\.\d+)?)$/.exec(part);
    const key = m ? TIMEOUT_KEYS[m[1]!] : undefined;
    if (!m || !key || Number(m[2]) <= 0) {
      return { ok: false, error: `"${part}": use NAME=SECONDS with NAME one of ${Object.keys(TIMEOUT_KEYS).join(', ')}` };
    }
    out[key] = Math.round(Number(m[2]) * 1000);
  }
  return { ok: true, value: out };
}

export type Phase = 'write' | 'apply' | 'verify' | 'confirm' | 'rollback' | 'rollback-verify' | 'done';

/** Everything a progress screen or log needs, in the order it happens. */
export type ProgressEvent =
  | { readonly kind: 'phase'; readonly phase: Phase; readonly message: string }
  | { readonly kind: 'command'; readonly phase: Phase; readonly record: CommandRecord }
  | { readonly kind: 'check'; readonly phase: Phase; readonly check: CheckResult }
  /** The countdown started: keep before `deadline` (ms since the epoch) or it reverts. */
  | { readonly kind: 'confirm'; readonly timeoutSeconds: number; readonly deadline: number }
  | { readonly kind: 'note'; readonly message: string };

export function describeEvent(e: ProgressEvent): string {
  switch (e.kind) {
    case 'phase':
    case 'note':
      return e.message;
    case 'command':
      return `  ${e.record.line}`;
    case 'check':
      return `  ${checkLine(e.check)}`;
    case 'confirm':
      return `Keep these settings? Reverting in ${e.timeoutSeconds} s`;
  }
}


/** How a kept change ended its countdown. */
export type KeptHow = 'confirmed' | 'not-asked' | 'no-revert';

/** The result of executePlan: always a value, never an exception. */
export type Outcome =
  | { readonly kind: 'unchanged' }
  /** Nothing was written and nothing ran (another change in progress, apply not allowed here...). */
  | { readonly kind: 'not-applied'; readonly reason: string }
  | { readonly kind: 'write-failed'; readonly error: CommitError }
  /** Files written; the running system was left alone. */
  | { readonly kind: 'written'; readonly commit: CommitResult; readonly notes: readonly string[] }
  | {
      readonly kind: 'applied';
      readonly commit: CommitResult;
      readonly stack: StackName;
      /** One line per command ("nmcli device reapply eth0: ok"). */
      readonly commands: readonly string[];
      /** The same commands with their output. */
      readonly runs: readonly CommandRecord[];
      readonly checks: readonly CheckResult[];
      readonly kept: KeptHow;
      readonly notes: readonly string[];
      /** The job's log file (absolute), when there is one. */
      readonly log: string | null;
    }
  | {
      readonly kind: 'rolled-back';
      readonly commit: CommitResult;
      readonly stack: StackName;
      /** The command or check that failed, or why the change was not kept ("not confirmed within 30 s"). */
      readonly reason: string;
      readonly commands: readonly string[];
      readonly runs: readonly CommandRecord[];
      readonly checks: readonly CheckResult[];
      readonly rollbackCommands: readonly string[];
      readonly rollbackRuns: readonly CommandRecord[];
      readonly rollbackChecks: readonly CheckResult[];
      /** True when every file is back and every rollback command succeeded. */
      readonly restored: boolean;
      /** Files that could not be put back from the backup. */
      readonly unrestoredFiles: readonly string[];
      readonly notes: readonly string[];
      readonly log: string | null;
    };

/** TTYCONF_TIMEOUTS from the environment; an error names the bad entry. */
export function timeoutsFromEnv(env: NodeJS.ProcessEnv = process.env): { ok: true; value: Partial<Timeouts> } | { ok: false; error: string } {
  const text = env.TTYCONF_TIMEOUTS;
  if (!text) return { ok: true, value: {} };
  const r = parseTimeouts(text);
  return r.ok ? r : { ok: false, error: `TTYCONF_TIMEOUTS: ${r.error}` };
}

/** One line that says what the repair of an interrupted change did (stderr, the console's notice). */
export function recoveryLine(o: Outcome): string {
  switch (o.kind) {
    case 'rolled-back': return `A change interrupted before this start was rolled back (${o.reason}); files restored: ${o.restored ? 'yes' : 'NOT all'}`;
    case 'applied': return 'A change interrupted before this start had already been kept; it stays';
    case 'not-applied': return `A change interrupted before this start was dropped: ${o.reason}`;
    case 'written': return `A change interrupted before this start was finished: ${o.notes.join('; ')} (${o.commit.written.join(', ')}; backup in ${o.commit.backupDir})`;
    case 'write-failed': return `A change interrupted before this start was undone: ${o.error.cause}; ${commitErrorState(o.error)}`;
    default: return `A change interrupted before this start ended: ${o.kind}`;
  }
}
