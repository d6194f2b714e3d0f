// Executes a reviewed plan against the running system in fixed phases:
//   write files -> apply (commands) -> verify -> ask "Keep these settings?" -> keep, or roll back.
// One wrapper (withRollback) covers every way a change can fail: a command, a check, no answer, a
// signal, an exception. Rollback puts the files back from the commit's backup, applies the old
// settings again, verifies them, and never throws.
import { type CommitResult, readManifest, restoreFiles } from '../files/commit.js';
import type { Root } from '../files/root.js';
import type { DeviceSettings, IfaceTarget } from '../model/target.js';
import type { Plan } from '../plan.js';
import { type InterfaceAction, interfaceActions } from '../planTargets.js';
import { type Probe, probeGateway, readLiveNet } from '../system/observe.js';
import { describeResult, succeeded } from '../system/run.js';
import { makeRelabel } from '../system/selinux.js';
import { type StackInfo, stackForDevice } from '../system/stack.js';
import { type Actor, changeNote } from './audit.js';
import { commitPlan } from './commitPlan.js';
import type { JobPhase, JobState, Decision } from './job.js';
import { type DevicePlan, type Step, applySteps } from './steps.js';
import type { LiveNet } from '../model/live.js';
import type { StackName } from '../model/stack.js';
import type { CheckResult, CommandRecord, Outcome, Phase, ProgressEvent, Timeouts } from './types.js';
import { ipv6TargetFromLive, ipv6GatewayToProbe, ipv6GatewayCheck } from './verifyIpv6.js';
import { probeGateway6, withIpv6 } from '../system/probeIpv6.js';
import { readVlanLinks } from '../system/vlanLive.js';
import type { VlanAction } from '../planVlan.js';
import { type VlanDevicePlan, vlanSteps } from './stepsVlan.js';
import { verifyVlans } from './verifyVlan.js';
import { type Observed, type Wanted, type WantedIface, dnsCheck, firstFailure, gatewayCheck, gatewayToProbe, hostnameCheck, noDnsCheck, pingCheck, verify, verifyLinks } from './verify.js';

/** How the running change talks to whoever asked for it. */
export interface Channel {
  emit(e: ProgressEvent): void;
  /** A revert asked for before the question (Ctrl-C, a signal): checked between phases. */
  revertRequested(): string | null;
  /** "Keep these settings?": resolves by the deadline at the latest; no answer means revert. */
  decide(timeoutSeconds: number, deadline: number): Promise<Decision>;
}

export interface TxContext {
  readonly root: Root;
  readonly plan: Plan;
  readonly stack: StackInfo;
  readonly timeouts: Timeouts;
  readonly confirmSeconds: number;
  readonly noRevert: boolean;
  /** hostnamectl (root /), hostname (a private UTS namespace), or null: the hostname is not applied. */
  readonly hostnameVia: 'hostnamectl' | 'hostname' | null;
  readonly probe: Probe;
  readonly channel: Channel;
  /** Appends to the job's log. */
  readonly log: (text: string) => void;
  readonly logFile: string | null;
  /** Persists progress so a run killed half-way can be undone later. */
  readonly saveState: (s: Omit<JobState, 'pid' | 'bootId'>) => void;
  /** Who asked for the change: recorded in the backup's manifest. */
  readonly actor?: Actor;
}

/** What a rollback needs, all of it saved in the job's state before the first command runs. */
export interface RollbackInput {
  readonly commit: CommitResult;
  readonly liveBefore: LiveNet;
}

export interface RollbackResult {
  readonly restored: boolean;
  readonly unrestoredFiles: readonly string[];
  readonly runs: readonly CommandRecord[];
  readonly checks: readonly CheckResult[];
}

const ipChanged = (plan: Plan, device: string): boolean => plan.changes.some((c) => (c.kind === 'ip' || c.kind === 'ip6') && c.device === device);
const ipv4Changed = (plan: Plan, device: string): boolean => plan.changes.some((c) => c.kind === 'ip' && c.device === device);
const ipv6Changed = (plan: Plan, device: string): boolean => plan.changes.some((c) => c.kind === 'ip6' && c.device === device);
const hasIpv6 = (plan: Plan): boolean => plan.changes.some((c) => c.kind === 'ip6');
/** The running network, with IPv6 when the change concerns it. */
const readLive = async (probe: Probe, ipv6: boolean): Promise<LiveNet> => {
  const live = await readLiveNet(probe);
  return ipv6 ? withIpv6(probe, live) : live;
};

