// A restore through the apply engine on a scripted machine (helpers/fakeSystem.ts): it is applied,
// verified and kept like any change, and when its check fails it is rolled back (the files as they
// were before the restore, byte for byte) and the audit log says so.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIT_FILE } from '../../src/apply/audit.js';
import { openRoot, preparePlan, readCurrent } from '../../src/core.js';
import { listBackups } from '../../src/files/backups.js';
import type { Change } from '../../src/model/types.js';
import { planRestore } from '../../src/restore.js';
import { planReset } from '../../src/reset.js';
import { executePlan } from '../../src/transaction.js';
import { FakeSystem } from './helpers/fakeSystem.js';
import { IFCFG, removeRoot, tempRoot } from '../helpers/tree.js';

const ETH0 = `${IFCFG}/ifcfg-eth0`;
const staticEth0: Change = { kind: 'ip', device: 'eth0', ipv4: { method: 'static', address: { address: '192.0.2.10', prefix: 24 }, gateway: '192.0.2.1' } };
const actor = { user: 'admin', tty: 'ttyS0' };

let roots: string[] = [];
afterEach(() => {
  roots.forEach(removeRoot);
  roots = [];
});

async function changed(): Promise<{ root: string; fake: FakeSystem; original: string; id: string }> {
  const root = tempRoot();
  roots.push(root);
  const original = readFileSync(join(root, ETH0), 'latin1');
  const fake = new FakeSystem(root);
  const cur = await readCurrent(openRoot(root), { run: null });
  const plan = preparePlan(cur, [staticEth0]);
  if (!plan.ok) throw new Error('plan');
  const o = await executePlan(cur, plan.value, { apply: true, stack: 'nm', confirmKeep: async () => true, actor, ...fake.options });
  expect(o).toMatchObject({ kind: 'applied', kept: 'confirmed' });
  const { backups } = await listBackups(openRoot(root));
  return { root, fake, original, id: backups[0]!.id };
}

const audit = (root: string): string[] => readFileSync(join(root, AUDIT_FILE), 'utf8').trimEnd().split('\n').map((l) => l.replace(/^\S+ /, ''));

describe('restore on the running system', () => {
  it('applies the old profile, verifies the DHCP lease, asks, keeps', async () => {
    const { root, fake, original, id } = await changed();
    const cur = await readCurrent(openRoot(root), { run: null });
    const plan = await planRestore(cur, id);
    if (!plan.ok) throw new Error(plan.error.join('; '));
    expect(plan.value.changes).toEqual([{ kind: 'ip', device: 'eth0', ipv4: { method: 'dhcp' } }]);
    let asked = false;
    const o = await executePlan(cur, plan.value, { apply: true, stack: 'nm', confirmKeep: async () => (asked = true), actor, ...fake.options });
    expect(o).toMatchObject({ kind: 'applied', kept: 'confirmed' });
    expect(asked).toBe(true);
    expect(readFileSync(join(root, ETH0), 'latin1')).toBe(original);
    expect(fake.kernel.addrs.eth0).toEqual([{ address: '192.0.2.115', prefix: 24, dynamic: true }]);
    const { backups } = await listBackups(openRoot(root));
    expect(backups[0]!.change).toMatchObject({ kind: 'restore', user: 'admin', tty: 'ttyS0', of: id });
    expect(audit(root)[1]).toBe(
      `daemon.notice restore of backup ${id} by admin on ttyS0, backup ${backups[0]!.id}: applied and kept: eth0 method: static -> dhcp; eth0 address: 192.0.2.10/24 -> (none); eth0 gateway: 192.0.2.1 -> (none)`);
  });

  it('a restore whose check fails is rolled back: the files as before the restore, the static address back', async () => {
    const { root, fake, id } = await changed();
    const beforeRestore = readFileSync(join(root, ETH0), 'latin1');
    // The DHCP lease comes, but its gateway does not answer.
    fake.kernel.answering.delete('192.0.2.1');
    const cur = await readCurrent(openRoot(root), { run: null });
    const plan = await planRestore(cur, id);
    if (!plan.ok) throw new Error(plan.error.join('; '));
    const o = await executePlan(cur, plan.value, { apply: true, stack: 'nm', confirmKeep: async () => true, actor, ...fake.options });
    expect(o).toMatchObject({ kind: 'rolled-back', restored: true });
    if (o.kind !== 'rolled-back') return;
    expect(o.reason).toMatch(/^check "gateway 192\.0\.2\.1" failed: /);
    expect(readFileSync(join(root, ETH0), 'latin1')).toBe(beforeRestore);
    expect(fake.kernel.addrs.eth0).toEqual([{ address: '192.0.2.10', prefix: 24, dynamic: false }]);
    expect(audit(root)[1]).toBe(
      `daemon.warning restore of backup ${id} by admin on ttyS0, backup ${o.commit.backupDir.split('/').pop()}: rolled back (${o.reason}); the old settings are back: eth0 method: static -> dhcp; eth0 address: 192.0.2.10/24 -> (none); eth0 gateway: 192.0.2.1 -> (none)`);
  });

  it('the emergency reset applies DHCP on the interface and verifies the lease', async () => {
    const { root, fake } = await changed();
    const cur = await readCurrent(openRoot(root), { run: null });
    const plan = planReset(cur, 'eth0');
    if (!plan.ok) throw new Error('plan');
    const o = await executePlan(cur, plan.value, { apply: true, stack: 'nm', confirmKeep: async () => true, actor, ...fake.options });
    expect(o).toMatchObject({ kind: 'applied', kept: 'confirmed' });
    expect(fake.kernel.addrs.eth0).toEqual([{ address: '192.0.2.115', prefix: 24, dynamic: true }]);
    expect(audit(root)[1]).toMatch(/^daemon\.notice reset of eth0 to DHCP by admin on ttyS0, backup \d{8}-\d{6}-[0-9a-f]{4}: applied and kept: eth0 method: static -> dhcp; /);
  });
});
