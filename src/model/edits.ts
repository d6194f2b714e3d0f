// A change to the files as plain data: each file's bytes before and after, and the review's summary lines.

export interface FileEdit {
  /** Root-relative path. */
  readonly path: string;
  readonly before: Buffer | null;
  readonly after: Buffer;
  /** The file is removed (a restore taking away a file that a later change created); `after` is empty. */
  readonly remove?: boolean;
}

export interface SummaryLine {
  readonly field: string;
  readonly old: string;
  readonly new: string;
}
