// Which stack is in charge: the nmcli parsers, the decision, per-device exceptions, and the runner calls.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Root } from '../../src/files/root.js';
import type { Profile } from '../../src/model/state.js';
import type { CommandResult, Runner } from '../../src/system/run.js';
import {
  decideStack, detectStack, parseNmConnections, parseNmDevices, parseNmRunning, resolveStack, splitTerse, stackForDevice,
} from '../../src/system/stack.js';
import { removeRoot, tempRoot } from '../helpers/tree.js';

const result = (command: string[], r: Partial<CommandResult>): CommandResult =>
  ({ command, exitCode: 0, stdout: '', stderr: '', timedOut: false, failedToStart: null, durationMs: 1, ...r });

function runner(table: Record<string, Partial<CommandResult>>): { run: Runner; calls: string[][] } {
  const calls: string[][] = [];
  const run: Runner = async (file, args, opts) => {
    const argv = [file, ...args];
    calls.push([...argv, `timeout=${opts?.timeoutMs}`]);
    return result(argv, table[argv.join(' ')] ?? { exitCode: null, failedToStart: 'ENOENT' });
  };
  return { run, calls };
}

const profile = (device: string, nmControlled = true): Profile => ({
  store: 'ifcfg', file: `etc/sysconfig/network-scripts/ifcfg-${device}`, editPath: `etc/sysconfig/network-scripts/ifcfg-${device}`,
  binding: 'name', priority: 0, readOnly: null, device, name: device, uuid: null, hwaddr: null, method: 'dhcp', bootproto: 'dhcp',
  addresses: [], gateway: null, defroute: true, onboot: true, dns: [], domains: [], peerdns: true, nmControlled,
});

let roots: string[] = [];
afterEach(() => {
  roots.forEach(removeRoot);
  roots = [];
});

describe('nmcli terse output', () => {
  it('splits on unescaped colons and unescapes \\: and \\\\', () => {
    expect(splitTerse('Wired\\: office:abc:802-3-ethernet:eth0:/etc/x\\\\y')).toEqual(['Wired: office', 'abc', '802-3-ethernet', 'eth0', '/etc/x\\y']);
  });

  it('reads RUNNING, devices and connections', () => {
    expect(parseNmRunning('running\n')).toBe(true);
    expect(parseNmRunning('asleep\n')).toBe(false);
    expect(parseNmDevices('eth0:ethernet:connected:System eth0\neth1:ethernet:unmanaged:\nlo:loopback:unmanaged:--\n')).toEqual([
      { device: 'eth0', type: 'ethernet', state: 'connected', connection: 'System eth0' },
      { device: 'eth1', type: 'ethernet', state: 'unmanaged', connection: null },
      { device: 'lo', type: 'loopback', state: 'unmanaged', connection: null },
    ]);
    expect(parseNmConnections('System eth0:5fb06bd0-0bb0-7ffb-45f1-d6edd65f3e03:802-3-ethernet:eth0:/etc/sysconfig/network-scripts/ifcfg-eth0\n')).toEqual([
      { name: 'System eth0', uuid: '5fb06bd0-0bb0-7ffb-45f1-d6edd65f3e03', type: '802-3-ethernet', device: 'eth0', filename: '/etc/sysconfig/network-scripts/ifcfg-eth0' },
    ]);
  });
});

