// `console enable --via agetty|autologin` and the matching disable: read, plan, record, apply, then
// (live only) tell systemd. The same record as the own-unit way (enable.ts) says what changed, so
// disable removes exactly that: the drop-in, and the account and its /etc/shells line only when
// ttyconf added them.
import * as fs from 'node:fs/promises';
import type { Root } from '../files/root.js';
import { type Result, err, ok } from '../model/result.js';
import {
  type ConsoleRecord, type Op, type PathState, applyOps, missingDirs, planDisable, readPathState, readPathStates,
  readRecord, recordPath, removeEmptyDirs, sameState, writeRecord,
} from './enable.js';
import type { ConsoleFailure, ConsoleOptions, ConsoleReport } from './report.js';
import type { Tty } from './tty.js';
import { ETC_UNITS, nativeGetty, unitName } from './units.js';
import {
  ACCOUNT, TTYCONF_BIN, VIA_DROPIN_NAME, type Via, accountLine, fallbackExecStart, gettySources, lastExecStart, loginChecksShells,
  passwdLine, rewriteExecStart, shadowLine, viaDropinPath, viaDropinText, withLine, withoutLines,
} from './via.js';

export const PASSWD = 'etc/passwd';
export const SHADOW = 'etc/shadow';
export const SHELLS = 'etc/shells';
export const PAM_LOGIN = 'etc/pam.d/login';

