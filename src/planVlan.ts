// The VLAN part of a plan: which profile file a VLAN change creates, edits or removes, the checks
// that need the machine (the parent exists, the name and the ID are free, the name is a VLAN), and
// what the running system must do (a VlanAction). Pure: the plan hands over its documents (plan.ts).
import { basename, join } from 'node:path';
import { type FieldError, fieldError } from './model/fieldError.js';
import type { LiveState } from './model/live.js';
import { type FilesState, type Profile, type ProfileStore, readOnlyReason } from './model/state.js';
import { type VlanChange, type VlanConfig, defaultVlanName, formatVlan } from './model/vlan.js';
import { type DeviceSettings, type IfaceTarget, ipv4TargetOf } from './model/target.js';
import { profileFor } from './files/read.js';
import { editIfcfgVlanId, newIfcfgVlan } from './files/ifcfgVlan.js';
import { editKeyfileVlanId, newVlanKeyfileText } from './files/keyfileVlan.js';
import { type KeyFile, keyfileNameFor } from './files/keyfile.js';
import { KEYFILE_DIRS } from './files/nmStore.js';
import { PATHS } from './files/root.js';
import type { ShellVarsFile } from './files/shellVars.js';

/** What the running system must do for a VLAN: from `before` to `after` (null: no such VLAN). */
export interface VlanAction {
  readonly kind: 'vlan';
  readonly name: string;
  /** Root-relative profile path (created, edited or removed). */
  readonly file: string;
  readonly before: VlanConfig | null;
  readonly after: VlanConfig | null;
  /** The profile's UUID (NetworkManager brings it up, or deletes it, by UUID). */
  readonly uuid: string | null;
  /** The VLAN's IPv4 settings on each side (iproute2 gives them to a link it makes). */
  readonly ipv4: { readonly before: IfaceTarget; readonly after: IfaceTarget };
  /** NM_CONTROLLED=no hands the VLAN to network-scripts or iproute2 even where NetworkManager runs. */
  readonly nmControlled: boolean;
}

const NO_IPV4 = { before: { method: 'none' }, after: { method: 'none' } } as const;

/** The action with the VLAN's settings on each side, as the plan read them from its bytes. */
export function withVlanTargets(a: VlanAction, sides: { readonly before: DeviceSettings; readonly after: DeviceSettings }): VlanAction {
  return { ...a, ipv4: { before: sides.before.ipv4, after: sides.after.ipv4 }, nmControlled: (sides.after.profile ? sides.after : sides.before).nmControlled };
}

export interface VlanPlanContext {
  readonly state: FilesState;
  readonly live: LiveState | null | undefined;
  readonly files: ReadonlyMap<string, Buffer | null>;
  /** Where a new VLAN profile goes (the store this tree uses for new profiles). */
  readonly store: ProfileStore;
  readonly newUuid: () => string;
  readonly ifcfg: (path: string) => ShellVarsFile;
  readonly keyfile: (path: string, from: Buffer | string | null | undefined) => KeyFile;
  /** The plan removes this file. */
  readonly remove: (path: string) => void;
}

export type VlanPlanResult =
  | { readonly ok: true; readonly action: VlanAction; readonly notes: readonly string[] }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

const failed = (errors: FieldError[]): VlanPlanResult => ({ ok: false, errors });

/** Every VLAN profile of the machine (the ones that own their device). */
function vlanProfiles(state: FilesState): Profile[] {
  return state.profiles.filter((p) => p.vlan && state.owners.get(p.device) === p.file);
}

function linkNames(live: LiveState | null | undefined): string[] {
  return (live?.links ?? []).map((l) => l.name);
}

/** Another VLAN with this ID on this parent, or undefined. */
function sameTag(state: FilesState, vlan: VlanConfig, except: string | null): Profile | undefined {
  return vlanProfiles(state).find((p) => p.device !== except && p.vlan!.parent === vlan.parent && p.vlan!.id === vlan.id);
}

/** The VLAN profile of `name`, or the errors that say why `name` is not a VLAN ttyconf may change. */
function existingVlan(ctx: VlanPlanContext, name: string): Profile | FieldError[] {
  const p = profileFor(ctx.state, name);
  if (!p) {
    const live = linkNames(ctx.live).includes(name) ? ' (the kernel has a link of that name, but no profile makes it)' : '';
    return [fieldError('vlan name', name, `is not a VLAN: no profile configures an interface of that name${live}`)];
  }
  if (!p.vlan) return [fieldError('vlan name', name, `is not a VLAN: ${p.file} configures it as ${p.store === 'ifcfg' ? 'an ordinary interface' : 'an Ethernet profile'}`)];
  const ro = readOnlyReason(ctx.state, name);
  if (ro) return [fieldError('vlan name', name, `cannot be changed by ttyconf: ${ro}`)];
  if (p.editPath !== p.file) return [fieldError('vlan name', name, `is configured by ${p.file}, a read-only profile in /usr/lib: ttyconf does not remove or re-tag it`)];
  return p;
}

/** The parent is a link of the machine or has a profile; else the error (also checked when the rest of the input is bad). */
export function vlanParentErrors(state: FilesState, live: LiveState | null | undefined, parent: string): FieldError[] {
  const links = linkNames(live);
  if (profileFor(state, parent) || links.includes(parent)) return [];
  const known = [...new Set([...links, ...state.owners.keys()])].sort();
  return [fieldError('parent', parent, `does not exist: no link and no profile of that name${known.length ? ` (known: ${known.join(', ')})` : ''}`)];
}

