// Pure: what to run, in which order, to make the running system match the files (or, on rollback,
// the old settings). One fixed order: load profiles, activate each device, default route, hostname.
import { formatCidr } from '../model/types.js';
import type { DefaultRoute, LiveAddress } from '../model/live.js';
import type { StackName } from '../model/stack.js';
import type { IfaceTarget } from '../model/target.js';
import type { Timeouts } from './types.js';
import { type Ipv6DevicePlan, iproute2Ipv6Steps } from './stepsIpv6.js';

export type { Cmd, Step } from './step.js';
import type { Cmd, Step } from './step.js';

export interface DevicePlan {
  readonly device: string;
  readonly stack: StackName;
  /** Absolute path of the profile file (what `nmcli connection load` reads). */
  readonly file: string;
  /** False when the file does not exist (a rollback removed a file ttyconf had created). */
  readonly fileExists: boolean;
  /** The NetworkManager profile UUID, for the `connection up` fallback. */
  readonly uuid: string | null;
  /**
   * The change created this profile file: `device reapply` would re-apply the profile active now
   * (another one), so the new profile is brought up with `connection up` directly.
   */
  readonly created?: boolean;
  readonly target: IfaceTarget;
  /** Addresses the device holds now: iproute2 removes the ones the target does not list. */
  readonly live: readonly LiveAddress[];
  /** IPv6 to apply (absent: the change leaves IPv6 alone). */
  readonly ipv6?: Ipv6DevicePlan;
  /** The change leaves IPv4 alone (an IPv6 change only): iproute2 does not touch its addresses. */
  readonly ipv4Unchanged?: boolean;
}

export interface StepsInput {
  readonly devices: readonly DevicePlan[];
  /** The default route now. */
  readonly currentRoute: DefaultRoute | null;
  /**
   * iproute2 rollback: the default route to put back (null: there was none, remove one that goes
   * through a rolled-back device). Undefined: derive the route from each device's target.
   */
  readonly restoreRoute?: DefaultRoute | null;
  /** hostnamectl where root is /; only `hostname` inside a private UTS namespace; null: leave it. */
  readonly hostname: { readonly name: string; readonly via: 'hostnamectl' | 'hostname' } | null;
}

const cmd = (file: string, args: readonly string[], timeoutMs: number): Cmd => ({ file, args, timeoutMs });
const step = (purpose: string, tries: Cmd[], optional = false): Step => ({ purpose, tries, optional });

function nmLoad(d: DevicePlan, t: Timeouts): Step {
  return d.fileExists
    ? step(`load the profile of ${d.device}`, [cmd('nmcli', ['connection', 'load', d.file], t.commandMs)])
    : step(`forget the removed profile of ${d.device}`, [cmd('nmcli', ['connection', 'reload'], t.commandMs)]);
}

function nmActivate(d: DevicePlan, t: Timeouts): Step {
  const waitSeconds = String(Math.max(1, Math.ceil(t.activateMs / 1000) - 5));
  const up = d.uuid
    ? cmd('nmcli', ['--wait', waitSeconds, 'connection', 'up', 'uuid', d.uuid], t.activateMs)
    : cmd('nmcli', ['--wait', waitSeconds, 'device', 'connect', d.device], t.activateMs);
  if (d.created && d.uuid) return step(`activate the new profile on ${d.device}`, [up]);
  return step(`apply the profile to ${d.device}`, [cmd('nmcli', ['device', 'reapply', d.device], t.commandMs), up]);
}

function legacySteps(d: DevicePlan, t: Timeouts): Step[] {
  // No profile any more (a restore or rollback removed the file ttyconf had created): ifup has
  // nothing to bring up, so the device is only taken down.
  if (!d.fileExists) return [step(`take ${d.device} down (its profile is gone)`, [cmd('ifdown', [d.device], t.commandMs * 2)], true)];
  return [
    step(`take ${d.device} down`, [cmd('ifdown', [d.device], t.commandMs * 2)], true),
    step(`bring ${d.device} up with its profile`, [cmd('ifup', [d.device], t.activateMs)]),
  ];
}

const same = (a: { address: string; prefix: number }, b: { address: string; prefix: number }): boolean =>
  a.address === b.address && a.prefix === b.prefix;

