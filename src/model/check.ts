// One verification's result and its words (PASS/SKIP/FAIL/WARN), as the CLI and the console print it.
export type CheckStatus = 'passed' | 'failed' | 'skipped';

/** One verification: what was wanted and what the running system showed. */
export interface CheckResult {
  /** Short name: "eth0 address", "default route", "gateway 192.0.2.1", "DNS 192.0.2.53", "hostname". */
  readonly name: string;
  readonly status: CheckStatus;
  /** False only when the check failed (a skipped check is not a failure). */
  readonly passed: boolean;
  /** A failed required check rolls the change back; a failed optional one is only reported. */
  readonly required: boolean;
  /** "wanted X, got Y", or why it was skipped. */
  readonly detail: string;
}


export function checkLine(c: CheckResult): string {
  const tag = c.status === 'passed' ? 'PASS' : c.status === 'skipped' ? 'SKIP' : c.required ? 'FAIL' : 'WARN';
  return `${tag}  ${c.name}: ${c.detail}`;
}