function add(ctx: VlanPlanContext, name: string, vlan: VlanConfig): VlanPlanResult {
  const errors: FieldError[] = vlanParentErrors(ctx.state, ctx.live, vlan.parent);
  const links = linkNames(ctx.live);
  const used = profileFor(ctx.state, name);
  if (used) errors.push(fieldError('vlan name', name, `is already used: ${used.file} configures an interface of that name`));
  else if (links.includes(name)) errors.push(fieldError('vlan name', name, 'is already used: the kernel has a link of that name'));
  const twin = sameTag(ctx.state, vlan, null);
  if (twin) errors.push(fieldError('vlan id', String(vlan.id), `is already used on ${vlan.parent}: ${twin.device} (${twin.file}) is VLAN ${vlan.id} there; one parent carries each ID once`));
  const path = ctx.store === 'ifcfg' ? join(PATHS.networkScripts, `ifcfg-${name}`) : join(KEYFILE_DIRS.etc, keyfileNameFor(name));
  if (!used && ctx.files.get(path)) errors.push(fieldError('vlan name', name, `cannot be written: ${path} exists already`));
  if (errors.length) return failed(errors);
  const uuid = ctx.newUuid();
  if (ctx.store === 'ifcfg') newIfcfgVlan(ctx.ifcfg(path), name, vlan, uuid);
  else ctx.keyfile(path, newVlanKeyfileText(name, vlan, uuid));
  const notes = [`${path} is new: ${name}, ${formatVlan(vlan)} (${ctx.store === 'ifcfg' ? 'an ifcfg file' : 'a NetworkManager keyfile'}: ${ctx.state.newStore.why}); IPv4 and IPv6 are off until set with set ip / set ip6`];
  return { ok: true, action: { kind: 'vlan', name, file: path, before: null, after: vlan, uuid, ipv4: NO_IPV4, nmControlled: true }, notes };
}

function retag(ctx: VlanPlanContext, name: string, id: number): VlanPlanResult {
  const p = existingVlan(ctx, name);
  if (Array.isArray(p)) return failed(p);
  const before = p.vlan!;
  const after: VlanConfig = { parent: before.parent, id };
  const twin = sameTag(ctx.state, after, name);
  if (twin) return failed([fieldError('vlan id', String(id), `is already used on ${after.parent}: ${twin.device} (${twin.file}) is VLAN ${id} there; one parent carries each ID once`)]);
  if (p.store === 'ifcfg') editIfcfgVlanId(ctx.ifcfg(p.editPath), after);
  else editKeyfileVlanId(ctx.keyfile(p.editPath, ctx.files.get(p.file)), after, name);
  const notes: string[] = [];
  if (before.id !== id) notes.push(`${name} is re-created with the new ID: it is down for a moment`);
  if (before.id !== id && name === defaultVlanName(before.parent, before.id)) notes.push(`${name} keeps its name, which still says ${before.id}`);
  return { ok: true, action: { kind: 'vlan', name, file: p.editPath, before, after, uuid: p.uuid, ipv4: NO_IPV4, nmControlled: p.nmControlled }, notes };
}

function remove(ctx: VlanPlanContext, name: string): VlanPlanResult {
  const p = existingVlan(ctx, name);
  if (Array.isArray(p)) return failed(p);
  const on = vlanProfiles(ctx.state).filter((q) => q.vlan!.parent === name);
  if (on.length) return failed([fieldError('vlan name', name, `carries ${on.map((q) => q.device).join(', ')}: delete ${on.length === 1 ? 'that VLAN' : 'those VLANs'} first`)]);
  const gone = [p.file];
  if (p.store === 'ifcfg') {
    for (const f of [`route-${name}`, `route6-${name}`]) {
      const path = join(PATHS.networkScripts, f);
      if (ctx.files.get(path)) gone.push(path);
    }
  }
  gone.forEach(ctx.remove);
  const notes = [`${gone.join(' and ')} ${gone.length === 1 ? 'is' : 'are'} removed (kept in the backup: ttyconf restore brings ${name} back)`];
  return { ok: true, action: { kind: 'vlan', name, file: p.file, before: p.vlan!, after: null, uuid: p.uuid, ipv4: NO_IPV4, nmControlled: p.nmControlled }, notes };
}

/** Plans one VLAN change; an error per broken rule. */
export function planVlan(ctx: VlanPlanContext, c: VlanChange): VlanPlanResult {
  switch (c.kind) {
    case 'vlan-add': return add(ctx, c.name, c.vlan);
    case 'vlan-id': return retag(ctx, c.name, c.id);
    case 'vlan-del': return remove(ctx, c.name);
  }
}

/** The VLAN action a profile file's change amounts to (a restore), or null when neither side is a VLAN. */
export function vlanActionOf(path: string, before: Profile | undefined, after: Profile | undefined): VlanAction | null {
  if (!before?.vlan && !after?.vlan) return null;
  // The same VLAN on both sides: only its addresses change, as for any interface.
  if (before?.vlan && after?.vlan && before.vlan.parent === after.vlan.parent && before.vlan.id === after.vlan.id) return null;
  const name = after?.device || before?.device || basename(path);
  return {
    kind: 'vlan', name, file: path, before: before?.vlan ?? null, after: after?.vlan ?? null, uuid: after?.uuid ?? before?.uuid ?? null,
    ipv4: { before: ipv4TargetOf(before), after: ipv4TargetOf(after) }, nmControlled: (after ?? before)?.nmControlled ?? true,
  };
}