/** Which side of the plan to apply: the change (`after`), or the rollback to what was there (`before`). */
type Side = 'after' | 'before';

/**
 * The devices to (re)apply and how, from the plan's own targets. A rollback with iproute2 puts back
 * exactly what the kernel had (`liveBefore`); NetworkManager and network-scripts apply the old files.
 */
function devicePlans(ctx: TxContext, live: LiveNet, side: Side, liveBefore: LiveNet = live): DevicePlan[] {
  const out: DevicePlan[] = [];
  for (const a of interfaceActions(ctx.plan.actions)) {
    const settings: DeviceSettings = a[side];
    const ds = stackForDevice(ctx.stack, a.device, settings.profile === null ? undefined : { file: settings.profile, nmControlled: settings.nmControlled });
    // iproute2 only handles addresses and routes: a device whose IP settings did not change (its file
    // changed for DNS) is left alone rather than re-leased or re-addressed.
    if (ds.stack === 'iproute2' && !ipChanged(ctx.plan, a.device)) continue;
    const exact = side === 'before' && ds.stack === 'iproute2';
    const uuid = settings.uuid ?? ctx.stack.nmConnections.find((c) => c.filename === ctx.root.path(a.file) || c.device === a.device)?.uuid ?? null;
    out.push({
      device: a.device,
      stack: ds.stack,
      file: ctx.root.path(a.file),
      fileExists: side === 'after' ? a.fileAfter : a.fileBefore,
      uuid,
      created: side === 'after' && !a.fileBefore && a.fileAfter,
      target: exact ? kernelTarget(a, liveBefore) : settings.ipv4,
      live: live.addresses[a.device] ?? [],
      ...(ipv6Changed(ctx.plan, a.device) ? {
        ipv6: {
          target: exact ? ipv6TargetFromLive(a.device, liveBefore) : settings.ipv6,
          live: (live.addresses6?.[a.device] ?? []).filter((x) => x.scope === 'global' || x.scope === 'site'),
          route: live.defaultRoute6 ?? null,
        },
        ipv4Unchanged: !ipv4Changed(ctx.plan, a.device),
      } : {}),
    });
  }
  return out;
}

function stackUsed(devices: readonly DevicePlan[], info: StackInfo, vlans: readonly VlanDevicePlan[] = []): StackName {
  return devices[0]?.stack ?? vlans[0]?.stack ?? info.name;
}

/**
 * The VLANs to create, re-tag or delete (a rollback: the way back). A VLAN goes with its parent's
 * stack: NetworkManager creates it where NetworkManager manages the parent.
 */
function vlanPlans(ctx: TxContext, side: Side): VlanDevicePlan[] {
  return ctx.plan.actions.filter((a): a is VlanAction => a.kind === 'vlan').map((a) => {
    const back = side === 'before';
    const from = back ? a.after : a.before;
    const to = back ? a.before : a.after;
    const ds = stackForDevice(ctx.stack, (to ?? from)!.parent, { file: a.file, nmControlled: a.nmControlled });
    const fromSide = back ? 'after' : 'before';
    return { name: a.name, stack: ds.stack, file: ctx.root.path(a.file), uuid: a.uuid, from, to, target: a.ipv4[side], fromDhcp: a.ipv4[fromSide].method === 'dhcp' };
  });
}

