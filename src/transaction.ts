// Executes a reviewed plan: commit the files, then (when asked) apply, verify, keep or roll back.
// CLI and UI both end here, so both behave the same way.
import type { CommitError, CommitResult } from './files/commit.js';
import type { Current } from './core.js';
import { commitPlan } from './core.js';
import type { Plan } from './plan.js';
import type { Runner } from './system/run.js';

export type StackName = 'nm' | 'network-scripts' | 'iproute2';

export interface ExecuteOptions {
  /** Touch the running system after writing the files. */
  readonly apply: boolean;
  /** Overrides the detected network stack. */
  readonly stack?: StackName;
  readonly run?: Runner;
  /** One line per step, for the progress line and the log. */
  readonly onProgress?: (message: string) => void;
  /**
   * Asked after a successful change to the default-route interface ("Keep these settings?").
   * Resolves true to keep; false, or no answer before the timeout, reverts.
   */
  readonly confirmKeep?: (timeoutSeconds: number) => Promise<boolean>;
  readonly confirmTimeoutSeconds?: number;
  readonly noRevert?: boolean;
}

export interface CheckResult {
  readonly name: string;
  readonly passed: boolean;
  readonly detail: string;
}

export type Outcome =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'write-failed'; readonly error: CommitError }
  /** Files written; the running system was left alone. */
  | { readonly kind: 'written'; readonly commit: CommitResult }
  | { readonly kind: 'applied'; readonly commit: CommitResult; readonly commands: readonly string[]; readonly checks: readonly CheckResult[] }
  | {
      readonly kind: 'rolled-back';
      readonly commit: CommitResult;
      /** The command or check that failed, or "not confirmed". */
      readonly reason: string;
      readonly commands: readonly string[];
      readonly checks: readonly CheckResult[];
      readonly rollbackChecks: readonly CheckResult[];
      /** False when the old settings could not be fully restored. */
      readonly restored: boolean;
    };

export async function executePlan(current: Current, plan: Plan, opts: ExecuteOptions): Promise<Outcome> {
  if (plan.edits.length === 0) return { kind: 'unchanged' };
  opts.onProgress?.(`Writing ${plan.edits.length} file(s)...`);
  const r = await commitPlan(current.root, plan, { run: opts.run });
  if (!r.ok) return { kind: 'write-failed', error: r.error };
  // Applying to the running system is not built yet: files only.
  return { kind: 'written', commit: r.value };
}
