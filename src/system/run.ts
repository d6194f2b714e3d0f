// Every program ttyconf runs goes through a Runner: execa, never a shell, always a timeout.
// Tests swap in a recording runner.

export interface CommandResult {
  readonly command: readonly string[];
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  /** Set when the program could not be started (ENOENT...). */
  readonly failedToStart: string | null;
  readonly durationMs: number;
}

export interface RunOptions {
  readonly timeoutMs?: number;
  readonly env?: Readonly<Record<string, string>>;
  readonly input?: string;
}

export type Runner = (file: string, args: readonly string[], opts?: RunOptions) => Promise<CommandResult>;

export function succeeded(r: CommandResult): boolean {
  return r.exitCode === 0 && !r.timedOut && r.failedToStart === null;
}

/** One line for logs and the result screen: what ran and how it ended. */
export function describeResult(r: CommandResult): string {
  const cmd = r.command.join(' ');
  if (r.failedToStart) return `${cmd}: could not start (${r.failedToStart})`;
  if (r.timedOut) return `${cmd}: timed out`;
  const err = r.stderr.trim().split('\n').slice(-1)[0] ?? '';
  return r.exitCode === 0 ? `${cmd}: ok` : `${cmd}: exit ${r.exitCode}${err ? `: ${err}` : ''}`;
}

export const execaRunner: Runner = async (file, args, opts = {}) => {
  const { execa } = await import('execa');
  const started = Date.now();
  const r = await execa(file, [...args], {
    reject: false,
    timeout: opts.timeoutMs ?? 10_000,
    forceKillAfterDelay: 2_000,
    stdin: opts.input === undefined ? 'ignore' : 'pipe',
    input: opts.input,
    env: { LC_ALL: 'C', ...opts.env },
    stripFinalNewline: false,
  });
  const failedToStart = r.failed && r.exitCode === undefined && !r.timedOut ? String(r.code ?? r.shortMessage) : null;
  return {
    command: [file, ...args],
    exitCode: r.exitCode ?? null,
    stdout: String(r.stdout ?? ''),
    stderr: String(r.stderr ?? ''),
    timedOut: Boolean(r.timedOut),
    failedToStart,
    durationMs: Date.now() - started,
  };
};
