// Command-line parsing (node:util parseArgs underneath). Each command has its own table of the
// options it takes, and its usage text is made from that table. An option the command does not
// take, a one-value option given twice, a flag given a value, or a value option without one is a
// usage error that names the option and the command.
import { statSync } from 'node:fs';
import { parseArgs as nodeParseArgs } from 'node:util';

export interface OptionDef {
  /** flag: no value; value: one value, given once; list: one value per use, or a comma list, repeatable. */
  readonly kind: 'flag' | 'value' | 'list';
  /** The value's name in the usage text (value and list options). */
  readonly arg?: string;
  readonly help: string;
  /** A one-letter alias (`-h`). */
  readonly short?: string;
}

export type OptionTable = Readonly<Record<string, OptionDef>>;

export interface CommandSpec<T extends OptionTable = OptionTable> {
  /** The command words, as typed: "show", "set dns". */
  readonly name: string;
  /** What follows the command words in the usage line (one line per form), the common options left out. */
  readonly synopsis: string | readonly string[];
  readonly options: T;
  /** Lines after the options in the usage text. */
  readonly notes?: string;
}

export type OptionValues<T extends OptionTable> = {
  readonly [K in keyof T]?: T[K]['kind'] extends 'flag' ? true : T[K]['kind'] extends 'list' ? readonly string[] : string;
};

export interface ParsedArgs<T extends OptionTable = OptionTable> {
  readonly spec: CommandSpec<T>;
  /** The words after the command words, in order. */
  readonly positionals: readonly string[];
  readonly values: OptionValues<T>;
  /** The positionals that come after the first use of `option`. */
  readonly positionalsAfter: (option: keyof T & string) => readonly string[];
}

/** Invalid usage: exit 2, the message, then the usage text of the command it concerns. */
export class UsageError extends Error {
  constructor(message: string, readonly usage?: string) {
    super(message);
  }
}

/** Options several commands take, spelled once. */
export const COMMON = {
  root: { kind: 'value', arg: 'DIR', help: 'the tree to work on instead of / (default /)' },
  dryRun: { kind: 'flag', help: 'show what would change; change nothing' },
  noApply: { kind: 'flag', help: 'write the files only, leave the running system alone' },
  json: { kind: 'flag', help: 'machine-readable output' },
  stack: { kind: 'value', arg: 'S', help: 'nm, network-scripts or iproute2 (default: detected)' },
} as const satisfies Record<string, OptionDef>;

const HELP: OptionDef = { kind: 'flag', short: 'h', help: 'this text' };

/** The usage text of one command, made from its table. */
export function usage(spec: CommandSpec): string {
  const options = Object.entries({ ...spec.options, help: HELP });
  const left = options.map(([name, d]) => `${d.short ? `-${d.short}, ` : ''}--${name}${d.arg ? ` ${d.arg}` : ''}`);
  const w = Math.max(...left.map((l) => l.length)) + 3;
  const lines = options.map(([, d], i) => `  ${left[i]!.padEnd(w)}${d.help}`);
  const forms = (typeof spec.synopsis === 'string' ? [spec.synopsis] : spec.synopsis).map((f, i) => `${i ? '      ' : 'Usage:'} ttyconf ${spec.name}${f ? ` ${f}` : ''} [OPTIONS]`);
  return `${forms.join('\n')}\n\nOptions:\n${lines.join('\n')}\n${spec.notes ? `\n${spec.notes}` : ''}`;
}

/** A word as node:util's parseArgs reads it (its `tokens`), the fields this module uses. */
export type Token =
  | { readonly kind: 'option'; readonly name: string; readonly rawName: string; readonly index: number; readonly value: string | undefined; readonly inlineValue: boolean | undefined }
  | { readonly kind: 'positional'; readonly value: string; readonly index: number }
  | { readonly kind: 'option-terminator'; readonly index: number };

/** The words as node:util's parseArgs reads them with the table's options, not strict. */
export function tokenize(argv: readonly string[], table: OptionTable): readonly Token[] {
  return plainTokens(argv, table) ?? nodeTokens(argv, table);
}

function nodeTokens(argv: readonly string[], table: OptionTable): readonly Token[] {
  const nodeOptions = Object.fromEntries(
    Object.entries(table).map(([name, d]) => [name, { type: d.kind === 'flag' ? 'boolean' : 'string', ...(d.short ? { short: d.short } : {}) } as const]),
  );
  return nodeParseArgs({ args: [...argv], options: nodeOptions, strict: false, allowPositionals: true, tokens: true }).tokens as readonly Token[];
}