describe('deciding the stack', () => {
  it('NetworkManager when it runs, else network-scripts when installed, else iproute2', () => {
    expect(decideStack(true, true).name).toBe('nm');
    expect(decideStack(false, true).name).toBe('network-scripts');
    expect(decideStack(false, false).name).toBe('iproute2');
  });

  it('asks nmcli with a timeout, and lists devices and connections when NetworkManager runs', async () => {
    const r = tempRoot(null);
    roots.push(r);
    const { run, calls } = runner({
      'nmcli -t -f RUNNING general': { stdout: 'running\n' },
      'nmcli -t -f DEVICE,TYPE,STATE,CONNECTION device': { stdout: 'eth0:ethernet:connected:System eth0\neth1:ethernet:unmanaged:\n' },
      'nmcli -t -f NAME,UUID,TYPE,DEVICE,FILENAME connection show': { stdout: 'System eth0:u-1:802-3-ethernet:eth0:/etc/sysconfig/network-scripts/ifcfg-eth0\n' },
    });
    const info = await detectStack(new Root(r), run);
    expect(calls).toEqual([
      ['nmcli', '-t', '-f', 'RUNNING', 'general', 'timeout=5000'],
      ['nmcli', '-t', '-f', 'DEVICE,TYPE,STATE,CONNECTION', 'device', 'timeout=5000'],
      ['nmcli', '-t', '-f', 'NAME,UUID,TYPE,DEVICE,FILENAME', 'connection', 'show', 'timeout=5000'],
    ]);
    expect(info.name).toBe('nm');
    expect(stackForDevice(info, 'eth0', profile('eth0')).stack).toBe('nm');
    // Unmanaged by NM and no network-scripts installed: ttyconf applies it itself.
    expect(stackForDevice(info, 'eth1', profile('eth1'))).toMatchObject({ stack: 'iproute2', why: 'NetworkManager does not manage eth1 (unmanaged)' });
    // NM_CONTROLLED=no wins over NM's view.
    expect(stackForDevice(info, 'eth0', profile('eth0', false))).toMatchObject({ stack: 'iproute2', why: expect.stringContaining('NM_CONTROLLED=no') });
  });

  it('a slow nmcli is asked again with more time, never read as "NetworkManager is not running"', async () => {
    // Seen in the boot test's NetworkManager guest: nmcli took longer than 5 s while NetworkManager
    // was busy, and ttyconf applied with iproute2 behind its back.
    const r = tempRoot(null);
    roots.push(r);
    const calls: string[][] = [];
    const answers: Record<string, string> = {
      'nmcli -t -f RUNNING general': 'running\n',
      'nmcli -t -f DEVICE,TYPE,STATE,CONNECTION device': 'eth0:ethernet:connected:System eth0\n',
      'nmcli -t -f NAME,UUID,TYPE,DEVICE,FILENAME connection show': 'System eth0:u-1:802-3-ethernet:eth0:/etc/sysconfig/network-scripts/ifcfg-eth0\n',
    };
    const slowFirst: Runner = async (file, args, opts) => {
      const argv = [file, ...args];
      const key = argv.join(' ');
      const seen = calls.filter((c) => c.slice(0, -1).join(' ') === key).length;
      calls.push([...argv, `timeout=${opts?.timeoutMs}`]);
      return result(argv, seen === 0 ? { exitCode: null, timedOut: true } : { stdout: answers[key] ?? '' });
    };
    const info = await detectStack(new Root(r), slowFirst);
    expect(info).toMatchObject({ name: 'nm', nmRunning: true });
    expect(stackForDevice(info, 'eth0', profile('eth0')).stack).toBe('nm');
    expect(calls.slice(0, 2)).toEqual([
      ['nmcli', '-t', '-f', 'RUNNING', 'general', 'timeout=5000'],
      ['nmcli', '-t', '-f', 'RUNNING', 'general', 'timeout=30000'],
    ]);
    expect(calls).toHaveLength(6);
  });

  it('nmcli missing or NetworkManager stopped: network-scripts where ifup-eth exists', async () => {
    const r = tempRoot(null);
    roots.push(r);
    mkdirSync(join(r, 'etc/sysconfig/network-scripts'), { recursive: true });
    writeFileSync(join(r, 'etc/sysconfig/network-scripts/ifup-eth'), '#!/bin/bash\n');
    const stopped = runner({ 'nmcli -t -f RUNNING general': { exitCode: 8, stderr: 'Error: NetworkManager is not running.' } });
    const info = await detectStack(new Root(r), stopped.run);
    expect(info).toMatchObject({ name: 'network-scripts', nmRunning: false, legacyAvailable: true });
    expect(stopped.calls).toHaveLength(1);
    const bare = tempRoot(null);
    roots.push(bare);
    expect((await detectStack(new Root(bare), runner({}).run)).name).toBe('iproute2');
  });

  it('--stack overrides; a root other than / is iproute2 without asking anything', async () => {
    const r = tempRoot(null);
    roots.push(r);
    const { run, calls } = runner({});
    expect(await resolveStack(new Root(r), run)).toMatchObject({ name: 'iproute2', source: 'root' });
    expect(await resolveStack(new Root(r), run, 'nm')).toMatchObject({ name: 'nm', source: 'option' });
    expect(calls).toEqual([]);
  });
});