/** Polls the VLAN links until each is as wanted or the settle time is over. */
async function observeVlans(ctx: TxContext, vlans: readonly VlanDevicePlan[]): Promise<CheckResult[]> {
  if (vlans.length === 0) return [];
  const wanted = vlans.map((v) => ({ name: v.name, vlan: v.to }));
  const read = async (): Promise<CheckResult[]> => verifyVlans(wanted, await readVlanLinks(ctx.probe.run, vlans.map((v) => v.name), ctx.timeouts.commandMs));
  const deadline = ctx.probe.now() + ctx.timeouts.settleMs;
  let checks = await read();
  while (checks.some((c) => !c.passed) && ctx.probe.now() < deadline) {
    await ctx.probe.sleep(250);
    checks = await read();
  }
  // A VLAN's gateway answers only over the right tag: a wrong ID shows here, not in the link.
  for (const [i, v] of vlans.entries()) {
    const gw = v.to && v.target.method === 'static' ? v.target.gateway : null;
    if (!gw) continue;
    if (!checks[i]!.passed) {
      checks.push({ name: `${v.name} gateway ${gw}`, status: 'skipped', passed: true, required: false, detail: 'not asked: the VLAN link is not as wanted' });
      continue;
    }
    const a = await probeGateway(ctx.probe, gw, v.name, ctx.timeouts.gatewayMs);
    checks.push({ name: `${v.name} gateway ${gw}`, status: a.answered ? 'passed' : 'failed', passed: a.answered, required: true, detail: a.detail });
  }
  return checks;
}

function hostnameAction(plan: Plan): string | null {
  for (const a of plan.actions) if (a.kind === 'hostname') return a.hostname;
  return null;
}

async function runSteps(ctx: TxContext, steps: readonly Step[], phase: Phase, bestEffort: boolean): Promise<{ records: CommandRecord[]; failure: string | null }> {
  const records: CommandRecord[] = [];
  const failures: string[] = [];
  for (const s of steps) {
    const lines: string[] = [];
    let ok = false;
    for (const c of s.tries) {
      const r = await ctx.probe.run(c.file, c.args, { timeoutMs: c.timeoutMs });
      const record: { -readonly [K in keyof CommandRecord]: CommandRecord[K] } = {
        command: r.command,
        purpose: s.purpose,
        ok: succeeded(r),
        exitCode: r.exitCode,
        timedOut: r.timedOut,
        failedToStart: r.failedToStart,
        stdout: r.stdout,
        stderr: r.stderr,
        timeoutMs: c.timeoutMs,
        line: describeResult(r) + (r.timedOut ? ` (after ${c.timeoutMs >= 1000 ? `${Math.round(c.timeoutMs / 1000)} s` : `${c.timeoutMs} ms`})` : ''),
      };
      if (!record.ok && s.optional && c === s.tries[s.tries.length - 1]) record.line += ' (not needed: carrying on)';
      records.push(record);
      lines.push(record.line);
      ctx.log(`$ ${r.command.join(' ')}   # ${s.purpose}, timeout ${c.timeoutMs} ms\n${r.stdout}${r.stderr}-> ${record.line}`);
      ctx.channel.emit({ kind: 'command', phase, record });
      if (record.ok) {
        ok = true;
        break;
      }
    }
    if (!ok && !s.optional) {
      const why = `${s.purpose} failed: ${lines.join('; then ')}`;
      if (!bestEffort) return { records, failure: why };
      failures.push(why);
    }
  }
  return { records, failure: failures.length ? failures.join('; ') : null };
}

/** Polls the cheap checks until they pass or time runs out, then asks the gateway and DNS servers. */
/** Called with each check the moment it is decided: the address and route checks and the hostname
 * first, then the gateway, each DNS server and the extra ping as each probe answers. */
export type CheckListener = (c: CheckResult) => void;

