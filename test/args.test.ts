// The command-line parser on its own: a table per command, and the errors it words.
import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { type CommandSpec, HelpRequest, UsageError, parseCommand, plainTokens, tokenize, usage } from '../src/args.js';
import { humanIo } from '../src/model/io.js';
import { safeJson, visible } from '../src/model/visible.js';

const SPEC = {
  name: 'demo',
  synopsis: 'THING...',
  options: {
    flag: { kind: 'flag', help: 'a flag' },
    one: { kind: 'value', arg: 'V', help: 'one value' },
    many: { kind: 'list', arg: 'X', help: 'a list' },
  },
} as const satisfies CommandSpec;

const refused = (argv: string[]): string => {
  try {
    parseCommand(SPEC, argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).usage).toBe(usage(SPEC));
    return (e as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(argv)}`);
};

describe('parseCommand', () => {
  it('reads flags, values and lists wherever they stand', () => {
    const a = parseCommand(SPEC, ['a', '--flag', '--one', 'v', 'b', '--many', 'x,y', '--many=z', '--', '--flag']);
    expect(a.positionals).toEqual(['a', 'b', '--flag']);
    expect(a.values).toEqual({ flag: true, one: 'v', many: ['x', 'y', 'z'] });
    expect(a.positionalsAfter('many')).toEqual(['--flag']);
    expect(a.positionalsAfter('one')).toEqual(['b', '--flag']);
    expect(parseCommand(SPEC, ['a']).positionalsAfter('many')).toEqual([]);
  });

  it('a list value takes one word: the next bare word is a positional', () => {
    const a = parseCommand(SPEC, ['--many', 'x', 'y']);
    expect(a.values.many).toEqual(['x']);
    expect(a.positionals).toEqual(['y']);
  });

  it('a value may start with a dash (the command then judges it)', () => {
    expect(parseCommand(SPEC, ['--one', '-f']).values.one).toBe('-f');
  });

  it.each([
    [['--other'], '"demo" does not take the option --other'],
    [['--other=1'], '"demo" does not take the option --other'],
    [['-o'], '"demo" does not take the option -o'],
    [['-fh'], '"demo" does not take the option -f'],
    [['--constructor'], '"demo" does not take the option --constructor'],
    [['--__proto__'], '"demo" does not take the option --__proto__'],
    [['--one', 'a', '--one', 'b'], '--one is given twice; it takes one value'],
    [['--one', 'a', '--one=a'], '--one is given twice; it takes one value'],
    [['--one'], '--one needs a value'],
    [['--one='], '--one needs a value'],
    [['--one', ''], '--one needs a value'],
    [['--many'], '--many needs a value'],
    [['--flag=yes'], '--flag takes no value'],
  ])('%j: %s', (argv, message) => expect(refused(argv)).toBe(message));

  it('no words: no positional, no option, nothing to refuse', () => {
    const a = parseCommand(SPEC, []);
    expect(a.positionals).toEqual([]);
    expect(a.values).toEqual({});
    expect(a.positionalsAfter('many')).toEqual([]);
  });

  it('-h and --help ask for the usage made from the table', () => {
    for (const argv of [['-h'], ['x', '--help']]) expect(() => parseCommand(SPEC, argv)).toThrow(HelpRequest);
    expect(usage(SPEC)).toBe(
      'Usage: ttyconf demo THING... [OPTIONS]\n\nOptions:\n  --flag       a flag\n  --one V      one value\n  --many X     a list\n  -h, --help   this text\n',
    );
  });
});

describe('plainTokens: the words node:util would read the same, read without it', () => {
  const table = { ...SPEC.options, help: { kind: 'flag', short: 'h', help: 'this text' } } as const;
  const nodeReads = (argv: string[]): unknown =>
    parseArgs({
      args: argv,
      options: { flag: { type: 'boolean' }, one: { type: 'string' }, many: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: false,
      allowPositionals: true,
      tokens: true,
    }).tokens;
  // Words from every class node's parser tells apart: plain, the table's long options, long options
  // with '=', unknown ones, short ones and groups, the terminator, a lone dash, an empty word.
  const WORDS = ['a', 'b c', '', '-', '--', '--flag', '--one', '--many', '--help', '-h', '-hf', '--one=v', '--flag=x', '--nope', '-x', '--__proto__', '--toString', '-1', 'x=y', '=', '---one'];

  it('reads what it takes exactly as node does: every sequence of up to three words, 5000 random longer ones', () => {
    let taken = 0;
    let total = 0;
    const check = (argv: string[]): void => {
      total++;
      const mine = plainTokens(argv, table);
      if (mine) {
        taken++;
        expect(mine, JSON.stringify(argv)).toEqual(nodeReads(argv));
      }
      expect(tokenize(argv, table), JSON.stringify(argv)).toEqual(nodeReads(argv));
    };
    const walk = (argv: string[]): void => {
      check(argv);
      if (argv.length < 3) for (const w of WORDS) walk([...argv, w]);
    };
    walk([]);
    let seed = 7;
    const pick = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 5000; i++) check(Array.from({ length: 4 + pick(5) }, () => WORDS[pick(WORDS.length)]!));
    expect(total).toBe(1 + 21 + 21 ** 2 + 21 ** 3 + 5000);
    // Both sides are exercised: the shortcut takes many sequences and leaves many to node.
    expect(taken).toBeGreaterThan(total / 50);
    expect(taken).toBeLessThan(total / 2);
  });

  it('takes how the console and the demo start (ui, ui --root DIR) and leaves the rest', () => {
    expect(plainTokens(['--one', '/tmp/x'], table)).toEqual([{ kind: 'option', name: 'one', rawName: '--one', index: 0, value: '/tmp/x', inlineValue: false }]);
    expect(plainTokens(['--one', '--flag'], table)).toEqual([{ kind: 'option', name: 'one', rawName: '--one', index: 0, value: '--flag', inlineValue: false }]);
    for (const argv of [['--one'], ['--one=v'], ['-h'], ['--nope'], ['--'], ['-']]) expect(plainTokens(argv, table), JSON.stringify(argv)).toBeNull();
  });
});

describe('visible: what may reach a terminal', () => {
  it('keeps printable text, line breaks, TABs and UTF-8', () => {
    expect(visible('a b\tc\nd é ü 日本 ?\\')).toBe('a b\tc\nd é ü 日本 ?\\');
  });
  it('escapes every other control character, DEL, C1 and bidirectional controls', () => {
    expect(visible('\x00\x07\x08\x0b\x0c\r\x1b[2J\x7f\u0085\u009b\u202e\u2066\u200f')).toBe(
      '\\x00\\x07\\x08\\x0b\\x0c\\x0d\\x1b[2J\\x7f\\x85\\x9b\\u202e\\u2066\\u200f',
    );
    for (let c = 0; c < 0x20; c++) if (c !== 9 && c !== 10) expect(visible(String.fromCharCode(c))).toMatch(/^\\x[0-9a-f]{2}$/);
  });
  it('safeJson: valid JSON with the same value, nothing raw', () => {
    const v = { s: 'a\x1b\x7f\u009b\u202eb' };
    const text = safeJson(v);
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/);
    expect(JSON.parse(text)).toEqual(v);
  });
  it('humanIo filters out and err; control passes ttyconf\'s own carriage return', () => {
    const got: string[] = [];
    const io = humanIo({ out: (s) => got.push(`out:${s}`), err: (s) => got.push(`err:${s}`), isTTY: false });
    io.out('a\x1bb\n');
    io.err('\rc');
    io.control('\rKeep? ');
    expect(got).toEqual(['out:a\\x1bb\n', 'err:\\x0dc', 'out:\rKeep? ']);
  });
});
