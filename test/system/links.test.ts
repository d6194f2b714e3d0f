// The console's first screen reads the kernel in-process (src/system/links.ts readKernelNetInProcess):
// /proc/net/route and os.networkInterfaces() must say what `ip` says.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { interfaceAddresses, parseProcRoute } from '../../src/system/links.js';
import { type Pair, makePair, netnsUnavailable } from './helpers/netns.js';

const HEADER = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n';

describe('parseProcRoute', () => {
  it('takes the default route through a gateway with the lowest metric, in the host byte order', () => {
    const text = `${HEADER}eth0\t00000000\t010200C0\t0003\t0\t0\t200\t00000000\t0\t0\t0\n`
      + `eth1\t00000000\t0164A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n`
      + `eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n`;
    expect(parseProcRoute(text, true)).toEqual({ via: '192.168.100.1', dev: 'eth1' });
    expect(parseProcRoute(`${HEADER}eth0\t00000000\tC0000201\t0003\t0\t0\t0\t00000000\t0\t0\t0\n`, false)).toEqual({ via: '192.0.2.1', dev: 'eth0' });
  });

  it('ignores routes that are down, without a gateway, or not default', () => {
    const text = `${HEADER}eth0\t00000000\t010200C0\t0002\t0\t0\t0\t00000000\t0\t0\t0\n` // not RTF_UP
      + `eth0\t00000000\t00000000\t0001\t0\t0\t0\t00000000\t0\t0\t0\n` // no gateway
      + `eth0\t000200C0\t010200C0\t0003\t0\t0\t0\t00FFFFFF\t0\t0\t0\n`; // not default
    expect(parseProcRoute(text, true)).toBeNull();
    expect(parseProcRoute('', true)).toBeNull();
  });
});

describe('interfaceAddresses', () => {
  it('IPv4 only, labelled addresses under their device, every address of a device', () => {
    const v4 = (address: string, cidr: string) => ({ address, netmask: '', family: 'IPv4' as const, mac: '', internal: false, cidr });
    const m = interfaceAddresses({
      eth0: [v4('192.0.2.10', '192.0.2.10/24'), { address: 'fe80::1', netmask: '', family: 'IPv6', mac: '', internal: false, cidr: 'fe80::1/64', scopeid: 2 }],
      'eth0:1': [v4('198.51.100.5', '198.51.100.5/32')],
      lo: [v4('127.0.0.1', '127.0.0.1/8')],
    }, ['eth0', 'lo']);
    expect([...m]).toEqual([
      ['eth0', [{ address: '192.0.2.10', prefix: 24, dynamic: false }, { address: '198.51.100.5', prefix: 32, dynamic: false }]],
      ['lo', [{ address: '127.0.0.1', prefix: 8, dynamic: false }]],
    ]);
  });
});

const unavailable = netnsUnavailable();
const LINKS = fileURLToPath(new URL('../../dist/system/links.js', import.meta.url));
const RUN = fileURLToPath(new URL('../../dist/system/run.js', import.meta.url));

describe.skipIf(unavailable !== null)(`in-process reading equals ip's, real kernel${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let p: Pair | null = null;
  afterAll(() => p?.destroy());

  it('addresses (a labelled one too) and the default route of the lowest metric', () => {
    p = makePair();
    const ip = (...a: string[]) => execFileSync('ip', ['-n', p!.box, ...a]);
    ip('addr', 'add', '198.51.100.5/32', 'dev', 'eth0', 'label', 'eth0:1');
    ip('route', 'add', 'default', 'via', '192.0.2.254', 'dev', 'eth0', 'metric', '500');
    const script = `
      const links = await import(${JSON.stringify(LINKS)});
      const { execaRunner } = await import(${JSON.stringify(RUN)});
      const fast = links.readKernelNetInProcess(['eth0', 'lo']);
      const slow = await links.readKernelNet(execaRunner, 3000);
      const plain = (m) => Object.fromEntries([...m].map(([k, v]) => [k, v.map((a) => a.address + '/' + a.prefix)]));
      console.log(JSON.stringify({ fast: { a: plain(fast.addresses), r: fast.defaultRoute }, slow: { a: plain(slow.addresses), r: slow.defaultRoute } }));`;
    const out = JSON.parse(execFileSync('ip', ['netns', 'exec', p.box, process.execPath, '--input-type=module', '-e', script], { encoding: 'utf8' }));
    expect(out.fast).toEqual(out.slow);
    expect(out.fast).toEqual({ a: { lo: ['127.0.0.1/8'], eth0: ['192.0.2.10/24', '198.51.100.5/32'] }, r: { via: '192.0.2.1', dev: 'eth0' } });
  });
});