export async function observeAndVerify(probe: Probe, wanted: Wanted, t: Timeouts, probeAll = false, onCheck?: CheckListener): Promise<{ checks: CheckResult[]; live: LiveNet }> {
  const waitMs = wanted.interfaces.some((w) => w.target.method === 'dhcp') ? t.leaseMs : t.settleMs;
  const deadline = probe.now() + waitMs;
  const ipv6 = wanted.interfaces.some((w) => w.ipv6);
  let live = await readLive(probe, ipv6);
  // Duplicate address detection keeps a new IPv6 address tentative for a second or two: this waits it out too.
  while (!verifyLinks(wanted, live).every((c) => c.passed || !c.required) && probe.now() < deadline) {
    await probe.sleep(250);
    live = await readLive(probe, ipv6);
  }
  const links = verifyLinks(wanted, live);
  const linksOk = links.every((c) => c.passed || !c.required);
  const report: CheckListener = onCheck ?? (() => undefined);
  links.forEach(report);
  const host = hostnameCheck(wanted, live);
  if (host) report(host);
  if (wanted.dns.servers.length === 0) report(noDnsCheck());
  const obs: { live: LiveNet; gateway?: Observed['gateway']; gateway6?: Observed['gateway6']; dns: Record<string, Awaited<ReturnType<Probe['dns']>>>; ping?: Observed['ping'] } = { live, dns: {} };
  const gw = gatewayToProbe(wanted, live);
  const gw6 = ipv6GatewayToProbe(wanted.interfaces);
  if (linksOk || probeAll) {
    await Promise.all([
      gw ? probeGateway(probe, gw.address, gw.device, t.gatewayMs).then((a) => {
        obs.gateway = { address: gw.address, device: gw.device, answer: a };
        report(gatewayCheck(gw, a, linksOk));
      }) : undefined,
      gw6 ? probeGateway6(probe, gw6.address, gw6.device, t.gatewayMs).then((a) => {
        obs.gateway6 = { address: gw6.address, answer: a };
        report(ipv6GatewayCheck(gw6, a, linksOk));
      }) : undefined,
      ...wanted.dns.servers.map((s) => probe.dns(s, t.dnsMs).then((a) => {
        obs.dns[s] = a;
        report(dnsCheck(wanted.dns, s, a, linksOk));
      })),
      wanted.ping !== undefined ? probeGateway(probe, wanted.ping, null, t.gatewayMs).then((a) => {
        obs.ping = a;
        report(pingCheck(wanted.ping!, a));
      }) : undefined,
    ]);
  } else {
    // Nothing was asked: the probe checks are all decided (skipped) now.
    if (gw) report(gatewayCheck(gw, undefined, linksOk));
    if (gw6) report(ipv6GatewayCheck(gw6, undefined, linksOk));
    wanted.dns.servers.forEach((s) => report(dnsCheck(wanted.dns, s, undefined, linksOk)));
    if (wanted.ping !== undefined) report(pingCheck(wanted.ping, undefined));
  }
  return { checks: verify(wanted, obs), live };
}

/** What each device must show: its target, and the default route when it carries one. */
function wantedInterfaces(devices: readonly DevicePlan[], liveBefore: LiveNet): WantedIface[] {
  return devices.map((d) => {
    const t = d.target;
    const defaultRoute = t.method === 'static' && t.gateway ? { via: t.gateway }
      : t.method === 'dhcp' && liveBefore.defaultRoute?.dev === d.device ? 'dhcp' as const
        : null;
    return { device: d.device, target: t, defaultRoute, ...(d.ipv6 ? { ipv6: d.ipv6.target } : {}) };
  });
}

function wantedAfter(ctx: TxContext, devices: readonly DevicePlan[], liveBefore: LiveNet): Wanted {
  const interfaces = wantedInterfaces(devices, liveBefore);
  const host = hostnameAction(ctx.plan);
  return { interfaces, dns: { servers: [...ctx.plan.dns.servers], required: ctx.plan.dns.required }, hostname: host !== null && ctx.hostnameVia ? host : null };
}

/** The old IPv4 settings, as the running system had them before the change (the iproute2 rollback). */
function kernelTarget(a: InterfaceAction, liveBefore: LiveNet): IfaceTarget {
  const had = liveBefore.addresses[a.device] ?? [];
  const routeVia = liveBefore.defaultRoute?.dev === a.device ? liveBefore.defaultRoute.via : null;
  if (a.before.ipv4.method === 'dhcp' && (had.length === 0 || had.some((x) => x.dynamic))) return { method: 'dhcp' };
  if (had.length === 0 && a.before.profile === null) return { method: 'static', addresses: [], gateway: null };
  return { method: 'static', addresses: had.map((a) => ({ address: a.address, prefix: a.prefix })), gateway: routeVia };
}

