// The IPv6 part of a plan: which profile file an `ip6` change edits, and the edit. Pure: the plan
// hands over its documents (plan.ts), so an IPv4 and an IPv6 change to one file make one edit.
import { type FieldError, fieldError } from './model/fieldError.js';
import { type Ip6Change, ipv6Remarks } from './model/ipv6.js';
import { type FilesState, readOnlyReason } from './model/state.js';
import type { LiveState } from './model/live.js';
import { profileFor } from './files/read.js';
import { editIfcfgIpv6 } from './files/ifcfgIpv6.js';
import { editKeyfileIpv6 } from './files/keyfileIpv6.js';
import type { KeyFile } from './files/keyfile.js';
import type { ShellVarsFile } from './files/shellVars.js';

export interface Ipv6PlanContext {
  readonly state: FilesState;
  readonly live: LiveState | null | undefined;
  /** Profiles the same plan creates or edits already, by device: their path. */
  readonly touched: ReadonlyMap<string, string>;
  /** The ifcfg document at a path, as the plan holds it. */
  readonly ifcfg: (path: string) => ShellVarsFile;
  /** The keyfile at a path, as the plan holds it (`from`: its bytes now). */
  readonly keyfile: (path: string, from: Buffer | null | undefined) => KeyFile;
  /** True when the plan already holds a keyfile at this path (a profile it creates). */
  readonly isKeyfile: (path: string) => boolean;
  readonly files: ReadonlyMap<string, Buffer | null>;
}

export type Ipv6PlanResult =
  | { readonly ok: true; readonly path: string; readonly notes: readonly string[] }
  | { readonly ok: false; readonly error: FieldError };

/** Edits the profile of the change's device; an error when there is none or it may not change. */
export function planIpv6(ctx: Ipv6PlanContext, c: Ip6Change): Ipv6PlanResult {
  const profile = profileFor(ctx.state, c.device);
  const readOnly = readOnlyReason(ctx.state, c.device);
  if (readOnly) return { ok: false, error: fieldError('device', c.device, `cannot be changed by ttyconf: ${readOnly}`) };
  const created = ctx.touched.get(c.device);
  if (!profile && !created) {
    const links = ctx.live?.links ?? [];
    const known = links.length && !links.some((l) => l.name === c.device)
      ? ` and is not an interface of this machine (known: ${links.map((l) => l.name).join(', ')})` : '';
    return { ok: false, error: fieldError('device', c.device, `has no profile${known}: set its IPv4 first (set ip), which makes one`) };
  }
  const path = profile?.editPath ?? created!;
  const isKeyfile = profile ? profile.store === 'keyfile' : ctx.isKeyfile(path);
  const notes = ipv6Remarks(c.device, c.ipv6);
  if (isKeyfile) {
    const dropped = editKeyfileIpv6(ctx.keyfile(path, profile ? ctx.files.get(profile.file) : null), c.ipv6);
    if (dropped.length) notes.push(`${dropped.join(' and ')} removed from ${path}: NetworkManager refuses them while IPv6 is off`);
  } else editIfcfgIpv6(ctx.ifcfg(path), c.device, c.ipv6);
  return { ok: true, path, notes };
}
