// `ttyconf backups [--json]`: the backups, newest first, with who made each change and what it was.
// `ttyconf restore ID`: back to how the files were before that change (src/restore.ts), through the
// same write, apply, verify and keep-or-revert as `set`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BACKUP_ID, type Backup, type DamagedBackup, listBackups } from '../files/backups.js';
import { PATHS } from '../files/root.js';
import { openRoot, readCurrent } from '../core.js';
import { COMMON, type CommandSpec, need, noMore, parseCommand } from '../args.js';
import { EXIT, type Io } from '../model/io.js';
import { planRestore } from '../restore.js';
import { WRITE_OPTIONS, checkWriteOptions, stackOption, writePlan } from './set.js';

const BACKUPS_COMMAND = {
  name: 'backups',
  synopsis: '',
  options: { root: COMMON.root, json: COMMON.json },
} as const satisfies CommandSpec;

const RESTORE_COMMAND = {
  name: 'restore',
  synopsis: 'ID',
  options: WRITE_OPTIONS,
  notes: 'Back to the files as they were before the change of backup ID (see "ttyconf\nbackups"), undoing every later change too.\n',
} as const satisfies CommandSpec;

/** One backup as `ttyconf backups --json` prints it (version 1 of the shape). */
export function backupJson(b: Backup): object {
  return {
    id: b.id,
    created: b.created,
    kind: b.change?.kind ?? null,
    user: b.change?.user ?? null,
    tty: b.change?.tty ?? null,
    of: b.change?.of ?? null,
    summary: b.change?.summary ?? null,
    files: b.files.map((f) => ({ path: f.path, existed: f.existed })),
  };
}

/** "2026-12-04 15:20:00 UTC" */
export const backupTime = (b: Backup): string => b.created.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');

/** What the change was, in a few words: the kind, who, where. */
export function backupWho(b: Backup): string {
  const c = b.change;
  if (!c) return '(not recorded)';
  const what = c.kind === 'restore' ? `restore of ${c.of ?? '?'}` : c.kind === 'reset' ? `reset of ${c.of ?? '?'}` : 'change';
  return `${what} by ${c.user} on ${c.tty ?? 'no terminal'}`;
}

export function backupLines(b: Backup): string[] {
  const c = b.change;
  const what = c ? (c.summary.length ? c.summary.map((s) => `${s.field}: ${s.old} -> ${s.new}`) : ['(no setting changed; only how the files are written)'])
    : [`files: ${b.files.map((f) => f.path).join(', ')}`];
  return [`${b.id}  ${backupTime(b)}  ${backupWho(b)}`, ...what.map((l) => `    ${l}`)];
}

function listText(backups: readonly Backup[], damaged: readonly DamagedBackup[]): string {
  const out: string[] = [];
  if (backups.length === 0) out.push('No backups yet: ttyconf makes one before every change.');
  else out.push('Backups, newest first. "ttyconf restore ID" brings back the files as they were before that change', '(and undoes every later one).', '');
  for (const b of backups) out.push(...backupLines(b));
  for (const d of damaged) out.push(`${d.id}  DAMAGED: ${d.reason}`);
  return out.join('\n') + '\n';
}

/** `backups` and `restore` share this module: cli.ts loads it for both. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  return backups(argv, io);
}

async function backups(argv: readonly string[], io: Io): Promise<number> {
  const args = parseCommand(BACKUPS_COMMAND, argv);
  noMore(args, 0);
  const { backups, damaged } = await listBackups(openRoot(args.values.root ?? '/'));
  if (args.values.json) io.out(JSON.stringify({ version: 1, backups: backups.map(backupJson), damaged }, null, 2) + '\n');
  else io.out(listText(backups, damaged));
  return EXIT.ok;
}

export const restore = {
  async run(argv: readonly string[], io: Io): Promise<number> {
    const args = parseCommand(RESTORE_COMMAND, argv);
    const id = need(args, 0, 'the backup ID (see "ttyconf backups")');
    noMore(args, 1);
    checkWriteOptions(args.values);
    const root = openRoot(args.values.root ?? '/');
    const current = await readCurrent(root, { stack: stackOption(args.values.stack) });
    // An ID that names no backup is bad input (2); a backup that cannot be trusted is a failure (1).
    const unknown = !BACKUP_ID.test(id) || !existsSync(root.path(join(PATHS.backups, id)));
    const planned = await planRestore(current, id);
    if (!planned.ok) {
      for (const e of planned.error) io.err(`ttyconf: cannot restore ${id}: ${e}\n`);
      io.err('ttyconf: nothing was written\n');
      return unknown ? EXIT.usage : EXIT.failure;
    }
    for (const n of planned.value.notes) io.out(`${n[0]!.toUpperCase()}${n.slice(1)}.\n`);
    return writePlan(args.values, current, { ...planned.value, notes: [] }, io, 'Nothing to change: the files are already as they were before that change.');
  },
};
