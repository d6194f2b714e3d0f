// The result screen's text for every Outcome: exactly what was done, or what failed and in which
// state the files are. Pure. Success and failure are said in words (PASS / FAIL), never by color.
import { checkLine } from '../model/check.js';
import type { Plan } from '../plan.js';
import type { CheckResult, Outcome } from '../transaction.js';
import { type Line, bold, line, wrap } from './text.js';

export interface Report {
  /** The frame title: the result in a few words. */
  readonly title: string;
  readonly lines: readonly Line[];
}

export function outcomeReport(plan: Plan, o: Outcome, filesOnlyReason: string | null, width: number): Report {
  const out: Line[] = [];
  const para = (text: string, indent = '', strong = false): void => {
    wrap(text, width - indent.length).forEach((t, k) => {
      const s = (k === 0 ? indent : ' '.repeat(indent.length)) + t;
      out.push(strong ? [bold(s)] : line(s));
    });
  };
  const gap = (): void => {
    out.push([]);
  };
  const heading = (text: string): void => {
    out.push([bold(text)]);
  };
  const changes = (): void => {
    if (!plan.summary.length) return;
    gap();
    heading('Changes:');
    for (const s of plan.summary) para(`${s.field}: ${s.old} -> ${s.new}`, '  ');
  };
  const checks = (title: string, list: readonly CheckResult[]): void => {
    if (!list.length) return;
    gap();
    heading(title);
    for (const c of list) para(checkLine(c), '  ', c.status === 'failed');
  };
  const commands = (title: string, list: readonly string[]): void => {
    if (!list.length) return;
    gap();
    heading(title);
    for (const c of list) para(c, '  ');
  };
  const written = (files: readonly string[], backupDir: string): void => {
    heading('Files written:');
    for (const f of files) para(f, '  ');
    para(`Backup of the old files: ${backupDir}`);
  };
  const notes = (list: readonly string[]): void => {
    if (!list.length) return;
    gap();
    for (const n of list) para(`Note: ${n}.`);
  };
  const log = (file: string | null): void => {
    if (file) {
      gap();
      para(`Full log: ${file}`);
    }
  };

  switch (o.kind) {
    case 'unchanged':
      para('Nothing was written: the files already held these settings.', '', true);
      return { title: 'Nothing changed', lines: out };
    case 'not-applied':
      para(`NOT DONE: ${o.reason}.`, '', true);
      gap();
      para('No file was written and the running system was not touched.');
      return { title: 'Not done', lines: out };
    case 'write-failed': {
      const e = o.error;
      para(`FAILED: could not write ${e.file}: ${e.cause}`, '', true);
      gap();
      if (e.restored) para('Every file is as it was before: nothing was changed.');
      else {
        para('These files could not be restored from the backup and may hold the new settings:', '', true);
        for (const f of e.unrestored) para(f, '  ', true);
      }
      return { title: 'FAILED: not written', lines: out };
    }
    case 'written':
      para(`Done: the files are written. The running system was not changed (${filesOnlyReason ?? 'files only'}).`, '', true);
      gap();
      written(o.commit.written, o.commit.backupDir);
      changes();
      notes(o.notes);
      return { title: 'Done: files written', lines: out };
    case 'applied': {
      const how = o.kept === 'confirmed' ? ' You chose to keep them.' : '';
      para(`Done: the files are written and the running system uses the new settings.${how}`, '', true);
      gap();
      written(o.commit.written, o.commit.backupDir);
      changes();
      commands('Commands run:', o.commands);
      checks('Checks:', o.checks);
      notes(o.notes);
      log(o.log);
      return { title: 'Done: applied', lines: out };
    }
    case 'rolled-back':
      para(`ROLLED BACK: ${o.reason}.`, '', true);
      if (o.restored) para('The old settings are back: files restored and applied again.');
      else {
        para('The old settings could NOT be fully restored: check the status screen and the lines below.', '', true);
        for (const f of o.unrestoredFiles) para(`not restored: ${f}`, '  ', true);
      }
      changes();
      commands('Commands run:', o.commands);
      checks('Checks of the new settings:', o.checks);
      commands('Rollback commands:', o.rollbackCommands);
      checks('Checks after rolling back:', o.rollbackChecks);
      gap();
      para(`Backup of the files: ${o.commit.backupDir}`);
      notes(o.notes);
      log(o.log);
      return { title: o.restored ? 'Rolled back' : 'FAILED: rollback incomplete', lines: out };
    default: {
      const unknown: never = o;
      return { title: 'Result', lines: [line(`Result: ${JSON.stringify(unknown)}`)] };
    }
  }
}
