// Random ifcfg-like files for testing edits against bash: mixes of quotes, escapes, `#`,
// backslash-newlines, $'...', here-strings, here-documents, assignments of the keys ttyconf edits,
// and commands that create a canary file (test/helpers/bashOracle.ts).
import { CANARY } from './bashOracle.js';

/** The keys ttyconf's plan sets or removes in an ifcfg file. */
export const EDIT_KEYS = ['BOOTPROTO', 'IPADDR', 'IPADDR0', 'IPADDR1', 'IPADDR2', 'PREFIX', 'PREFIX1', 'NETMASK', 'NETMASK0',
  'GATEWAY', 'GATEWAY1', 'DEFROUTE', 'DNS1', 'DNS2', 'DNS3', 'DNS4', 'DOMAIN', 'PEERDNS'];
export const OTHER_KEYS = ['DEVICE', 'NAME', 'ONBOOT', 'TYPE', 'UUID', 'ZONE', 'ETHTOOL_OPTS', 'Y', 'FOO'];
/** Every variable a generated file assigns. */
export const KEYS = [...EDIT_KEYS, ...OTHER_KEYS];

/** mulberry32: small, fast, and the same sequence on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random ifcfg-like files: each call returns one file's text (a latin1 byte string). */
export function ifcfgGenerator(random: () => number): () => string {
  const int = (n: number): number => Math.floor(random() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const chance = (p: number): boolean => random() < p;
  const repeat = (min: number, max: number, f: () => string): string => {
    let s = '';
    for (let i = min + int(max - min + 1); i > 0; i--) s += f();
    return s;
  };
  /** One of several weighted choices. */
  const weighted = (choices: readonly [number, () => string][]): string => {
    let r = random() * choices.reduce((a, [w]) => a + w, 0);
    for (const [w, f] of choices) {
      if ((r -= w) < 0) return f();
    }
    return choices[choices.length - 1]![1]();
  };
  /**
   * Most files stay close to what ttyconf can edit (no commands, no $(...), fewer quotes left
   * open), so that many files get edited; the others mix in everything.
   */
  let wild = false;
  const w = (weight: number): number => (wild ? weight : 0);
  const name = (): string => pick(wild || chance(0.3) ? [...KEYS, 'HOME'] : [...OTHER_KEYS, 'HOME']);
  // Mostly builtins: a command that forks costs bash a millisecond, and thousands of files run.
  const canaryCommand = (): string => pick([`echo x >>${CANARY}`, `echo x >${CANARY}`, `printf x >${CANARY}`, `: $(echo x >${CANARY})`]);

  const bare = (): string => repeat(1, 4, () => pick([...'abc019.:/-_=%+,@{}~*!?[]#', 'x']));
  const escaped = (): string => '\\' + pick([' ', '#', '"', "'", '\\', '$', ';', '&', '|', '<', '>', '(', ')', '`', 'a', '\n', '\n', '\t', '~', '{']);
  const singleQuoted = (): string => `'${repeat(0, 5, () => pick(['a', ' ', '"', '#', '\\', '$', '`', '\n', '\n', ';', `echo x >${CANARY}`, 'Y=']))}'`;
  const doubleQuoted = (): string => `"${repeat(0, 5, () => weighted([
    [6, () => pick(['a', ' ', '#', "'", ';', '&', '|', '<', '>', '(', ')', '\n', '~', '{', `echo x >${CANARY}`, 'X='])],
    [4, () => pick(['\\"', '\\\\', '\\$', '\\`', '\\\n', '\\a', '\\#', "\\'"])],
    [2, () => `$${name()}`],
    [2, () => `\${${name()}}`],
    [1, () => pick(['$', '$ ', "$'"])],
    [w(1), () => pick(['$#', '$1', '$(echo a)', `$(echo x >${CANARY})`, `\`echo x >${CANARY}\``, '${X:-a}', '$((1))'])],
  ]))}"`;
  const ansiQuoted = (): string => `$'${repeat(0, 5, () => pick(['a', ' ', '"', '#', '\n', "\\'", '\\\\', '\\n', '\\t', '\\x41', '\\\n', '\\"', `echo x >${CANARY}`]))}'`;
  const value = (): string => repeat(0, 4, () => weighted([
    [6, bare],
    [5, escaped],
    [4, singleQuoted],
    [5, doubleQuoted],
    [3, ansiQuoted],
    [2, () => pick([`$${name()}`, `\${${name()}}`, '~', '~/x', 'a:~', '$'])],
    // Openers left unclosed here are closed (or not) by later lines.
    [wild ? 2 : 0.5, () => pick(['"', "'", "$'", 'x\\ #"', "x\\ #'", '\\ #"'])],
    [w(1), () => pick([`$(echo x >${CANARY})`, `\`echo x >${CANARY}\``, '${FOO:-x}', '$((1+2))', '$"x"', '$$', '$1', '$(echo a)'])],
  ]));
  const comment = (): string => '#' + repeat(0, 4, () => pick([' c', '"', "'", '\\', '$(x)', `echo x >${CANARY}`])) + (chance(0.2) ? '\\' : '');
  const tail = (): string => weighted([
    [30, () => ''],
    [6, () => ` ${comment()}`],
    [2, () => pick([';', ' ;', ' ; # c', ';#c'])],
    [5, () => pick(['\\', ' \\'])],
    [w(1), () => pick([` echo x >${CANARY}`, ' <<<x', ' <<<"$(echo x >canary)"', ' &', ' | true', ' >/dev/null', ' Y=1', ';;', ' ; echo x >canary', ' touch canary'])],
  ]);
  const hereDoc = (): string => {
    const quoted = chance(0.5);
    const body = repeat(0, 3, () => pick([`echo x >${CANARY}`, 'Y="', "Z='", 'A=1', '$(echo x >canary)', '# x']) + '\n');
    return `${pick([':', 'true'])} <<${quoted ? "'EOF'" : pick(['EOF', '-EOF'])}\n${body}${chance(0.9) ? 'EOF' : 'EO'}`;
  };
  const line = (): string => weighted([
    [60, () => `${pick(['', '', '', ' ', '\t'])}${pick(chance(0.7) ? EDIT_KEYS : OTHER_KEYS)}=${value()}${tail()}`],
    [8, comment],
    [6, () => pick(['', '', '  '])],
    [w(3), canaryCommand],
    [w(2), () => pick(['true', ':', ': "x'])],
    [wild ? 4 : 1, () => `${pick(EDIT_KEYS)}=x\\ #"`],
    [w(2), hereDoc],
    [w(2), () => pick([': <<<"x"', ': <<<x', `: <<<'${CANARY}' >${CANARY}`])],
    [wild ? 4 : 2, () => pick(['"', "'", 'Y="', "Z='", "Y=$'", '#"', "#'"])],
  ]);

  return (): string => {
    wild = chance(0.4);
    const lines = repeat(1, 9, () => line() + (chance(0.02) ? '\r' : '') + '\n');
    return chance(0.1) ? lines.slice(0, -1) : lines;
  };
}

