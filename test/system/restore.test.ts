// A restore through the apply engine on a scripted machine (helpers/fakeSystem.ts): it is applied,
// verified and kept like any change, and when its check fails it is rolled back (the files as they
// were before the restore, byte for byte) and the audit log says so.
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIT_FILE } from '../../src/apply/audit.js';
import { openRoot, readCurrent } from '../../src/core.js';
import { preparePlan } from '../../src/plan.js';
import { listBackups } from '../../src/files/backups.js';
import { atomicCommit } from '../../src/files/commit.js';
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
      `daemon.notice restore of backup ${id} by admin on ttyS0, backup ${backups[0]!.id}: applied and kept: eth0 method: static -> DHCP; eth0 address: 192.0.2.10/24 -> (none); eth0 gateway: 192.0.2.1 -> (none)`);
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
      `daemon.warning restore of backup ${id} by admin on ttyS0, backup ${o.commit.backupDir.split('/').pop()}: rolled back (${o.reason}); the old settings are back: eth0 method: static -> DHCP; eth0 address: 192.0.2.10/24 -> (none); eth0 gateway: 192.0.2.1 -> (none)`);
  });

  it('the emergency reset applies DHCP on the interface and verifies the lease', async () => {
    const { root, fake } = await changed();
    const cur = await readCurrent(openRoot(root), { run: null });
    const plan = planReset(cur, 'eth0');
    if (!plan.ok) throw new Error('plan');
    const o = await executePlan(cur, plan.value, { apply: true, stack: 'nm', confirmKeep: async () => true, actor, ...fake.options });
    expect(o).toMatchObject({ kind: 'applied', kept: 'confirmed' });
    expect(fake.kernel.addrs.eth0).toEqual([{ address: '192.0.2.115', prefix: 24, dynamic: true }]);
    expect(audit(root)[1]).toMatch(/^daemon\.notice reset of eth0 to DHCP by admin on ttyS0, backup \d{8}-\d{6}-[0-9a-f]{4}: applied and kept: eth0 method: static -> DHCP; /);
  });

  it('network-scripts: a restore that removes a profile ttyconf created takes the device down and is kept', async () => {
    const root = tempRoot();
    roots.push(root);
    cpSync(join(root, 'sys/class/net/eth1'), join(root, 'sys/class/net/eth2'), { recursive: true });
    const fake = new FakeSystem(root);
    let cur = await readCurrent(openRoot(root), { run: null });
    const created = preparePlan(cur, [{ kind: 'ip', device: 'eth2', ipv4: { method: 'static', address: { address: '203.0.113.5', prefix: 24 }, gateway: null } }]);
    if (!created.ok) throw new Error('plan');
    expect(await executePlan(cur, created.value, { apply: true, stack: 'network-scripts', actor, ...fake.options })).toMatchObject({ kind: 'applied' });
    expect(fake.kernel.addrs.eth2).toEqual([{ address: '203.0.113.5', prefix: 24, dynamic: false }]);
    const { backups } = await listBackups(openRoot(root));
    cur = await readCurrent(openRoot(root), { run: null });
    const plan = await planRestore(cur, backups[0]!.id);
    if (!plan.ok) throw new Error(plan.error.join('; '));
    fake.calls.length = 0;
    const o = await executePlan(cur, plan.value, { apply: true, stack: 'network-scripts', actor, ...fake.options });
    expect(o).toMatchObject({ kind: 'applied' });
    expect(fake.commands).toEqual([['ifdown', 'eth2']]);
    expect(existsSync(join(root, `${IFCFG}/ifcfg-eth2`))).toBe(false);
    expect(fake.kernel.addrs.eth2).toEqual([]);
  });
});

describe('a commit that removes a file', () => {
  it('backs it up first, and puts it back when a later rename fails', async () => {
    const root = tempRoot();
    roots.push(root);
    const eth1 = readFileSync(join(root, `${IFCFG}/ifcfg-eth1`), 'latin1');
    const hosts = readFileSync(join(root, 'etc/hosts'), 'latin1');
    const r = await atomicCommit(openRoot(root), [
      { path: `${IFCFG}/ifcfg-eth1`, content: Buffer.alloc(0), remove: true },
      { path: 'etc/hosts', content: Buffer.from('new\n') },
    ], { beforeRename: (p) => { if (p === 'etc/hosts') throw new Error('disk full'); } });
    expect(r.ok ? null : r.error).toEqual({ file: 'etc/hosts', cause: 'disk full', restored: true, unrestored: [], replacedAny: true });
    expect(readFileSync(join(root, `${IFCFG}/ifcfg-eth1`), 'latin1')).toBe(eth1);
    expect(readFileSync(join(root, 'etc/hosts'), 'latin1')).toBe(hosts);
  });
});
