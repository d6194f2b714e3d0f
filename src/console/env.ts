// What the units tell the UI through the environment (systemd/ttyconf@.service and
// systemd/ttyconf-serial.conf set these; the UI reads them here, nowhere else).
export interface ConsoleEnv {
  /** Started by the unit (TTYCONF_CONSOLE=1): quitting only restarts it. */
  readonly service: boolean;
  /** The terminal systemd started ttyconf on (TTYCONF_TTY=%I), e.g. tty1; null when run by hand. */
  readonly tty: string | null;
  /** A serial line (TTYCONF_SERIAL=1): ASCII borders, 80x24 when the line reports 0x0, no F-keys needed. */
  readonly serial: boolean;
  readonly term: string | null;
}

export function readConsoleEnv(env: NodeJS.ProcessEnv = process.env): ConsoleEnv {
  const tty = env.TTYCONF_TTY && /^[A-Za-z][A-Za-z0-9_]*$/.test(env.TTYCONF_TTY) ? env.TTYCONF_TTY : null;
  return { service: env.TTYCONF_CONSOLE === '1', tty, serial: env.TTYCONF_SERIAL === '1', term: env.TERM || null };
}

export const FALLBACK_COLUMNS = 80;
export const FALLBACK_ROWS = 24;

/** The size to draw at: what the terminal reports, or 80x24 when it reports nothing (a serial line's 0x0). */
export function effectiveSize(columns: number | undefined, rows: number | undefined): { columns: number; rows: number; reported: boolean } {
  const reported = (columns ?? 0) > 0 && (rows ?? 0) > 0;
  return reported ? { columns: columns!, rows: rows!, reported } : { columns: FALLBACK_COLUMNS, rows: FALLBACK_ROWS, reported };
}
