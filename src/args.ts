// Command-line parsing: positionals, flags and options, wherever they stand.

export interface ParsedArgs {
  readonly positionals: string[];
  readonly flags: Set<string>;
  readonly options: Map<string, string>;
  readonly lists: Map<string, string[]>;
}

export const VALUE_OPTIONS = new Set(['root', 'netmask', 'gateway', 'stack', 'confirm-timeout', 'tty', 'onboot', 'ping']);
export const LIST_OPTIONS = new Set(['search']);
export const FLAGS = new Set(['json', 'dry-run', 'no-apply', 'apply', 'no-revert', 'ascii', 'help', 'version', 'yes']);

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Set<string>();
  const options = new Map<string, string>();
  const lists = new Map<string, string[]>();
  let list: string[] | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a === '-h') {
      flags.add('help');
      continue;
    }
    if (a.startsWith('--')) {
      list = null;
      const eq = a.indexOf('=');
      const name = a.slice(2, eq > 0 ? eq : undefined);
      if (FLAGS.has(name)) {
        if (eq > 0) throw new UsageError(`option --${name} takes no value`);
        flags.add(name);
      } else if (VALUE_OPTIONS.has(name)) {
        const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
        if (v === undefined) throw new UsageError(`option --${name} needs a value`);
        options.set(name, v);
      } else if (LIST_OPTIONS.has(name)) {
        list = lists.get(name) ?? [];
        lists.set(name, list);
        if (eq > 0) list.push(...a.slice(eq + 1).split(',').filter(Boolean));
      } else throw new UsageError(`unknown option ${a}`);
      continue;
    }
    if (list) list.push(a);
    else positionals.push(a);
  }
  return { positionals, flags, options, lists };
}

export function need(args: ParsedArgs, n: number, what: string): string {
  const v = args.positionals[n];
  if (v === undefined) throw new UsageError(`missing ${what}`);
  return v;
}

export function noMore(args: ParsedArgs, n: number): void {
  if (args.positionals.length > n) throw new UsageError(`unexpected argument "${args.positionals[n]}"`);
}

