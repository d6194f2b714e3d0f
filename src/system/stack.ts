// Which program is in charge of each interface: NetworkManager, the legacy network service
// (network-scripts) or nobody, in which case ttyconf applies settings with iproute2 itself.
// Parsers are pure; detectStack is the thin layer that runs nmcli.
import { existsSync } from 'node:fs';
import type { Profile } from '../model/state.js';
import type { StackName } from '../model/stack.js';
import type { Root } from '../files/root.js';
import { type CommandResult, type Runner, succeeded } from './run.js';

export interface NmDevice {
  readonly device: string;
  readonly type: string;
  /** connected, disconnected, unmanaged, unavailable, connecting (...) */
  readonly state: string;
  readonly connection: string | null;
}

export interface NmConnection {
  readonly name: string;
  readonly uuid: string;
  readonly type: string;
  readonly device: string | null;
  readonly filename: string | null;
}

export interface DeviceStack {
  readonly device: string;
  readonly stack: StackName;
  readonly why: string;
  /** NetworkManager's view, when it runs. */
  readonly nmState: string | null;
}

export interface StackInfo {
  /** The stack in charge of the machine (devices may differ: see `devices`). */
  readonly name: StackName;
  /** detected; chosen with --stack; or forced because --root is not / (only iproute2 can apply there). */
  readonly source: 'detected' | 'option' | 'root';
  readonly why: string;
  readonly nmRunning: boolean;
  readonly legacyAvailable: boolean;
  readonly nmDevices: readonly NmDevice[];
  readonly nmConnections: readonly NmConnection[];
}

/** Splits one line of `nmcli -t` output: fields separated by `:`, with `\:` and `\\` escaped. */
export function splitTerse(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) {
      cur += line[++i]!;
    } else if (c === ':') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

const lines = (s: string): string[] => s.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l !== '');

/** `nmcli -t -f RUNNING general` prints `running` while NetworkManager runs. */
export function parseNmRunning(stdout: string): boolean {
  return lines(stdout)[0]?.trim() === 'running';
}

/** `nmcli -t -f DEVICE,TYPE,STATE,CONNECTION device` */
export function parseNmDevices(stdout: string): NmDevice[] {
  return lines(stdout).map((l) => {
    const [device = '', type = '', state = '', connection = ''] = splitTerse(l);
    return { device, type, state: state.replace(/^\d+\s*\((.*)\)$/, '$1'), connection: connection === '' || connection === '--' ? null : connection };
  }).filter((d) => d.device !== '');
}

/** `nmcli -t -f NAME,UUID,TYPE,DEVICE,FILENAME connection show` */
export function parseNmConnections(stdout: string): NmConnection[] {
  return lines(stdout).map((l) => {
    const [name = '', uuid = '', type = '', device = '', filename = ''] = splitTerse(l);
    return { name, uuid, type, device: device === '' || device === '--' ? null : device, filename: filename === '' ? null : filename };
  }).filter((c) => c.uuid !== '');
}

/** The machine-wide decision (pure). */
export function decideStack(nmRunning: boolean, legacyAvailable: boolean): { name: StackName; why: string } {
  if (nmRunning) return { name: 'nm', why: 'NetworkManager is running' };
  if (legacyAvailable) return { name: 'network-scripts', why: 'NetworkManager is not running; the legacy network service (network-scripts) is installed' };
  return { name: 'iproute2', why: 'neither NetworkManager nor network-scripts is in charge: ttyconf applies the settings with iproute2' };
}

/** Who applies settings to one device (pure). NM_CONTROLLED=no or an unmanaged device leaves NM out. */
export function stackForDevice(info: StackInfo, device: string, profile: Pick<Profile, 'file' | 'nmControlled'> | undefined): DeviceStack {
  const nm = info.nmDevices.find((d) => d.device === device) ?? null;
  const nmState = nm?.state ?? null;
  if (info.source !== 'detected' || info.name !== 'nm') return { device, stack: info.name, why: info.why, nmState };
  const fallback: StackName = info.legacyAvailable ? 'network-scripts' : 'iproute2';
  if (profile && !profile.nmControlled) return { device, stack: fallback, why: `${profile.file} says NM_CONTROLLED=no`, nmState };
  if (!nm) return { device, stack: fallback, why: `NetworkManager does not list ${device}`, nmState };
  if (nm.state.startsWith('unmanaged')) return { device, stack: fallback, why: `NetworkManager does not manage ${device} (unmanaged)`, nmState };
  return { device, stack: 'nm', why: `NetworkManager manages ${device} (${nm.state})`, nmState };
}

/** The stack for a root that is not /: files there belong to an image, so only iproute2 can apply. */
export function rootStack(): StackInfo {
  return {
    name: 'iproute2',
    source: 'root',
    why: '--root is not /: only iproute2 can apply, in the network namespace ttyconf runs in',
    nmRunning: false,
    legacyAvailable: false,
    nmDevices: [],
    nmConnections: [],
  };
}

export function forcedStack(name: StackName): StackInfo {
  return { name, source: 'option', why: `chosen with --stack ${name}`, nmRunning: name === 'nm', legacyAvailable: name === 'network-scripts', nmDevices: [], nmConnections: [] };
}

const DETECT_TIMEOUT_MS = 5_000;
const DETECT_RETRY_TIMEOUT_MS = 30_000;

/**
 * One nmcli query. A timeout is not an answer: a busy NetworkManager or a loaded machine can take
 * longer than DETECT_TIMEOUT_MS (seen on a starting NetworkManager), and reading that as "not
 * running" would apply with iproute2 behind NetworkManager's back. So a timeout is asked again,
 * once, with more time.
 */
async function askNm(run: Runner, args: readonly string[]): Promise<CommandResult> {
  const r = await run('nmcli', args, { timeoutMs: DETECT_TIMEOUT_MS });
  return r.timedOut ? run('nmcli', args, { timeoutMs: DETECT_RETRY_TIMEOUT_MS }) : r;
}

/** Asks the running system (root `/` only). */
export async function detectStack(root: Root, run: Runner): Promise<StackInfo> {
  const legacyAvailable = existsSync(root.path('etc/sysconfig/network-scripts/ifup-eth'));
  const r = await askNm(run, ['-t', '-f', 'RUNNING', 'general']);
  const nmRunning = succeeded(r) && parseNmRunning(r.stdout);
  let nmDevices: NmDevice[] = [];
  let nmConnections: NmConnection[] = [];
  if (nmRunning) {
    const [d, c] = await Promise.all([
      askNm(run, ['-t', '-f', 'DEVICE,TYPE,STATE,CONNECTION', 'device']),
      askNm(run, ['-t', '-f', 'NAME,UUID,TYPE,DEVICE,FILENAME', 'connection', 'show']),
    ]);
    if (succeeded(d)) nmDevices = parseNmDevices(d.stdout);
    if (succeeded(c)) nmConnections = parseNmConnections(c.stdout);
  }
  const { name, why } = decideStack(nmRunning, legacyAvailable);
  return { name, source: 'detected', why, nmRunning, legacyAvailable, nmDevices, nmConnections };
}

/** --stack, else --root forces iproute2, else detection. */
export async function resolveStack(root: Root, run: Runner | null, override?: StackName): Promise<StackInfo | null> {
  if (override) return forcedStack(override);
  if (!root.isSystem) return rootStack();
  return run ? detectStack(root, run) : null;
}