function iproute2Steps(d: DevicePlan, input: StepsInput, t: Timeouts): Step[] {
  const v4 = d.ipv4Unchanged ? [step(`set ${d.device} up`, [cmd('ip', ['link', 'set', 'dev', d.device, 'up'], t.commandMs)])] : iproute2Ipv4Steps(d, input, t);
  return [...v4, ...(d.ipv6 ? iproute2Ipv6Steps(d.device, d.ipv6, t) : [])];
}

function iproute2Ipv4Steps(d: DevicePlan, input: StepsInput, t: Timeouts): Step[] {
  const dev = d.device;
  const out: Step[] = [step(`set ${dev} up`, [cmd('ip', ['link', 'set', 'dev', dev, 'up'], t.commandMs)])];
  const target = d.target;
  if (target.method === 'dhcp') {
    out.push(step(`stop a DHCP client on ${dev}`, [cmd('dhclient', ['-r', dev], t.commandMs)], true));
    for (const a of d.live.filter((x) => !x.dynamic)) {
      out.push(step(`remove ${formatCidr(a)} from ${dev}`, [cmd('ip', ['-4', 'addr', 'del', formatCidr(a), 'dev', dev], t.commandMs)], true));
    }
    out.push(step(`get a DHCP lease on ${dev}`, [cmd('dhclient', ['-1', dev], t.activateMs)]));
    return out;
  }
  const wanted = target.method === 'static' ? target.addresses : [];
  if (d.live.some((a) => a.dynamic)) out.push(step(`stop the DHCP client on ${dev}`, [cmd('dhclient', ['-r', dev], t.commandMs)], true));
  for (const a of d.live.filter((x) => !wanted.some((w) => same(w, x)))) {
    out.push(step(`remove ${formatCidr(a)} from ${dev}`, [cmd('ip', ['-4', 'addr', 'del', formatCidr(a), 'dev', dev], t.commandMs)], true));
  }
  for (const w of wanted) {
    out.push(step(`set ${formatCidr(w)} on ${dev}`, [cmd('ip', ['-4', 'addr', 'replace', formatCidr(w), 'dev', dev], t.commandMs)]));
  }
  if (input.restoreRoute !== undefined) return out;
  const gateway = target.method === 'static' ? target.gateway : null;
  if (gateway) {
    out.push(step(`route the default route via ${gateway}`, [cmd('ip', ['-4', 'route', 'replace', 'default', 'via', gateway, 'dev', dev], t.commandMs)]));
  } else if (input.currentRoute?.dev === dev) {
    out.push(step(`remove the default route via ${dev}`, [cmd('ip', ['-4', 'route', 'del', 'default', 'dev', dev], t.commandMs)], true));
  }
  return out;
}

/** The ordered steps for a change (or a rollback). */
export function applySteps(input: StepsInput, t: Timeouts): Step[] {
  const steps: Step[] = [];
  for (const d of input.devices) if (d.stack === 'nm') steps.push(nmLoad(d, t));
  for (const d of input.devices) {
    if (d.stack === 'nm') steps.push(nmActivate(d, t));
    else if (d.stack === 'network-scripts') steps.push(...legacySteps(d, t));
    else steps.push(...iproute2Steps(d, input, t));
  }
  if (input.restoreRoute !== undefined && input.devices.some((d) => d.stack === 'iproute2')) {
    const r = input.restoreRoute;
    if (r) steps.push(step(`put the default route via ${r.via} back`, [cmd('ip', ['-4', 'route', 'replace', 'default', 'via', r.via, 'dev', r.dev], t.commandMs)]));
    else if (input.currentRoute && input.devices.some((d) => d.device === input.currentRoute?.dev)) {
      steps.push(step('remove the default route ttyconf added', [cmd('ip', ['-4', 'route', 'del', 'default'], t.commandMs)], true));
    }
  }
  if (input.hostname) {
    const { name, via } = input.hostname;
    const tries = via === 'hostnamectl'
      ? [cmd('hostnamectl', ['set-hostname', name], t.commandMs), cmd('hostname', [name], t.commandMs)]
      : [cmd('hostname', [name], t.commandMs)];
    steps.push(step(`set the hostname to ${name}`, tries));
  }
  return steps;
}
