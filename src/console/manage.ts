// Enable and disable the console on one terminal: read, plan, record, apply, then (live only) tell
// systemd. Errors come back as data; src/commands/console.ts turns them into messages and exit codes.
import * as fs from 'node:fs/promises';
import type { Root } from '../files/root.js';
import { type Result, err, ok } from '../model/result.js';
import {
  type ConsoleRecord,
  type Op,
  applyOps,
  findTemplateDir,
  mergeRecord,
  ownLinks,
  missingDirs,
  planDisable,
  planDisableUnrecorded,
  planEnable,
  readPathStates,
  readRecord,
  recordPath,
  removeEmptyDirs,
  serialDropinInstalled,
  writeRecord,
} from './enable.js';
import type { ConsoleFailure, ConsoleOptions, ConsoleReport } from './report.js';
import type { Tty } from './tty.js';
import { ETC_UNITS, SERIAL_DROPIN_SOURCE, TEMPLATE, UNIT_DIRS, desiredLinks, gettyUnits, unitName } from './units.js';

export type { ConsoleFailure, ConsoleOptions, ConsoleReport } from './report.js';

const defaultUnitDir = UNIT_DIRS[0];

export async function enableConsole(root: Root, tty: Tty, opts: ConsoleOptions): Promise<Result<ConsoleReport, ConsoleFailure>> {
  const notes: string[] = [];
  const reasons: string[] = [];
  const found = await findTemplateDir(root);
  if (!found) {
    const where = `/${defaultUnitDir}/${TEMPLATE}`;
    if (opts.live) reasons.push(`${where} is not installed: install the ttyconf package first`);
    else notes.push(`${where} is not in ${root.dir} yet; the link points where the ttyconf package installs it`);
  }
  if (tty.kind === 'serial' && !(await serialDropinInstalled(root))) {
    if (opts.live) reasons.push(`/${SERIAL_DROPIN_SOURCE} is not installed: install the ttyconf package first`);
    else notes.push(`/${SERIAL_DROPIN_SOURCE} is not in ${root.dir} yet; the serial drop-in links to it`);
  }
  const prior = await readRecord(root, tty);
  if (!prior.ok) reasons.push(prior.error);
  else if (prior.value?.via && prior.value.via !== 'service') {
    reasons.push(`ttyconf is on ${tty.name} already --via ${prior.value.via}: "ttyconf console disable --tty ${tty.name}" first`);
  }
  const desired = desiredLinks(tty, found ?? defaultUnitDir);
  const plan = planEnable(desired, await readPathStates(root, desired.map((d) => d.path)));
  reasons.push(...plan.refused);
  if (reasons.length > 0) return err({ kind: 'refused', reasons });
  const priorRecord = prior.ok ? prior.value : null;

  const ran: string[] = [];
  if (plan.ops.length === 0) {
    notes.push(`ttyconf is already on ${tty.name}; no file changed`);
    if (opts.live && !opts.dryRun && !(await opts.live.isActive(unitName(tty)))) {
      const r = await opts.live.start(unitName(tty));
      if (!r.ok) return err({ kind: 'live-failed', message: r.error, report: { tty, ops: [], ran, notes } });
      ran.push(`started ${unitName(tty)}`);
    }
    return ok({ tty, ops: [], ran, notes });
  }
  if (opts.dryRun) return ok({ tty, ops: plan.ops, ran, notes });

  // The running gettys, so disable can start exactly those again.
  let wasActive: string[] | null = null;
  if (opts.live && !priorRecord) {
    wasActive = [];
    for (const g of gettyUnits(tty)) if (await opts.live.isActive(g)) wasActive.push(g);
  }
  const newDirs = await missingDirs(root, [...plan.ops.map((o) => o.path), recordPath(tty)]);
  const record = mergeRecord(priorRecord, tty, plan.ops, newDirs, wasActive);
  try {
    await writeRecord(root, tty, record);
  } catch (e) {
    await removeEmptyDirs(root, newDirs);
    return err({ kind: 'write-failed', error: { path: recordPath(tty), cause: (e as Error).message, unrestored: [] } });
  }
  const applied = await applyOps(root, plan.ops, opts.hooks);
  if (!applied.ok) {
    // Every path is back (or named in unrestored); put the record back as it was too.
    if (applied.error.unrestored.length === 0) {
      if (priorRecord) await writeRecord(root, tty, priorRecord).catch(() => undefined);
      else {
        await fs.rm(root.linkPath(recordPath(tty)), { force: true }).catch(() => undefined);
        await removeEmptyDirs(root, newDirs);
      }
    }
    return err({ kind: 'write-failed', error: applied.error });
  }

  const report = { tty, ops: plan.ops, ran, notes };
  if (opts.live) {
    const steps: [string, () => Promise<Result<void, string>>][] = [
      ['reloaded systemd', () => opts.live!.daemonReload()],
      // Conflicts= in the unit stops the getty on this terminal.
      [`started ${unitName(tty)}`, () => opts.live!.start(unitName(tty))],
    ];
    for (const [what, step] of steps) {
      const r = await step();
      if (!r.ok) return err({ kind: 'live-failed', message: r.error, report });
      ran.push(what);
    }
  }
  return ok(report);
}