/**
 * The same tokens as nodeTokens for words that are only plain words (no leading dash) and `--NAME`
 * of an option in the table, a value option followed by its value (which may be anything, as node
 * reads it): `ui --root DIR`, `show --json`. null for anything else, which node's parser reads.
 * node:util's parser costs about 5 M instructions on its first use, a sixth of what the console
 * adds to a bare node's start-up.
 */
export function plainTokens(argv: readonly string[], table: OptionTable): readonly Token[] | null {
  const tokens: Token[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (!word.startsWith('-')) {
      tokens.push({ kind: 'positional', index: i, value: word });
      continue;
    }
    const name = word.slice(2);
    if (!word.startsWith('--') || word.includes('=') || !Object.hasOwn(table, name)) return null;
    if (table[name]!.kind === 'flag') {
      tokens.push({ kind: 'option', name, rawName: word, index: i, value: undefined, inlineValue: undefined });
    } else {
      if (i + 1 === argv.length) return null;
      tokens.push({ kind: 'option', name, rawName: word, index: i, value: argv[i + 1], inlineValue: false });
      i++;
    }
  }
  return tokens;
}

/** Parses the words after the command words by the command's table; throws UsageError. */
export function parseCommand<T extends OptionTable>(spec: CommandSpec<T>, argv: readonly string[]): ParsedArgs<T> {
  // Nothing to read: how the console service starts ttyconf.
  if (argv.length === 0) return { spec, positionals: [], values: {}, positionalsAfter: () => [] };
  const table: OptionTable = { ...spec.options, help: HELP };
  const fail = (message: string): never => {
    throw new UsageError(message, usage(spec));
  };
  const values: Record<string, true | string | string[]> = {};
  const positionals: { value: string; index: number }[] = [];
  const firstUse = new Map<string, number>();
  for (const t of tokenize(argv, table)) {
    if (t.kind === 'option-terminator') continue;
    if (t.kind === 'positional') {
      positionals.push({ value: t.value, index: t.index });
      continue;
    }
    const def = Object.hasOwn(table, t.name) ? table[t.name] : undefined;
    if (!def || (!t.rawName.startsWith('--') && t.rawName !== `-${def.short}`)) fail(`"${spec.name}" does not take the option ${t.rawName}`);
    const name = t.name;
    if (!firstUse.has(name)) firstUse.set(name, t.index);
    if (def!.kind === 'flag') {
      if (t.value !== undefined) fail(`${t.rawName} takes no value`);
      values[name] = true;
      continue;
    }
    if (t.value === undefined || t.value === '') fail(`${t.rawName} needs a value`);
    const value = t.value!;
    if (def!.kind === 'value') {
      if (Object.hasOwn(values, name)) fail(`${t.rawName} is given twice; it takes one value`);
      values[name] = value;
    } else {
      const list = (values[name] ??= []) as string[];
      list.push(...value.split(',').filter((v) => v.trim() !== ''));
    }
  }
  if (values.help) throw new HelpRequest(usage(spec));
  if (typeof values.root === 'string') checkRootOption(values.root);
  return {
    spec,
    positionals: positionals.map((p) => p.value),
    values: values as OptionValues<T>,
    positionalsAfter: (option) => {
      const from = firstUse.get(option) ?? Infinity;
      return positionals.filter((p) => p.index > from).map((p) => p.value);
    },
  };
}

/** `-h`/`--help` on a command: its usage on stdout, exit 0. */
export class HelpRequest extends Error {
  constructor(readonly usage: string) {
    super('help');
  }
}

/** The positional at `n`, or a usage error saying what is missing. */
export function need(args: ParsedArgs, n: number, what: string): string {
  const v = args.positionals[n];
  if (v === undefined) throw new UsageError(`${args.spec.name}: missing ${what}`, usage(args.spec));
  return v;
}

/** No positional from `n` on. */
export function noMore(args: ParsedArgs, n: number): void {
  const extra = args.positionals[n];
  if (extra !== undefined) throw new UsageError(`${args.spec.name}: unexpected argument "${extra}"`, usage(args.spec));
}

/** --root names a tree that is there: a typo must not become a new tree of files written under it. */
function checkRootOption(dir: string): void {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`--root ${dir}: ${code === 'ENOENT' ? 'no such directory' : `cannot be read (${code ?? String(e)})`}`);
  }
  if (!isDir) throw new UsageError(`--root ${dir}: not a directory`);
}
