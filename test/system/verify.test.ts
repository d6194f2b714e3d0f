// The pure verification: wanted vs what the running system shows, one "wanted X, got Y" per check.
import { describe, expect, it } from 'vitest';
import { type Observed, type Wanted, firstFailure, gatewayToProbe, verify } from '../../src/apply/verify.js';
import type { LiveNet } from '../../src/model/live.js';

const live = (over: Partial<LiveNet> = {}): LiveNet => ({
  addresses: { eth0: [{ address: '192.0.2.10', prefix: 24, dynamic: false }] },
  defaultRoute: { via: '192.0.2.1', dev: 'eth0' },
  hostname: 'box1',
  ...over,
});

const staticEth0: Wanted = {
  interfaces: [{ device: 'eth0', target: { method: 'static', addresses: [{ address: '192.0.2.10', prefix: 24 }], gateway: '192.0.2.1' }, defaultRoute: { via: '192.0.2.1' } }],
  dns: { servers: ['192.0.2.53'], required: true },
  hostname: 'box1',
};

const answered = { answered: true, detail: '192.0.2.1 answered ping on eth0' };

interface Case {
  readonly name: string;
  readonly wanted: Wanted;
  readonly observed: Observed;
  readonly expected: readonly (readonly [string, string, string])[];
}

const cases: Case[] = [
  {
    name: 'everything as wanted',
    wanted: staticEth0,
    observed: { live: live(), gateway: { address: '192.0.2.1', device: 'eth0', answer: answered }, dns: { '192.0.2.53': { answered: true, detail: '' } } },
    expected: [
      ['eth0 address', 'passed', 'wanted 192.0.2.10/24, got 192.0.2.10/24'],
      ['default route', 'passed', 'wanted default via 192.0.2.1 dev eth0, got default via 192.0.2.1 dev eth0'],
      ['gateway 192.0.2.1', 'passed', '192.0.2.1 answered ping on eth0'],
      ['DNS 192.0.2.53', 'passed', 'answered a query'],
      ['hostname', 'passed', 'wanted box1, got box1'],
    ],
  },
  {
    // NetworkManager: a VLAN with a gateway gets its own default route (metric 400) behind eth0's (100).
    name: 'a second default route behind another device\'s lower metric is there: passed, saying so',
    wanted: {
      interfaces: [{ device: 'lab0.100', target: { method: 'static', addresses: [{ address: '10.100.0.2', prefix: 24 }], gateway: '10.100.0.1' }, defaultRoute: { via: '10.100.0.1' } }],
      dns: { servers: [], required: false },
      hostname: null,
    },
    observed: {
      live: live({
        addresses: { 'lab0.100': [{ address: '10.100.0.2', prefix: 24, dynamic: false }] },
        defaultRoutes: [{ via: '192.0.2.1', dev: 'eth0' }, { via: '10.100.0.1', dev: 'lab0.100' }],
      }),
      gateway: { address: '10.100.0.1', device: 'lab0.100', answer: { answered: true, detail: '10.100.0.1 answered ping on lab0.100' } },
      dns: {},
    },
    expected: [
      ['lab0.100 address', 'passed', 'wanted 10.100.0.2/24, got 10.100.0.2/24'],
      ['default route', 'passed', 'wanted default via 10.100.0.1 dev lab0.100, got default via 10.100.0.1 dev lab0.100, behind default via 192.0.2.1 dev eth0 (a lower metric)'],
      ['gateway 10.100.0.1', 'passed', '10.100.0.1 answered ping on lab0.100'],
      ['DNS', 'skipped', 'no DNS server is set'],
    ],
  },
  {
    name: 'wrong address and route: gateway and DNS are not asked',
    wanted: staticEth0,
    observed: { live: live({ addresses: { eth0: [{ address: '192.0.2.9', prefix: 24, dynamic: false }] }, defaultRoute: null }), dns: {} },
    expected: [
      ['eth0 address', 'failed', 'wanted 192.0.2.10/24, got 192.0.2.9/24'],
      ['default route', 'failed', 'wanted default via 192.0.2.1 dev eth0, got no default route'],
      ['gateway 192.0.2.1', 'skipped', 'not tested: the address or route is wrong'],
      ['DNS 192.0.2.53', 'skipped', 'not tested: the address or route is wrong'],
      ['hostname', 'passed', 'wanted box1, got box1'],
    ],
  },
  {
    name: 'DHCP: any address is a lease; a link-local one is not',
    wanted: { interfaces: [{ device: 'eth0', target: { method: 'dhcp' }, defaultRoute: 'dhcp' }], dns: { servers: [], required: false }, hostname: null },
    observed: { live: live({ addresses: { eth0: [{ address: '169.254.3.4', prefix: 16, dynamic: false }] }, defaultRoute: null }), dns: {} },
    expected: [
      ['eth0 DHCP lease', 'failed', 'wanted a DHCP address, got none'],
      ['default route', 'failed', 'wanted a default route via eth0 (from DHCP), got no default route'],
      ['DNS', 'skipped', 'no DNS server is set'],
    ],
  },
  {
    name: 'a gateway that does not answer, a DNS server that does not',
    wanted: staticEth0,
    observed: {
      live: live(),
      gateway: { address: '192.0.2.1', device: 'eth0', answer: { answered: false, detail: '192.0.2.1 does not answer (3 pings, arping on eth0)' } },
      dns: { '192.0.2.53': { answered: false, detail: '192.0.2.53: no answer (timed out)' } },
    },
    expected: [
      ['eth0 address', 'passed', 'wanted 192.0.2.10/24, got 192.0.2.10/24'],
      ['default route', 'passed', 'wanted default via 192.0.2.1 dev eth0, got default via 192.0.2.1 dev eth0'],
      ['gateway 192.0.2.1', 'failed', '192.0.2.1 does not answer (3 pings, arping on eth0)'],
      ['DNS 192.0.2.53', 'failed', '192.0.2.53: no answer (timed out)'],
      ['hostname', 'passed', 'wanted box1, got box1'],
    ],
  },
];

describe('verify', () => {
  for (const c of cases) {
    it(c.name, () => {
      expect(verify(c.wanted, c.observed).map((x) => [x.name, x.status, x.detail])).toEqual(c.expected);
    });
  }

  it('the first required failure decides; an optional one only warns', () => {
    const checks = verify({ ...staticEth0, dns: { servers: ['192.0.2.53'], required: false } }, {
      live: live(),
      gateway: { address: '192.0.2.1', device: 'eth0', answer: answered },
      dns: { '192.0.2.53': { answered: false, detail: 'x' } },
    });
    expect(firstFailure(checks)).toBeNull();
    expect(checks.find((c) => c.name === 'DNS 192.0.2.53')).toMatchObject({ status: 'failed', required: false, passed: false });
  });

  it('asks the wanted gateway; with none wanted, the live default route, for information only', () => {
    expect(gatewayToProbe(staticEth0, live())).toEqual({ address: '192.0.2.1', device: 'eth0', required: true });
    expect(gatewayToProbe({ interfaces: [], dns: { servers: [], required: false }, hostname: 'x' }, live())).toEqual({ address: '192.0.2.1', device: 'eth0', required: false });
  });
});
