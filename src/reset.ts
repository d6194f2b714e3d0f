// The emergency reset: one interface back to DHCP with no static DNS of its own. It is `set ip DEV
// dhcp` (the same edit of the device's profile, ifcfg-DEV or its keyfile, and the managed /etc/hosts
// line follows the address as it does there) plus the removal of that profile's own DNS settings
// (ifcfg: DNSn, DOMAIN, PEERDNS; keyfile: dns, dns-search, ignore-auto-dns in [ipv4]), so the DHCP
// server's DNS settings are used. No other file and no other interface changes.
import type { Current } from './core.js';
import { preparePlan } from './plan.js';
import { KeyFile } from './files/keyfile.js';
import { editKeyfileDns } from './files/nmProfile.js';
import { profileFor } from './files/read.js';
import { ShellVarsFile } from './files/shellVars.js';
import type { PlanError } from './model/planError.js';
import { type Result, ok } from './model/result.js';
import { validateIp } from './model/validate.js';
import type { Action, Plan, SummaryLine } from './plan.js';
import { meaningSummary } from './planSummary.js';
import { dnsInUse, interfaceAction, interfaceActions, rollbackLimits } from './planTargets.js';

const DNS_KEYS = /^(DNS\d+|DOMAIN|PEERDNS)$/;
const KEYFILE_DNS_KEYS = ['dns', 'dns-search', 'ignore-auto-dns'];

/** The profile's bytes without its own DNS settings, or null when it has none. */
function withoutDns(store: 'ifcfg' | 'keyfile', bytes: Buffer): Buffer | null {
  if (store === 'keyfile') {
    const parsed = KeyFile.parse(bytes.toString('latin1'));
    // A keyfile NetworkManager cannot read owns no device (see nmStore.ts), so it is never here.
    if (!parsed.ok) return null;
    const doc = parsed.value;
    if (!KEYFILE_DNS_KEYS.some((k) => doc.get('ipv4', k) !== undefined)) return null;
    editKeyfileDns(doc, null, true);
    doc.delete('ipv4', 'ignore-auto-dns');
    return doc.toBuffer();
  }
  const doc = ShellVarsFile.fromBuffer(bytes);
  if (!doc.keys().some((k) => DNS_KEYS.test(k))) return null;
  doc.deleteMatching(DNS_KEYS);
  return doc.toBuffer();
}

/** What the reset does, in one sentence (the CLI prints it, the UI shows it before the review). */
export const resetText = (device: string): string =>
  `Emergency reset of ${device}: DHCP, and no static DNS servers or search domains of its own (the DHCP server's are used). No other interface and no other setting changes.`;

const sameLine = (a: SummaryLine, b: SummaryLine): boolean => a.field === b.field && a.old === b.old && a.new === b.new;

/** `lines` with the `stale` ones replaced by `fresh`, where the first stale one stood (else first). */
function replaceLines(lines: readonly SummaryLine[], stale: readonly SummaryLine[], fresh: readonly SummaryLine[]): SummaryLine[] {
  const isStale = (l: SummaryLine): boolean => stale.some((s) => sameLine(s, l));
  const at = Math.max(0, lines.findIndex(isStale));
  const kept = lines.filter((l) => !isStale(l));
  const before = lines.slice(0, at).filter((l) => !isStale(l)).length;
  return [...kept.slice(0, before), ...fresh, ...kept.slice(before)];
}

export function planReset(current: Current, device: string): Result<Plan, PlanError[]> {
  const change = validateIp({ device, method: 'dhcp' });
  if (!change.ok) return change;
  const planned = preparePlan(current, [change.value]);
  if (!planned.ok) return planned;
  const base = planned.value;
  const profile = profileFor(current.snapshot.state, device);
  // Without a profile the plan makes a new file, which has no DNS settings to remove. The file edited
  // is the plan's: a keyfile in /usr/lib is changed through its copy in /etc (editPath).
  const file = profile?.editPath;
  let summary: readonly SummaryLine[] = base.summary;
  let edits = base.edits;
  if (profile && file) {
    const prior = base.edits.find((e) => e.path === file);
    const after = withoutDns(profile.store, prior?.after ?? current.snapshot.files.get(profile.file) ?? Buffer.alloc(0));
    if (after) {
      const before = current.snapshot.files.get(file) ?? null;
      const edit = { path: file, before, after };
      edits = [...base.edits.filter((e) => e.path !== file), edit];
      // The profile's lines are read again from its final bytes, with the review's summary code.
      summary = replaceLines(base.summary, prior ? meaningSummary([prior]) : [], meaningSummary([edit]));
    }
  }
  // The profile's bytes changed after the plan was made: each device's settings are read again from the final edits.
  const state = current.snapshot.state;
  const applied = base.actions.some((a) => a.kind === 'interface' && a.device === device);
  const actions: Action[] = base.actions.map((a) => (a.kind === 'interface' ? interfaceAction(state, edits, a.device, a.file) : a));
  if (file && !applied && edits.some((e) => e.path === file)) actions.unshift(interfaceAction(state, edits, device, file));
  const dns = dnsInUse(state, current.live, edits);
  const limits = rollbackLimits(interfaceActions(actions));
  return ok({ ...base, edits, summary, actions, dns, rollbackLimits: limits, notes: [resetText(device), ...base.notes], origin: { kind: 'reset', device } });
}

