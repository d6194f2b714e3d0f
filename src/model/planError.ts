// Why a change cannot be planned: an input that breaks a rule, or a file ttyconf will not edit.
import { type FieldError, formatFieldError } from './fieldError.js';

/**
 * A file ttyconf refuses to edit: bash reads it (network-scripts sources it) in a way ttyconf cannot
 * follow exactly, so replacing lines in it could leave something behind that bash runs.
 */
export interface FileRefusal {
  /** Root-relative path. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly reason: string;
}

export type PlanError = FieldError | FileRefusal;

export function isFileRefusal(e: PlanError): e is FileRefusal {
  return 'file' in e;
}

/** `FILE, line N: reason; ...`: what the CLI prints after "will not edit" and the UI shows. */
export function formatFileRefusal(e: FileRefusal): string {
  return `${e.file}, line ${e.line}: ${e.reason}; ttyconf edits a file only where it reads every line as bash does`;
}

/** One line for the user, as the UI shows it (the CLI adds "ttyconf: invalid" or "ttyconf: will not edit"). */
export function formatPlanError(e: PlanError): string {
  return isFileRefusal(e) ? `will not edit ${formatFileRefusal(e)}` : formatFieldError(e);
}