export async function disableConsole(root: Root, tty: Tty, opts: ConsoleOptions): Promise<Result<ConsoleReport, ConsoleFailure>> {
  const notes: string[] = [];
  const ran: string[] = [];
  const rec = await readRecord(root, tty);
  if (!rec.ok) return err({ kind: 'refused', reasons: [rec.error] });
  const record: ConsoleRecord | null = rec.value;
  if (record?.via && record.via !== 'service') return (await import('./viaManage.js')).disableVia(root, tty, record, opts);

  let ops: readonly Op[];
  if (record) {
    const plan = planDisable(record, await readPathStates(root, record.changes.map((c) => c.path)));
    ops = plan.ops;
    notes.push(...plan.skipped);
  } else {
    ops = planDisableUnrecorded(tty, await readPathStates(root, ownLinks(tty)));
    const masks = await readPathStates(root, gettyUnits(tty).map((g) => `${ETC_UNITS}/${g}`));
    const masked = [...masks].filter(([, s]) => s.kind === 'symlink' && s.target === '/dev/null').map(([p]) => p.slice(ETC_UNITS.length + 1));
    if (ops.length > 0 && masked.length > 0) {
      notes.push(`ttyconf has no record of enabling ${tty.name} (${recordPath(tty)}), so it leaves ${masked.join(' and ')} masked: "systemctl unmask" to give the terminal back to getty`);
    }
    if (ops.length === 0) notes.push(`ttyconf is not on ${tty.name}; no file changed`);
  }
  if (opts.dryRun) return ok({ tty, ops, ran, notes });

  const applied = await applyOps(root, ops, opts.hooks);
  if (!applied.ok) return err({ kind: 'write-failed', error: applied.error });
  if (record) {
    await fs.rm(root.linkPath(recordPath(tty)), { force: true });
    await removeEmptyDirs(root, record.createdDirs);
  }

  const report = { tty, ops, ran, notes };
  if (opts.live && (ops.length > 0 || (await opts.live.isActive(unitName(tty))))) {
    const steps: [string, () => Promise<Result<void, string>>][] = [
      ['reloaded systemd', () => opts.live!.daemonReload()],
      [`stopped ${unitName(tty)}`, () => opts.live!.stop(unitName(tty))],
    ];
    // Start again what ran before enable; without that knowledge (enabled offline), let
    // getty.target pull in whatever it wants, as at boot.
    if (record?.wasActive) for (const g of record.wasActive) steps.push([`started ${g}`, () => opts.live!.start(g)]);
    else steps.push(['restarted getty.target', () => opts.live!.restart('getty.target')]);
    for (const [what, step] of steps) {
      const r = await step();
      if (!r.ok) return err({ kind: 'live-failed', message: r.error, report });
      ran.push(what);
    }
  }
  return ok(report);
}

/** What a terminal looks like now: for `console status`. */
export async function consoleStatus(root: Root, tty: Tty): Promise<{ enabled: boolean; recorded: boolean; masked: string[]; via: string | null }> {
  const wants = `${ETC_UNITS}/getty.target.wants/${unitName(tty)}`;
  const states = await readPathStates(root, [wants, ...gettyUnits(tty).map((g) => `${ETC_UNITS}/${g}`)]);
  const rec = await readRecord(root, tty);
  const masked = gettyUnits(tty).filter((g) => {
    const s = states.get(`${ETC_UNITS}/${g}`);
    return s?.kind === 'symlink' && s.target === '/dev/null';
  });
  const via = rec.ok && rec.value?.via && rec.value.via !== 'service' ? rec.value.via : null;
  return { enabled: states.get(wants)?.kind === 'symlink', recorded: rec.ok && rec.value !== null, masked, via };
}