/** Puts the old files back, applies the old settings, verifies them. Never throws. */
export async function rollback(ctx: TxContext, input: RollbackInput, why: string): Promise<RollbackResult> {
  ctx.channel.emit({ kind: 'phase', phase: 'rollback', message: `Rolling back: ${why}` });
  ctx.log(`rollback: ${why}`);
  ctx.saveState({ phase: 'rolling-back', backupDir: input.commit.backupDir, liveBefore: input.liveBefore });
  let unrestoredFiles: string[] = [];
  const runs: CommandRecord[] = [];
  let checks: CheckResult[] = [];
  let failure: string | null = null;
  try {
    const entries = await readManifest(ctx.root, input.commit.backupDir);
    const relabel = ctx.root.isSystem ? makeRelabel(ctx.probe.run) : undefined;
    unrestoredFiles = await restoreFiles(ctx.root, input.commit.backupDir, entries, { relabel });
    ctx.log(unrestoredFiles.length ? `could not restore: ${unrestoredFiles.join(', ')}` : `restored ${entries.map((e) => e.path).join(', ')}`);
  } catch (e) {
    unrestoredFiles = ctx.plan.edits.map((x) => x.path);
    ctx.log(`cannot read the backup ${input.commit.backupDir}: ${(e as Error).message}`);
  }
  try {
    const live = await readLive(ctx.probe, hasIpv6(ctx.plan));
    const devices = devicePlans(ctx, live, 'before', input.liveBefore);
    const oldHost = hostnameAction(ctx.plan) !== null && ctx.hostnameVia && input.liveBefore.hostname ? input.liveBefore.hostname : null;
    // A VLAN the change created is deleted, one it deleted is made again, a re-tagged one gets its old ID.
    const vlans = vlanPlans(ctx, 'before');
    const steps = [...vlanSteps(vlans, ctx.timeouts), ...applySteps({
      devices,
      currentRoute: live.defaultRoute,
      restoreRoute: devices.some((d) => d.stack === 'iproute2') ? input.liveBefore.defaultRoute : undefined,
      hostname: oldHost && ctx.hostnameVia ? { name: oldHost, via: ctx.hostnameVia } : null,
    }, ctx.timeouts)];
    const r = await runSteps(ctx, steps, 'rollback', true);
    runs.push(...r.records);
    failure = r.failure;
    ctx.channel.emit({ kind: 'phase', phase: 'rollback-verify', message: 'Checking the old settings...' });
    const wanted: Wanted = {
      interfaces: wantedInterfaces(devices, input.liveBefore),
      dns: { servers: [], required: false },
      hostname: oldHost,
    };
    const vlanChecks = await observeVlans(ctx, vlans);
    checks = [...vlanChecks, ...(await observeAndVerify(ctx.probe, wanted, ctx.timeouts)).checks.filter((c) => c.name !== 'DNS')];
    for (const c of checks) ctx.channel.emit({ kind: 'check', phase: 'rollback-verify', check: c });
  } catch (e) {
    failure = `rollback error: ${(e as Error).message}`;
    ctx.log(failure);
  }
  const restored = unrestoredFiles.length === 0 && failure === null;
  ctx.log(restored ? 'rollback complete' : `rollback incomplete: ${[failure, unrestoredFiles.length ? `files not restored: ${unrestoredFiles.join(', ')}` : null].filter(Boolean).join('; ')}`);
  return { restored, unrestoredFiles, runs, checks };
}

/** Whether to ask "Keep these settings?": an IP change on the interface that carries the default route. */
export function needsConfirm(plan: Plan, before: LiveNet, after: LiveNet): boolean {
  const carries = (dev: string): boolean => [before.defaultRoute, after.defaultRoute, before.defaultRoute6, after.defaultRoute6].some((r) => r?.dev === dev);
  return plan.changes.some((c) => (c.kind === 'ip' || c.kind === 'ip6') && carries(c.device));
}

