// The console's "Local shell": a login shell on the same terminal while the UI is put away (the
// caller pauses the screen first and restores it after). The idle timeout applies through TMOUT.
// Only the authenticated menu item calls this; nothing else in ttyconf starts a shell.
import type { Root } from '../files/root.js';

export interface ShellOptions {
  /** The UI's root: the shell is the account's from ROOT/etc/passwd only on the running system. */
  readonly root: Root;
  /** Seconds without input before the shell logs out (bash/ksh TMOUT); 0: none. */
  readonly idleSeconds: number;
  /** The environment to start from (default process.env); ttyconf's own variables are dropped. */
  readonly env?: NodeJS.ProcessEnv;
  /** The shell program (tests); default bash, else sh. */
  readonly shell?: string;
  /** Extra arguments after the login flag (tests). */
  readonly args?: readonly string[];
  /** Called with a function that ends the shell (SIGHUP, then SIGKILL): for a hangup of ttyconf. */
  readonly onStart?: (kill: () => void) => void;
}

export interface ShellResult {
  readonly exitCode: number | null;
  /** Could not be started (ENOENT...). */
  readonly failedToStart: string | null;
  readonly durationMs: number;
}

const OWN_VARS = /^(TTYCONF_|INVOCATION_ID$|JOURNAL_STREAM$|NOTIFY_SOCKET$|WATCHDOG_)/;

/** The environment of the shell: the caller's, minus ttyconf's and systemd's service variables, plus TMOUT. */
export function shellEnv(base: NodeJS.ProcessEnv, idleSeconds: number): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !OWN_VARS.test(k)) env[k] = v;
  if (idleSeconds > 0) env.TMOUT = String(Math.round(idleSeconds));
  else delete env.TMOUT;
  return env;
}

export async function defaultShell(): Promise<string> {
  const { access, constants } = await import('node:fs/promises');
  return access('/bin/bash', constants.X_OK).then(() => '/bin/bash', () => '/bin/sh');
}

/** Why no shell may open here: under --root DIR the password came from DIR's shadow, not this machine's. */
export function shellRefusal(root: Root): string | null {
  return root.isSystem ? null : `ttyconf works on the files under ${root.dir}; a shell would be on this machine, which that login does not cover`;
}

/** Runs the login shell and resolves when it exits (never rejects). */
export async function runLoginShell(opts: ShellOptions): Promise<ShellResult> {
  const refusal = shellRefusal(opts.root);
  if (refusal) return { exitCode: null, failedToStart: refusal, durationMs: 0 };
  const { execa } = await import('execa');
  const shell = opts.shell ?? (await defaultShell());
  const env = shellEnv(opts.env ?? process.env, opts.idleSeconds);
  // A service started by systemd may have no HOME: a root shell then starts in /root, as login does.
  if (opts.root.isSystem && !env.HOME) Object.assign(env, { HOME: '/root', USER: 'root', LOGNAME: 'root' });
  const started = Date.now();
  const sub = execa(shell, ['-l', ...(opts.args ?? [])], {
    reject: false,
    // The terminal for all three: bash prompts on stderr, and under systemd ttyconf's own stderr
    // is the journal.
    stdin: 0,
    stdout: 1,
    stderr: 1,
    env,
    extendEnv: false,
    // If ttyconf itself ends, the shell ends too: no shell is ever left behind on the console.
    cleanup: true,
    forceKillAfterDelay: 2_000,
  });
  opts.onStart?.(() => void sub.kill('SIGHUP'));
  const r = await sub;
  const failedToStart = r.failed && r.exitCode === undefined && !r.signal ? String(r.code ?? r.shortMessage) : null;
  return { exitCode: r.exitCode ?? null, failedToStart, durationMs: Date.now() - started };
}
