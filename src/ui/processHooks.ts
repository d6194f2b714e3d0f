// The signals and uncaught errors a console service takes over (not in in-process tests).

const SIGNALS = ['SIGTERM', 'SIGHUP', 'SIGINT', 'SIGQUIT'] as const;

export interface ProcessHandlers {
  /** q / Ctrl-C may end ttyconf here (not on a console service). */
  readonly canQuit: boolean;
  /** A signal ends ttyconf. */
  readonly stop: () => void;
  readonly uncaught: (e: unknown) => void;
}

/** Installs the handlers; returns the function that removes them. */
export function takeOverProcess(h: ProcessHandlers): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    // Ctrl-C or Ctrl-\ typed before raw mode (the first screen is drawn before it): keys, on a
    // console that may not quit.
    if ((signal === 'SIGINT' || signal === 'SIGQUIT') && !h.canQuit) return;
    h.stop();
  };
  // Ctrl-Z is a key in raw mode; outside it (a moment before raw mode) ttyconf never stops.
  const onStop = (): void => undefined;
  for (const s of SIGNALS) process.on(s, onSignal);
  process.on('SIGTSTP', onStop);
  process.on('uncaughtException', h.uncaught);
  process.on('unhandledRejection', h.uncaught);
  return () => {
    for (const s of SIGNALS) process.removeListener(s, onSignal);
    process.removeListener('SIGTSTP', onStop);
    process.removeListener('uncaughtException', h.uncaught);
    process.removeListener('unhandledRejection', h.uncaught);
  };
}
