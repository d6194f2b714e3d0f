// Unexpected errors in words: a short line for the screen, the details for the log.

/** The first line of the message, at most 60 characters: what the screen says. */
export function shortMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  const first = m.split('\n')[0] ?? '';
  return first.length > 60 ? `${first.slice(0, 57)}...` : first || 'unknown error';
}

/** The stack trace when there is one: never the screen, only the log. */
export function detail(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}
