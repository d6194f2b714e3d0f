// File-system errors in words, for messages that name the file, the cause and what was written.

/** Why a commit failed and what it left (files/commit.ts). */
export interface CommitError {
  /** Root-relative file (or folder) the failure is about. */
  readonly file: string;
  /** The cause in words: "no space left on device (ENOSPC)". */
  readonly cause: string;
  /** True when every file is back as it was; false names the ones that could not be restored. */
  readonly restored: boolean;
  readonly unrestored: readonly string[];
  /** True when some file had been replaced before the failure (and was then put back, see restored). */
  readonly replacedAny?: boolean;
}

const WORDS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EBUSY: 'device or resource busy',
  EDQUOT: 'disk quota exceeded',
  EEXIST: 'already exists',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  EISDIR: 'is a directory',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'file name too long',
  ENFILE: 'too many open files in the system',
  ENOENT: 'no such file or directory',
  ENOSPC: 'no space left on device',
  ENOTDIR: 'a component of the path is not a directory',
  ENOTEMPTY: 'directory not empty',
  ENXIO: 'no such device or address',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ETXTBSY: 'text file busy',
  EXDEV: 'on another file system',
};

/** "no space left on device (ENOSPC)" for an errno error; the message for anything else. */
export function causeText(e: unknown): string {
  const x = e as NodeJS.ErrnoException | undefined;
  const code = x?.code;
  if (code && WORDS[code]) return `${WORDS[code]} (${code})`;
  if (code) return `${x?.message?.replace(/^[A-Z]+: /, '') ?? code} (${code})`;
  return String(x?.message ?? e);
}

/** What a failed commit left, in words: "nothing was written" or which files are as they were. */
export function commitErrorState(e: CommitError): string {
  if (!e.restored) return `these files could not be restored from the backup and may be new: ${e.unrestored.join(', ')}`;
  return e.replacedAny ? 'the files already replaced were put back: every file is as it was before' : 'nothing was written: every file is as it was before';
}

/** The whole message: "cannot write FILE: CAUSE; nothing was written: ...". */
export function commitErrorText(e: CommitError): string {
  return `cannot write ${e.file}: ${e.cause}; ${commitErrorState(e)}`;
}