/** commit -> apply -> verify -> confirm, inside one rollback wrapper. */
export async function applyChange(ctx: TxContext): Promise<Outcome> {
  const { plan, channel } = ctx;
  const notes = [...plan.notes];
  const save = (phase: JobPhase, backupDir: string | null, liveBefore: LiveNet | null): void => ctx.saveState({ phase, backupDir, liveBefore });

  const liveBefore = await readLive(ctx.probe, hasIpv6(plan));
  save('started', null, liveBefore);
  channel.emit({ kind: 'phase', phase: 'write', message: `Writing ${plan.edits.length} file(s)...` });
  // Record the backup before the first rename, so a kill in the middle of the commit can be undone.
  const note = changeNote(plan, ctx.actor ?? { user: 'unknown', tty: null });
  const committed = await commitPlan(ctx.root, plan, { run: ctx.probe.run, hooks: { note, onBackup: (dir) => save('committing', dir, liveBefore) } });
  if (!committed.ok) return { kind: 'write-failed', error: committed.error };
  const commit = committed.value;
  save('committed', commit.backupDir, liveBefore);
  ctx.log(`wrote ${commit.written.join(', ')}; backup ${commit.backupDir}`);

  const runs: CommandRecord[] = [];
  let checks: CheckResult[] = [];
  let stack: StackName = ctx.stack.name;

  const rolledBack = async (reason: string): Promise<Outcome> => {
    const rb = await rollback(ctx, { commit, liveBefore }, reason);
    const r: Outcome = {
      kind: 'rolled-back',
      commit,
      stack,
      reason,
      commands: runs.map((x) => x.line),
      runs,
      checks,
      rollbackCommands: rb.runs.map((x) => x.line),
      rollbackRuns: rb.runs,
      rollbackChecks: rb.checks,
      restored: rb.restored,
      unrestoredFiles: rb.unrestoredFiles,
      notes,
      log: ctx.logFile,
    };
    save('done', commit.backupDir, liveBefore);
    return r;
  };

  try {
    const devices = devicePlans(ctx, liveBefore, 'after');
    const vlans = vlanPlans(ctx, 'after');
    stack = stackUsed(devices, ctx.stack, vlans);
    const host = hostnameAction(plan);
    if (host !== null && !ctx.hostnameVia) {
      notes.push(`the hostname was written to etc/hostname but not applied: --root is not / and ttyconf shares the machine's UTS namespace`);
    }
    // VLANs first: an interface step may set the addresses of one.
    const steps = [...vlanSteps(vlans, ctx.timeouts), ...applySteps({
      devices,
      currentRoute: liveBefore.defaultRoute,
      hostname: host !== null && ctx.hostnameVia ? { name: host, via: ctx.hostnameVia } : null,
    }, ctx.timeouts)];

    save('applying', commit.backupDir, liveBefore);
    channel.emit({ kind: 'phase', phase: 'apply', message: `Applying with ${stack}...` });
    const applied = await runSteps(ctx, steps, 'apply', false);
    runs.push(...applied.records);
    if (applied.failure) return await rolledBack(applied.failure);

    save('verifying', commit.backupDir, liveBefore);
    channel.emit({ kind: 'phase', phase: 'verify', message: 'Checking the new settings...' });
    const vlanChecks = await observeVlans(ctx, vlans);
    const wanted = wantedAfter(ctx, devices, liveBefore);
    const v = await observeAndVerify(ctx.probe, wanted, ctx.timeouts);
    checks = [...vlanChecks, ...v.checks];
    for (const c of checks) channel.emit({ kind: 'check', phase: 'verify', check: c });
    const failed = firstFailure(checks);
    if (failed) return await rolledBack(`check "${failed.name}" failed: ${failed.detail}`);

    const early = channel.revertRequested();
    if (early) return await rolledBack(early);

    let kept: 'confirmed' | 'not-asked' | 'no-revert' = 'not-asked';
    if (needsConfirm(plan, liveBefore, v.live)) {
      if (ctx.noRevert) kept = 'no-revert';
      else {
        save('confirming', commit.backupDir, liveBefore);
        const deadline = ctx.probe.now() + ctx.confirmSeconds * 1000;
        channel.emit({ kind: 'confirm', timeoutSeconds: ctx.confirmSeconds, deadline });
        const d = await channel.decide(ctx.confirmSeconds, deadline);
        ctx.log(`keep these settings? ${d.keep ? 'kept' : 'not kept'}: ${d.why}`);
        if (!d.keep) return await rolledBack(d.why);
        kept = 'confirmed';
      }
    }
    save('kept', commit.backupDir, liveBefore);
    channel.emit({ kind: 'phase', phase: 'done', message: 'The new settings are in effect.' });
    return { kind: 'applied', commit, stack, commands: runs.map((x) => x.line), runs, checks, kept, notes, log: ctx.logFile };
  } catch (e) {
    return await rolledBack(`error while applying: ${(e as Error).message ?? String(e)}`);
  }
}
