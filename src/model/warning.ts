// A note about what ttyconf read: shown on the status screen and by `show`, never fatal.

export interface Warning {
  /** Root-relative file, when the warning is about a file. */
  readonly file?: string;
  readonly line?: number;
  readonly key?: string;
  readonly message: string;
}
