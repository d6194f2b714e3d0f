// The other two ways to put ttyconf on a terminal, beside its own unit (units.ts):
//   agetty     getty@/serial-getty@ stay; a drop-in makes agetty run ttyconf as its login program
//              (`agetty --noclear -n -l /usr/bin/ttyconf`), keeping the unit's baud rate, TERM and
//              other options.
//   autologin  a drop-in makes agetty log in the dedicated account `ttyconf` (`--autologin`), whose
//              shell is /usr/bin/ttyconf. ttyconf creates the account when it is not there (and only
//              then removes it again).
// Pure functions here: reading the unit's ExecStart, rewriting it, the drop-in's text, the account
// lines. src/console/viaManage.ts reads, records and writes.
import type { Tty } from './tty.js';
import { ETC_UNITS, UNIT_DIRS, nativeGetty } from './units.js';

export type Via = 'service' | 'agetty' | 'autologin';
export const VIAS: readonly Via[] = ['service', 'agetty', 'autologin'];

export const TTYCONF_BIN = '/usr/bin/ttyconf';
export const ACCOUNT = 'ttyconf';
/** Sorts after the usual names (override.conf, a vendor's 50-baud.conf), so its ExecStart= wins. */
export const VIA_DROPIN_NAME = 'zz-ttyconf.conf';

export const viaDropinPath = (tty: Tty): string => `${ETC_UNITS}/${nativeGetty(tty)}.d/${VIA_DROPIN_NAME}`;

/** The template unit (getty@.service) of the native getty, and where its settings can come from. */
export function gettySources(tty: Tty): { units: string[]; dropinDirs: string[] } {
  const native = nativeGetty(tty);
  const template = native.replace(/@.*\.service$/, '@.service');
  const dirs = [ETC_UNITS, 'run/systemd/system', ...UNIT_DIRS];
  return {
    // The instance's own unit file wins over the template; /etc over /run over /usr/lib.
    units: dirs.flatMap((d) => [`${d}/${native}`, `${d}/${template}`]),
    dropinDirs: dirs.flatMap((d) => [`${d}/${template}.d`, `${d}/${native}.d`]),
  };
}

/** What getty@/serial-getty@ run where the unit cannot be read (systemd 219, CentOS 7). */
export function fallbackExecStart(tty: Tty): string {
  return tty.kind === 'vt' ? '-/sbin/agetty --noclear %I $TERM' : '-/sbin/agetty --keep-baud 115200,38400,9600 %I $TERM';
}

/** The last ExecStart= of a unit or drop-in text: a string, '' for a reset (`ExecStart=`), null for none. */
export function lastExecStart(text: string): string | null {
  let found: string | null = null;
  let inService = false;
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  for (const raw of lines) {
    const l = raw.trim();
    if (l.startsWith('[')) inService = l === '[Service]';
    else if (inService) {
      const m = /^ExecStart\s*=\s*(.*)$/.exec(l);
      if (m) found = m[1]!.trim();
    }
  }
  return found;
}

/** Splits a command line the way systemd does for ExecStart= (quotes, backslash escapes). */
export function splitExec(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      has = true;
    } else if (quote) {
      if (c === quote) quote = null;
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === ' ' || c === '\t') {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}

/** Joins words into an ExecStart= line that splitExec (and systemd) read back the same. */
export function joinExec(words: readonly string[]): string {
  return words.map((w) => (/^[A-Za-z0-9_@%+=:,./$-]+$/.test(w) ? w : `"${w.replace(/[\\"]/g, (m) => `\\${m}`)}"`)).join(' ');
}

/** agetty's options that decide what happens at the login: ttyconf sets them itself. */
const LOGIN_FLAGS = new Set(['-n', '--skip-login', '--noclear', '-J']);
const LOGIN_VALUE_OPTIONS = new Set(['-l', '--login-program', '-o', '--login-options', '-a', '--autologin']);

/** The unit's agetty command line with ttyconf in charge of the login; every other option kept. */
export function rewriteExecStart(execStart: string, via: Exclude<Via, 'service'>): string {
  const [program, ...args] = splitExec(execStart);
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (LOGIN_FLAGS.has(a)) continue;
    if (LOGIN_VALUE_OPTIONS.has(a)) {
      i++;
      continue;
    }
    if ([...LOGIN_VALUE_OPTIONS].some((o) => o.startsWith('--') && a.startsWith(`${o}=`))) continue;
    kept.push(a);
  }
  // -p keeps the unit's environment (TTYCONF_*) through login; -f: agetty already "authenticated" the account.
  const ours = via === 'agetty' ? ['--noclear', '-n', '-l', TTYCONF_BIN] : ['--noclear', '--autologin', ACCOUNT, '--login-options', '-p -f -- \\u'];
  return joinExec([program ?? '-/sbin/agetty', ...ours, ...kept]);
}

export function viaDropinText(tty: Tty, via: Exclude<Via, 'service'>, execStart: string): string {
  const how = via === 'agetty'
    ? ['agetty keeps the terminal (the unit\'s baud rate, TERM and options) and runs ttyconf instead of',
      'asking for a login name; when ttyconf exits, systemd starts agetty again.']
    : [`agetty logs in the account "${ACCOUNT}" (no password; its shell is ${TTYCONF_BIN}). Changes still ask`,
      'for root\'s password; when ttyconf exits, systemd starts agetty again.'];
  const env = ['TTYCONF_CONSOLE=1', 'TTYCONF_TTY=%I', ...(tty.kind === 'serial' ? ['TTYCONF_SERIAL=1'] : [])].join(' ');
  return [
    `# Written by "ttyconf console enable --tty ${tty.name} --via ${via}";`,
    `# "ttyconf console disable --tty ${tty.name}" removes it.`,
    ...how.map((l) => `# ${l}`),
    '[Service]',
    `Environment=${env}`,
    'ExecStart=',
    `ExecStart=${execStart}`,
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// The dedicated account

/**
 * The account's lines. uid 0: ttyconf reads /etc/shadow to check the password and writes /etc, as it
 * does as its own unit. Its password is locked (`!!`), so only agetty's autologin on the enabled
 * terminal starts it; its home is / and its only shell is ttyconf.
 */
export const passwdLine = `${ACCOUNT}:x:0:0:ttyconf console:/:${TTYCONF_BIN}`;
export const shadowLine = (days: number): string => `${ACCOUNT}:!!:${days}:0:99999:7:::`;

export function accountLine(text: string, name = ACCOUNT): string | null {
  return text.split('\n').find((l) => l.startsWith(`${name}:`)) ?? null;
}

/** `text` with `line` appended (keeping a final newline). */
export function withLine(text: string, line: string): string {
  return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${line}\n`;
}

/** `text` without the lines that `match` picks. */
export function withoutLines(text: string, match: (line: string) => boolean): string {
  const ends = text.endsWith('\n');
  const kept = (ends ? text.slice(0, -1) : text).split('\n').filter((l) => !match(l));
  return kept.length === 0 || (kept.length === 1 && kept[0] === '') ? '' : kept.join('\n') + (ends ? '\n' : '');
}

/** Whether login's PAM stack checks /etc/shells (pam_shells): only then must the shell be listed. */
export function loginChecksShells(pamLogin: string): boolean {
  return pamLogin.split('\n').some((l) => !l.trim().startsWith('#') && /\bpam_shells\.so\b/.test(l));
}
