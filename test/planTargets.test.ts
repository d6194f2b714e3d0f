// The plan carries what each device must end up with and what it had: the engine applies, verifies
// and rolls back from these without reading the files again, and the review says what a rollback
// cannot put back exactly.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSnapshot } from '../src/files/read.js';
import { Root } from '../src/files/root.js';
import { type Plan, planChanges } from '../src/plan.js';
import { interfaceActions } from '../src/planTargets.js';
import type { Change } from '../src/model/types.js';
import { reviewLines } from '../src/ui/review.js';
import { IFCFG, useTempRoots } from './helpers/tree.js';

const tempRoot = useTempRoots();
const plan = (root: string, changes: readonly Change[]): Plan => {
  const p = planChanges(readSnapshot(new Root(root)), changes, { newUuid: () => '5fb06bd0-0bb0-7ffb-45f1-d6edd65f3e03' });
  if (!p.ok) throw new Error(JSON.stringify(p.error));
  return p.value;
};
const staticEth0: Change = { kind: 'ip', device: 'eth0', ipv4: { method: 'static', address: { address: '192.0.2.10', prefix: 24 }, gateway: '192.0.2.1' } };
const reviewText = (p: Plan): string => reviewLines(p, { applyToSystem: true, filesOnlyReason: null }, 78).map((l) => l.map((s) => s.text).join('')).join('\n');

describe('each device the plan applies carries its settings before and after the change', () => {
  it('DHCP -> static: both sides, read from the bytes the plan writes and the bytes it replaces', () => {
    const p = plan(tempRoot(), [staticEth0]);
    const [a] = interfaceActions(p.actions);
    expect(a).toMatchObject({ device: 'eth0', file: `${IFCFG}/ifcfg-eth0`, fileBefore: true, fileAfter: true });
    expect(a!.after.ipv4).toEqual({ method: 'static', addresses: [{ address: '192.0.2.10', prefix: 24 }], gateway: '192.0.2.1' });
    expect(a!.before.ipv4).toEqual({ method: 'dhcp' });
    expect(a!.after.profile).toBe(`${IFCFG}/ifcfg-eth0`);
  });

  it('the review and the plan say that a rollback asks the DHCP server again', () => {
    const p = plan(tempRoot(), [staticEth0]);
    expect(p.rollbackLimits).toEqual(['eth0 uses DHCP now: a rollback asks the DHCP server again, and it may hand out another address than eth0 has now']);
    const text = reviewText(p);
    expect(text).toContain('What a rollback cannot put back exactly:');
    expect(text).toContain('eth0 uses DHCP now: a rollback asks the DHCP server again');
  });

  it('static -> static: a rollback puts everything back, and the review has no such section', () => {
    const p = plan(tempRoot(), [{ kind: 'ip', device: 'eth1', ipv4: { method: 'static', address: { address: '198.51.100.21', prefix: 24 }, gateway: null } }]);
    expect(p.rollbackLimits).toEqual([]);
    expect(interfaceActions(p.actions)[0]!.before.ipv4).toMatchObject({ method: 'static', addresses: [{ address: '198.51.100.20', prefix: 24 }] });
    expect(reviewText(p)).not.toContain('What a rollback cannot put back exactly');
  });

  it('a new profile for a device that had none: the file is new, nothing owned the device, and the review says so', () => {
    const r = tempRoot();
    rmSync(join(r, IFCFG, 'ifcfg-eth0'));
    const p = plan(r, [staticEth0]);
    const [a] = interfaceActions(p.actions);
    expect(a).toMatchObject({ fileBefore: false, fileAfter: true, before: { profile: null, ipv4: { method: 'none' } } });
    expect(a!.after.uuid).toBe('5fb06bd0-0bb0-7ffb-45f1-d6edd65f3e03');
    expect(p.rollbackLimits).toEqual([expect.stringMatching(/^eth0 had no profile: a rollback removes the new one/)]);
  });
});

describe('the DNS servers to ask after the change come from the plan', () => {
  it('a DNS change: its servers, each required to answer', () => {
    const p = plan(tempRoot(), [{ kind: 'dns', dns: { servers: ['192.0.2.53', '192.0.2.54'], search: [] } }]);
    expect(p.dns).toEqual({ servers: ['192.0.2.53', '192.0.2.54'], required: true });
  });

  it('any other change: the servers in use, asked but not required', () => {
    const r = tempRoot();
    const p = plan(r, [staticEth0]);
    const inUse = readSnapshot(new Root(r)).state.resolv.servers;
    expect(inUse.length).toBeGreaterThan(0);
    expect(p.dns).toEqual({ servers: inUse, required: false });
  });
});
