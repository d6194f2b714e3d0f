// The CLI side of applying: which flags apply, what is refused before anything is written, and the
// stack in `show`. (The applying itself runs for real in netns.test.ts.)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { IFCFG, useTempRoots } from '../helpers/tree.js';
import { Root } from '../../src/files/root.js';
import { applyRefusal, hostnameVia, shouldApply } from '../../src/transaction.js';

const root = useTempRoots();

const ETH1 = `${IFCFG}/ifcfg-eth1`;

describe('set: apply or not', () => {
  it('with --root other than /, writes files only unless --apply is given', async () => {
    const r = root();
    const res = await cli('set', 'ip', 'eth1', 'static', '198.51.100.21/24', '--root', r);
    expect(res.code).toBe(0);
    expect(res.out).toContain('Files only: the running system was not changed.');
    expect(readFileSync(join(r, ETH1), 'utf8')).toContain('IPADDR=198.51.100.21');
  });

  it('--apply under another root in the machine\'s own network namespace is refused before writing (exit 2)', async () => {
    const r = root();
    const before = readFileSync(join(r, ETH1), 'utf8');
    const res = await cli('set', 'ip', 'eth1', 'static', '198.51.100.21/24', '--root', r, '--apply');
    expect(res.code).toBe(2);
    expect(res.err).toContain('applies only inside a network namespace of its own');
    expect(res.err).toContain('nothing was written');
    expect(readFileSync(join(r, ETH1), 'utf8')).toBe(before);
  });

  it('refuses NetworkManager or network-scripts for another root: they read /etc', async () => {
    const r = root();
    const res = await cli('set', 'hostname', 'box1', '--root', r, '--apply', '--stack', 'nm');
    expect(res.code).toBe(2);
    expect(res.err).toContain('only --stack iproute2 can apply');
  });

  it('rejects contradicting and malformed flags, naming them', async () => {
    const r = root();
    expect((await cli('set', 'hostname', 'box1', '--root', r, '--apply', '--no-apply')).err).toContain('--apply and --no-apply contradict each other');
    expect((await cli('set', 'hostname', 'box1', '--root', r, '--stack', 'systemd-networkd')).err).toContain('--stack must be nm, network-scripts or iproute2, not "systemd-networkd"');
    const t = await cli('set', 'hostname', 'box1', '--root', r, '--confirm-timeout', '0');
    expect(t.code).toBe(2);
    expect(t.err).toContain('--confirm-timeout must be a whole number of seconds');
  });

  it('policy: / applies unless --no-apply; a private namespace is required elsewhere', () => {
    const sys = new Root('/');
    const img = new Root('/mnt/image');
    expect(shouldApply(sys, { apply: false, noApply: false })).toBe(true);
    expect(shouldApply(sys, { apply: false, noApply: true })).toBe(false);
    expect(shouldApply(img, { apply: false, noApply: false })).toBe(false);
    expect(shouldApply(img, { apply: true, noApply: false })).toBe(true);
    expect(applyRefusal(sys, 'nm', false)).toBeNull();
    expect(applyRefusal(img, 'iproute2', true)).toBeNull();
    expect(applyRefusal(img, 'iproute2', false)).toContain('network namespace of its own');
    expect(hostnameVia(sys, false)).toBe('hostnamectl');
    expect(hostnameVia(img, true)).toBe('hostname');
    expect(hostnameVia(img, false)).toBeNull();
  });
});

describe('show: the stack', () => {
  it('names the stack in the text and in JSON', async () => {
    const r = root();
    const text = await cli('show', '--root', r);
    expect(text.out).toContain('Network stack:   iproute2 (--root is not /');
    const json = JSON.parse((await cli('show', '--root', r, '--json', '--stack', 'nm')).out);
    expect(json.stack).toEqual({ name: 'nm', source: 'option', why: 'chosen with --stack nm' });
    expect(json.interfaces.map((i: { name: string; stack: string }) => [i.name, i.stack])).toEqual([['eth0', 'nm'], ['eth1', 'nm']]);
  });
});

describe('test', () => {
  it('refuses a ping target that ping would read as an option', async () => {
    const res = await cli('test', '--ping', '-f');
    expect(res.code).toBe(2);
    expect(res.err).toContain('invalid ping');
  });
});

describe('one change at a time', () => {
  it('a files-only write waits for a change being applied: refused, nothing written, exit 1', async () => {
    const r = root();
    const jobs = join(r, 'var/lib/ttyconf/jobs');
    mkdirSync(jobs, { recursive: true });
    writeFileSync(join(jobs, 'active'), JSON.stringify({ id: '20260101-000000-abcd', pid: process.pid, bootId: null }));
    const before = readFileSync(join(r, ETH1), 'utf8');
    const res = await cli('set', 'ip', 'eth1', 'static', '198.51.100.21/24', '--root', r);
    expect(res.code).toBe(1);
    expect(res.err).toContain('another ttyconf change is being applied');
    expect(readFileSync(join(r, ETH1), 'utf8')).toBe(before);
  });

  it('the lock is free again after a files-only write', async () => {
    const r = root();
    expect((await cli('set', 'hostname', 'a1', '--root', r)).code).toBe(0);
    expect((await cli('set', 'hostname', 'a2', '--root', r)).code).toBe(0);
    expect(existsSync(join(r, 'var/lib/ttyconf/jobs/active'))).toBe(false);
  });
});
