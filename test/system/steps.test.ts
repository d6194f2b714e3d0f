// The pure command lists per stack: order, arguments, timeouts, fallbacks.
import { describe, expect, it } from 'vitest';
import { type DevicePlan, type Step, applySteps } from '../../src/apply/steps.js';
import { DEFAULT_TIMEOUTS, parseTimeouts } from '../../src/apply/types.js';

const T = DEFAULT_TIMEOUTS;
const dev = (over: Partial<DevicePlan>): DevicePlan => ({
  device: 'eth0',
  stack: 'nm',
  file: '/etc/sysconfig/network-scripts/ifcfg-eth0',
  fileExists: true,
  uuid: '5fb06bd0-0bb0-7ffb-45f1-d6edd65f3e03',
  target: { method: 'static', addresses: [{ address: '192.0.2.10', prefix: 24 }], gateway: '192.0.2.1' },
  live: [{ address: '192.0.2.115', prefix: 24, dynamic: true }],
  ...over,
});

/** Each step as its commands ("a | fallback b") with timeouts, optional ones marked. */
const show = (steps: Step[]): string[] =>
  steps.map((s) => s.tries.map((c) => `${[c.file, ...c.args].join(' ')} [${c.timeoutMs}]`).join(' | then ') + (s.optional ? ' (optional)' : ''));

describe('NetworkManager', () => {
  it('loads every profile first, then reapplies each device, falling back to connection up by UUID', () => {
    const steps = applySteps({ devices: [dev({}), dev({ device: 'eth1', file: '/etc/sysconfig/network-scripts/ifcfg-eth1', uuid: null })], currentRoute: null, hostname: null }, T);
    expect(show(steps)).toEqual([
      'nmcli connection load /etc/sysconfig/network-scripts/ifcfg-eth0 [15000]',
      'nmcli connection load /etc/sysconfig/network-scripts/ifcfg-eth1 [15000]',
      'nmcli device reapply eth0 [15000] | then nmcli --wait 85 connection up uuid 5fb06bd0-0bb0-7ffb-45f1-d6edd65f3e03 [90000]',
      'nmcli device reapply eth1 [15000] | then nmcli --wait 85 device connect eth1 [90000]',
    ]);
  });

  it('a profile file that no longer exists is forgotten with connection reload', () => {
    expect(show(applySteps({ devices: [dev({ fileExists: false })], currentRoute: null, hostname: null }, T))[0]).toBe('nmcli connection reload [15000]');
  });
});

describe('network-scripts', () => {
  it('ifdown (may fail: the device may be down already), then ifup', () => {
    expect(show(applySteps({ devices: [dev({ stack: 'network-scripts' })], currentRoute: null, hostname: null }, T))).toEqual([
      'ifdown eth0 [30000] (optional)',
      'ifup eth0 [90000]',
    ]);
  });

  it('a profile that no longer exists (a restore removed it): ifdown only, as ifup has nothing to bring up', () => {
    expect(show(applySteps({ devices: [dev({ stack: 'network-scripts', fileExists: false })], currentRoute: null, hostname: null }, T))).toEqual([
      'ifdown eth0 [30000] (optional)',
    ]);
  });
});

describe('iproute2', () => {
  it('static: stops DHCP, replaces the address, then the default route', () => {
    const steps = applySteps({ devices: [dev({ stack: 'iproute2' })], currentRoute: { via: '192.0.2.1', dev: 'eth0' }, hostname: null }, T);
    expect(show(steps)).toEqual([
      'ip link set dev eth0 up [15000]',
      'dhclient -r eth0 [15000] (optional)',
      'ip -4 addr del 192.0.2.115/24 dev eth0 [15000] (optional)',
      'ip -4 addr replace 192.0.2.10/24 dev eth0 [15000]',
      'ip -4 route replace default via 192.0.2.1 dev eth0 [15000]',
    ]);
  });

  it('keeps an address it wants and removes the default route when the new settings have no gateway', () => {
    const steps = applySteps({
      devices: [dev({ stack: 'iproute2', target: { method: 'static', addresses: [{ address: '192.0.2.10', prefix: 24 }], gateway: null }, live: [{ address: '192.0.2.10', prefix: 24, dynamic: false }, { address: '192.0.2.11', prefix: 24, dynamic: false }] })],
      currentRoute: { via: '192.0.2.1', dev: 'eth0' },
      hostname: null,
    }, T);
    expect(show(steps)).toEqual([
      'ip link set dev eth0 up [15000]',
      'ip -4 addr del 192.0.2.11/24 dev eth0 [15000] (optional)',
      'ip -4 addr replace 192.0.2.10/24 dev eth0 [15000]',
      'ip -4 route del default dev eth0 [15000] (optional)',
    ]);
  });

  it('DHCP: removes static addresses and waits for a lease with the long timeout', () => {
    const steps = applySteps({ devices: [dev({ device: 'eth1', stack: 'iproute2', target: { method: 'dhcp' }, live: [{ address: '198.51.100.20', prefix: 24, dynamic: false }] })], currentRoute: null, hostname: null }, T);
    expect(show(steps)).toEqual([
      'ip link set dev eth1 up [15000]',
      'dhclient -r eth1 [15000] (optional)',
      'ip -4 addr del 198.51.100.20/24 dev eth1 [15000] (optional)',
      'dhclient -1 eth1 [90000]',
    ]);
  });

  it('rollback puts the old default route back after the devices', () => {
    const steps = applySteps({
      devices: [dev({ stack: 'iproute2', target: { method: 'static', addresses: [{ address: '192.0.2.20', prefix: 24 }], gateway: '192.0.2.1' }, live: [{ address: '192.0.2.30', prefix: 24, dynamic: false }] })],
      currentRoute: { via: '192.0.2.254', dev: 'eth0' },
      restoreRoute: { via: '192.0.2.1', dev: 'eth0' },
      hostname: null,
    }, T);
    expect(show(steps)).toEqual([
      'ip link set dev eth0 up [15000]',
      'ip -4 addr del 192.0.2.30/24 dev eth0 [15000] (optional)',
      'ip -4 addr replace 192.0.2.20/24 dev eth0 [15000]',
      'ip -4 route replace default via 192.0.2.1 dev eth0 [15000]',
    ]);
  });
});

describe('hostname', () => {
  it('hostnamectl, falling back to hostname; only hostname inside a private UTS namespace', () => {
    expect(show(applySteps({ devices: [], currentRoute: null, hostname: { name: 'box1', via: 'hostnamectl' } }, T))).toEqual([
      'hostnamectl set-hostname box1 [15000] | then hostname box1 [15000]',
    ]);
    expect(show(applySteps({ devices: [], currentRoute: null, hostname: { name: 'box1', via: 'hostname' } }, T))).toEqual(['hostname box1 [15000]']);
  });
});

describe('TTYCONF_TIMEOUTS', () => {
  it('reads NAME=SECONDS pairs and rejects what it does not know', () => {
    expect(parseTimeouts('lease=2.5, settle=1')).toEqual({ ok: true, value: { leaseMs: 2500, settleMs: 1000 } });
    expect(parseTimeouts('lease=0').ok).toBe(false);
    expect(parseTimeouts('wait=3')).toMatchObject({ ok: false, error: expect.stringContaining('command, activate, settle, lease, gateway, dns') });
  });
});