async function readText(root: Root, rel: string): Promise<string | null> {
  try {
    return await fs.readFile(root.path(rel), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** The ExecStart= the native getty runs now (unit, then drop-ins by name; ours left out). */
export async function currentExecStart(root: Root, tty: Tty): Promise<{ execStart: string; from: string }> {
  const { units, dropinDirs } = gettySources(tty);
  let exec: string | null = null;
  let from = '';
  for (const u of units) {
    const st = await readPathState(root, u);
    if (st.kind === 'symlink' && st.target === '/dev/null') continue;
    const text = await readText(root, u).catch(() => null);
    if (text === null) continue;
    exec = lastExecStart(text);
    from = u;
    break;
  }
  const dropins: { name: string; path: string }[] = [];
  for (const d of dropinDirs) {
    const names = await fs.readdir(root.path(d)).catch(() => [] as string[]);
    for (const n of names) if (n.endsWith('.conf') && n !== VIA_DROPIN_NAME && !dropins.some((x) => x.name === n)) dropins.push({ name: n, path: `${d}/${n}` });
  }
  for (const d of dropins.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const text = await readText(root, d.path).catch(() => null);
    const e = text === null ? null : lastExecStart(text);
    if (e !== null && e !== '') {
      exec = e;
      from = d.path;
    }
  }
  return exec ? { execStart: exec, from: `/${from}` } : { execStart: fallbackExecStart(tty), from: '(not found: the stock command line)' };
}

function fileState(prev: PathState, text: string, mode: number): PathState {
  const own = prev.kind === 'file' ? prev : { mode, uid: 0, gid: 0 };
  return { kind: 'file', mode: own.mode, uid: own.uid, gid: own.gid, base64: Buffer.from(text).toString('base64') };
}

const days = (): number => Math.floor(Date.now() / 86_400_000);

/** The account ops: create `ttyconf` when missing; refuse one that is not ours to use. */
async function accountOps(root: Root): Promise<Result<{ ops: Op[]; created: boolean; shellListed: boolean }, string[]>> {
  const [passwd, shadow, shells, pam] = await Promise.all([readText(root, PASSWD), readText(root, SHADOW), readText(root, SHELLS), readText(root, PAM_LOGIN)]);
  const existing = passwd === null ? null : accountLine(passwd);
  const ops: Op[] = [];
  let created = false;
  if (existing) {
    const shell = existing.split(':')[6];
    if (shell !== TTYCONF_BIN) return err([`the account "${ACCOUNT}" exists with the shell ${shell || '(none)'}; --via autologin needs ${TTYCONF_BIN} as its shell`]);
  } else {
    if (passwd === null || shadow === null) return err([`/${PASSWD} and /${SHADOW} must exist to add the account "${ACCOUNT}"`]);
    if (accountLine(shadow)) return err([`/${SHADOW} has a line for "${ACCOUNT}" but /${PASSWD} has none: fix the account files first`]);
    const p = await readPathState(root, PASSWD);
    const s = await readPathState(root, SHADOW);
    ops.push({ path: PASSWD, from: p, to: fileState(p, withLine(passwd, passwdLine), 0o644), why: `add the account ${ACCOUNT}` });
    ops.push({ path: SHADOW, from: s, to: fileState(s, withLine(shadow, shadowLine(days())), 0o000), why: `lock the password of ${ACCOUNT}` });
    created = true;
  }
  let shellListed = false;
  if (pam !== null && loginChecksShells(pam) && !(shells ?? '').split('\n').includes(TTYCONF_BIN)) {
    const st = await readPathState(root, SHELLS);
    ops.push({ path: SHELLS, from: st, to: fileState(st, withLine(shells ?? '', TTYCONF_BIN), 0o644), why: `list ${TTYCONF_BIN} (login checks /etc/shells)` });
    shellListed = true;
  }
  return ok({ ops, created, shellListed });
}

export async function enableVia(root: Root, tty: Tty, via: Exclude<Via, 'service'>, opts: ConsoleOptions): Promise<Result<ConsoleReport, ConsoleFailure>> {
  const notes: string[] = [];
  const reasons: string[] = [];
  const prior = await readRecord(root, tty);
  if (!prior.ok) return err({ kind: 'refused', reasons: [prior.error] });
  const priorVia = prior.value ? prior.value.via ?? 'service' : null;
  if (priorVia && priorVia !== via) reasons.push(`ttyconf is on ${tty.name} already ${priorVia === 'service' ? `as ${unitName(tty)}` : `--via ${priorVia}`}: "ttyconf console disable --tty ${tty.name}" first`);
  const own = await readPathState(root, `${ETC_UNITS}/getty.target.wants/${unitName(tty)}`);
  if (!priorVia && own.kind !== 'absent') reasons.push(`${unitName(tty)} is enabled on ${tty.name}: "ttyconf console disable --tty ${tty.name}" first`);
  const mask = await readPathState(root, `${ETC_UNITS}/${nativeGetty(tty)}`);
  if (mask.kind === 'symlink' && mask.target === '/dev/null') reasons.push(`${nativeGetty(tty)} is masked: "systemctl unmask ${nativeGetty(tty)}" first (--via ${via} runs inside it)`);
  // agetty would exec a program that is not there, fail, and be restarted forever: never on a live system.
  const bin = await readPathState(root, TTYCONF_BIN.slice(1));
  if (bin.kind === 'absent') {
    if (opts.live) reasons.push(`${TTYCONF_BIN} is not installed: install the ttyconf package first`);
    else notes.push(`${TTYCONF_BIN} is not in ${root.dir} yet; the getty runs it once the package is installed`);
  }
  if (reasons.length) return err({ kind: 'refused', reasons });

  const { execStart, from } = await currentExecStart(root, tty);
  const wanted = rewriteExecStart(execStart, via);
  const path = viaDropinPath(tty);
  const now = await readPathState(root, path);
  if (now.kind === 'other') return err({ kind: 'refused', reasons: [`${path} is ${now.what}; ttyconf replaces only files there`] });
  // Idempotent: a drop-in ttyconf wrote stays as it is (its ExecStart was made from the unit's then).
  const recorded = prior.value?.changes.find((c) => c.path === path);
  const ops: Op[] = [];
  if (!(recorded && sameState(now, recorded.after))) {
    const to: PathState = { kind: 'file', mode: 0o644, uid: 0, gid: 0, base64: Buffer.from(viaDropinText(tty, via, wanted)).toString('base64') };
    if (!sameState(now, to)) ops.push({ path, from: now, to, why: `run agetty ${via === 'agetty' ? `with ${TTYCONF_BIN} as its login program` : `logging in ${ACCOUNT}`}` });
    notes.push(`the command line kept from ${from}: ${execStart}`);
  }
  let account = prior.value?.account ?? { created: false, shellListed: false };
  if (via === 'autologin') {
    const acc = await accountOps(root);
    if (!acc.ok) return err({ kind: 'refused', reasons: acc.error });
    ops.push(...acc.value.ops);
    account = { created: account.created || acc.value.created, shellListed: account.shellListed || acc.value.shellListed };
  }
  const ran: string[] = [];
  if (ops.length === 0) return ok({ tty, ops, ran, notes: [`ttyconf is already on ${tty.name} --via ${via}; no file changed`] });
  if (opts.dryRun) return ok({ tty, ops, ran, notes });

  const unitOps = ops.filter((o) => o.path.startsWith(`${ETC_UNITS}/`));
  const newDirs = await missingDirs(root, [...unitOps.map((o) => o.path), recordPath(tty)]);
  const changes = new Map((prior.value?.changes ?? []).map((c) => [c.path, c]));
  for (const o of unitOps) changes.set(o.path, { path: o.path, before: changes.get(o.path)?.before ?? o.from, after: o.to });
  const record: ConsoleRecord = {
    version: 1, tty: tty.name, kind: tty.kind, changes: [...changes.values()],
    createdDirs: [...new Set([...(prior.value?.createdDirs ?? []), ...newDirs])], wasActive: prior.value?.wasActive ?? null, via,
    ...(via === 'autologin' ? { account } : {}),
  };
  try {
    await writeRecord(root, tty, record);
  } catch (e) {
    await removeEmptyDirs(root, newDirs);
    return err({ kind: 'write-failed', error: { path: recordPath(tty), cause: (e as Error).message, unrestored: [] } });
  }
  const applied = await applyOps(root, ops, opts.hooks);
  if (!applied.ok) {
    if (applied.error.unrestored.length === 0) {
      if (prior.value) await writeRecord(root, tty, prior.value).catch(() => undefined);
      else {
        await fs.rm(root.path(recordPath(tty)), { force: true }).catch(() => undefined);
        await removeEmptyDirs(root, newDirs);
      }
    }
    return err({ kind: 'write-failed', error: applied.error });
  }
  return live(opts, { tty, ops, ran, notes }, nativeGetty(tty));
}

/** Removes what enable --via recorded: the drop-in; the account and its shells line only if ttyconf added them. */
export async function disableVia(root: Root, tty: Tty, record: ConsoleRecord, opts: ConsoleOptions): Promise<Result<ConsoleReport, ConsoleFailure>> {
  const plan = planDisable(record, await readPathStates(root, record.changes.map((c) => c.path)));
  const ops: Op[] = [...plan.ops];
  const notes = [...plan.skipped];
  if (record.account?.created) {
    for (const [path, match] of [[PASSWD, (l: string) => l === passwdLine], [SHADOW, (l: string) => l.startsWith(`${ACCOUNT}:`)]] as const) {
      const text = await readText(root, path);
      const st = await readPathState(root, path);
      if (text === null || st.kind !== 'file') continue;
      if (path === PASSWD && !text.split('\n').includes(passwdLine)) {
        notes.push(`the account ${ACCOUNT} in /${PASSWD} was changed since enable: left as it is`);
        break;
      }
      const after = withoutLines(text, match);
      if (after !== text) ops.push({ path, from: st, to: fileState(st, after, st.mode), why: `remove the account ${ACCOUNT}` });
    }
  }
  if (record.account?.shellListed) {
    const text = await readText(root, SHELLS);
    const st = await readPathState(root, SHELLS);
    if (text !== null && st.kind === 'file') {
      const after = withoutLines(text, (l) => l === TTYCONF_BIN);
      if (after !== text) ops.push({ path: SHELLS, from: st, to: fileState(st, after, st.mode), why: `unlist ${TTYCONF_BIN}` });
    }
  }
  if (opts.dryRun) return ok({ tty, ops, ran: [], notes });
  const applied = await applyOps(root, ops, opts.hooks);
  if (!applied.ok) return err({ kind: 'write-failed', error: applied.error });
  await fs.rm(root.path(recordPath(tty)), { force: true });
  await removeEmptyDirs(root, record.createdDirs);
  return live(opts, { tty, ops, ran: [], notes }, nativeGetty(tty));
}

/** The running systemd reads the drop-in again and the getty restarts with it. */
async function live(opts: ConsoleOptions, report: ConsoleReport, unit: string): Promise<Result<ConsoleReport, ConsoleFailure>> {
  if (!opts.live) return ok(report);
  const ran = report.ran as string[];
  for (const [what, step] of [['reloaded systemd', () => opts.live!.daemonReload()], [`restarted ${unit}`, () => opts.live!.restart(unit)]] as const) {
    const r = await step();
    if (!r.ok) return err({ kind: 'live-failed', message: r.error, report });
    ran.push(what);
  }
  return ok(report);
}

