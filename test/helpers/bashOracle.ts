// bash as the judge of ifcfg files: one bash process sources many files, one after the other, and
// reports for each whether it ran a command (a canary file written) and every variable it holds
// (`declare -p`). No subshell per file (a fork each would make thousands of files slow): every
// variable a file set is unset before the next one. A file that makes bash exit is reported as
// such, and the rest go on in a new bash.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A command in a file under test writes to this file (relative: the driver's working directory), e.g. `echo x >canary`. */
export const CANARY = 'canary';

export interface BashReading {
  /** The file ran a command that created the canary. */
  readonly ran: boolean;
  /** Sourcing the file made bash itself exit (no variables then). */
  readonly exited: boolean;
  /** `declare -p` line of each variable, by name, leaving out the ones bash changes by itself. */
  readonly vars: ReadonlyMap<string, string>;
}

/** Variables that change from one file to the next without the file doing anything. */
const DYNAMIC = /^(BASH\w*|_|FUNCNAME|LINENO|RANDOM|SRANDOM|SECONDS|EPOCH\w+|PIPESTATUS|HISTCMD|PWD|OLDPWD|__f|__v|__base|__names)$/;

// ${!P@} lists the variables whose names start with P: every variable, without a fork.
const ALL_VARIABLES = '${!A@} ${!B@} ${!C@} ${!D@} ${!E@} ${!F@} ${!G@} ${!H@} ${!I@} ${!J@} ${!K@} ${!L@} ${!M@} ${!N@} ${!O@} ${!P@} ${!Q@} ${!R@} ${!S@} ${!T@} ${!U@} ${!V@} ${!W@} ${!X@} ${!Y@} ${!Z@} ${!a@} ${!b@} ${!c@} ${!d@} ${!e@} ${!f@} ${!g@} ${!h@} ${!i@} ${!j@} ${!k@} ${!l@} ${!m@} ${!n@} ${!o@} ${!p@} ${!q@} ${!r@} ${!s@} ${!t@} ${!u@} ${!v@} ${!w@} ${!x@} ${!y@} ${!z@} ${!_@}';

// Before each file the canary is emptied; a command in the file writes to it. After it, the
// variables it may have assigned are unset; at the end, a variable nobody unset is reported.
const DRIVER = `cd "$1" || exit 1
set --
__f= __v= __names=
declare -A __base=([__base]=1)
for __v in ${ALL_VARIABLES}; do __base[$__v]=1; done
while IFS=' ' read -r __f __names; do
  printf '\\001%s\\n' "$__f"
  : >${CANARY}
  . "./$__f" </dev/null >/dev/null 2>&1
  wait
  declare -p
  unset -v $__names
  if [ -s ${CANARY} ]; then printf '\\002\\n'; fi
done
printf '\\001\\n'
for __v in ${ALL_VARIABLES}; do [ -n "\${__base[$__v]}" ] || printf 'leaked %s\\n' "$__v"; done
`;

/** Every name the text may assign (a NAME= anywhere, also across backslash-newlines): a generous guess. */
function assignable(text: string): string[] {
  const names = new Set<string>();
  for (const t of [text, text.replace(/\\\n/g, '')]) for (const m of t.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\+?=/g)) names.add(m[1]!);
  return [...names].filter((n) => !DYNAMIC.test(n));
}

/**
 * Sources each text (a latin1 byte string) with `bash --norc --noprofile`, in a clean environment,
 * and returns what bash read, in the same order.
 */
export function bashReadAll(texts: readonly string[]): BashReading[] {
  const dir = mkdtempSync(join(tmpdir(), 'ttyconf-bash-oracle-'));
  try {
    const names = texts.map((t, i) => {
      const name = `f${i}`;
      writeFileSync(join(dir, name), t, 'latin1');
      return name;
    });
    writeFileSync(join(dir, 'driver.sh'), DRIVER);
    const results: BashReading[] = [];
    while (results.length < names.length) {
      const rest = names.slice(results.length);
      const run = spawnSync('/bin/bash', ['--norc', '--noprofile', join(dir, 'driver.sh'), dir], {
        env: { PATH: '/usr/bin:/bin', HOME: '/home/ttyconf-test', LC_ALL: 'C' },
        input: rest.map((n) => `${n} ${assignable(texts[Number(n.slice(1))]!).join(' ')}\n`).join(''),
        encoding: 'latin1',
        maxBuffer: 1 << 30,
      });
      if (run.error) throw run.error;
      const chunks = run.stdout.split('\x01').slice(1);
      if (chunks.length === 0) throw new Error(`the bash driver did not start: ${run.stderr}`);
      // A file is done when the marker of the next one (or the final one) follows it.
      const done = Math.min(chunks.length - 1, rest.length);
      const leaked = chunks[rest.length]?.match(/^leaked .*/m);
      if (leaked) throw new Error(`the bash driver left a variable set: ${leaked[0]}`);
      for (let i = 0; i < done; i++) results.push(parse(chunks[i]!.slice(rest[i]!.length + 1)));
      if (done < rest.length) {
        // That file made bash itself exit (some syntax errors do, even in a sourced file).
        if (chunks.length !== done + 1) throw new Error(`the bash driver stopped before ${rest[done]}: ${run.stderr}`);
        const canary = join(dir, CANARY);
        results.push({ ran: statSync(canary, { throwIfNoEntry: false })?.size ? true : false, exited: true, vars: new Map() });
      }
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parse(body: string): BashReading {
  const ran = body.endsWith('\x02\n');
  const vars = new Map<string, string>();
  for (const line of (ran ? body.slice(0, -2) : body).split('\n')) {
    const m = /^declare -\S* ([A-Za-z_][A-Za-z0-9_]*)/.exec(line);
    if (m && !DYNAMIC.test(m[1]!)) vars.set(m[1]!, line);
  }
  return { ran, exited: false, vars };
}

/** The `declare -p` line bash prints for a plain variable holding VALUE (no control characters). */
export function declared(name: string, value: string): string {
  return `declare -- ${name}="${value.replace(/[\\"$`]/g, (c) => `\\${c}`)}"`;
}
