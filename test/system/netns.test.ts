// The real kernel, in network namespaces these tests create (skipped, with the reason, where that
// is not possible): `ttyconf set ... --root TMP --apply --stack iproute2` run inside the "box"
// namespace sets the address and default route and verifies them; a gateway that does not answer
// and a caller killed during "Keep these settings?" both end with the old address, route and files.
// Documentation addresses only, inside the namespaces only. The host's network and hostname are
// never touched (checked at the end).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bashRead } from '../helpers/tree.js';
import { boxNet, netnsSuite, netnsUnavailable } from './helpers/netns.js';

const unavailable = netnsUnavailable();
if (unavailable) console.warn(`test/system/netns.test.ts: SKIPPED, network namespaces are not usable here: ${unavailable}`);

const ETH0 = 'etc/sysconfig/network-scripts/ifcfg-eth0';
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

const children: ChildProcess[] = [];
const hostBefore = hostname();

function latestJob(root: string): string {
  const jobs = join(root, 'var/lib/ttyconf/jobs');
  return join(jobs, readdirSync(jobs).filter((n) => /^\d{8}-/.test(n)).sort().pop()!);
}

async function until(what: string, cond: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(unavailable !== null)(`real kernel in network namespaces${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const { pair, root: newRoot, inBox, spawnInBox } = netnsSuite('ttyconf-netns-', 'gateway=2,settle=3,dns=1');
  // Registered after the suite's hooks, so it runs before them: the processes end before their namespaces.
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    expect(hostname()).toBe(hostBefore);
  });

  it('sets the address and the default route, passes verification, keeps them', () => {
    const { box } = pair();
    const root = newRoot();
    const r = inBox(box, ['set', 'ip', 'eth0', 'static', '192.0.2.20/24', '--gateway', '192.0.2.1', '--root', root, '--apply', '--stack', 'iproute2'], 'y\n');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('PASS  eth0 address: wanted 192.0.2.20/24, got 192.0.2.20/24');
    expect(r.out).toContain('PASS  default route: wanted default via 192.0.2.1 dev eth0, got default via 192.0.2.1 dev eth0');
    expect(r.out).toContain('PASS  gateway 192.0.2.1: 192.0.2.1 answered ping on eth0');
    expect(r.out).toContain('Applied with iproute2 and kept.');
    expect(boxNet(box)).toEqual({ addrs: ['192.0.2.20/24'], route: 'default via 192.0.2.1 dev eth0' });
    expect(bashRead(join(root, ETH0), ['IPADDR', 'PREFIX', 'GATEWAY'])).toEqual({ IPADDR: '192.0.2.20', PREFIX: '24', GATEWAY: '192.0.2.1' });
  });

  it('restore: the kernel and the files go back to the settings before the change, and that is kept', () => {
    const { box } = pair();
    const root = newRoot();
    const before = readFileSync(join(root, ETH0), 'utf8');
    expect(inBox(box, ['set', 'ip', 'eth0', 'static', '192.0.2.20/24', '--gateway', '192.0.2.1', '--root', root, '--apply', '--stack', 'iproute2'], 'y\n').code).toBe(0);
    expect(boxNet(box).addrs).toEqual(['192.0.2.20/24']);
    const id = (JSON.parse(inBox(box, ['backups', '--json', '--root', root]).out) as { backups: { id: string }[] }).backups[0]!.id;
    const r = inBox(box, ['restore', id, '--root', root, '--apply', '--stack', 'iproute2'], 'y\n');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('eth0 address: 192.0.2.20/24 -> 192.0.2.10/24');
    expect(r.out).toContain('PASS  eth0 address: wanted 192.0.2.10/24, got 192.0.2.10/24');
    expect(boxNet(box)).toEqual({ addrs: ['192.0.2.10/24'], route: 'default via 192.0.2.1 dev eth0' });
    expect(readFileSync(join(root, ETH0), 'utf8')).toBe(before);
  });

  it('a gateway that does not answer: verification fails, the old address, route and files come back, exit 1', () => {
    const { box } = pair();
    const root = newRoot();
    const before = readFileSync(join(root, ETH0), 'utf8');
    const r = inBox(box, ['set', 'ip', 'eth0', 'static', '192.0.2.30/24', '--gateway', '192.0.2.254', '--root', root, '--apply', '--stack', 'iproute2']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('FAIL  gateway 192.0.2.254: 192.0.2.254 does not answer');
    expect(r.err).toContain('ttyconf: rolled back: check "gateway 192.0.2.254" failed: 192.0.2.254 does not answer');
    expect(r.err).toContain('the old settings are back');
    expect(boxNet(box)).toEqual({ addrs: ['192.0.2.10/24'], route: 'default via 192.0.2.1 dev eth0' });
    expect(readFileSync(join(root, ETH0), 'utf8')).toBe(before);
  });

  it('the caller dies of SIGHUP during the countdown: the detached process reverts', async () => {
    const { box } = pair();
    const root = newRoot();
    const before = readFileSync(join(root, ETH0), 'utf8');
    // Its own process group, as a login session is: the hangup goes to the whole group.
    const child = spawnInBox(box, ['set', 'ip', 'eth0', 'static', '192.0.2.40/24', '--gateway', '192.0.2.1',
      '--root', root, '--apply', '--stack', 'iproute2', '--confirm-timeout', '300'], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_c, sig) => res(sig)));
    await until('the question', () => out.includes('Keep these settings?'));
    expect(boxNet(box).addrs).toEqual(['192.0.2.40/24']);
    process.kill(-child.pid!, 'SIGHUP');
    expect(await exited).toBe('SIGHUP');
    const job = latestJob(root);
    await until('the revert', () => existsSync(join(job, 'outcome.json')));
    expect(JSON.parse(readFileSync(join(job, 'outcome.json'), 'utf8'))).toMatchObject({ kind: 'rolled-back', reason: 'interrupted by SIGHUP', restored: true });
    expect(boxNet(box)).toEqual({ addrs: ['192.0.2.10/24'], route: 'default via 192.0.2.1 dev eth0' });
    expect(readFileSync(join(root, ETH0), 'utf8')).toBe(before);
  });

  it('the caller is killed outright: nobody says keep, the deadline reverts', async () => {
    const { box } = pair();
    const root = newRoot();
    const before = readFileSync(join(root, ETH0), 'utf8');
    const child = spawnInBox(box, ['set', 'ip', 'eth0', 'static', '192.0.2.50/24', '--gateway', '192.0.2.1',
      '--root', root, '--apply', '--stack', 'iproute2', '--confirm-timeout', '2'], { stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await until('the question', () => out.includes('Keep these settings?'));
    child.kill('SIGKILL');
    const job = latestJob(root);
    await until('the revert', () => existsSync(join(job, 'outcome.json')));
    expect(JSON.parse(readFileSync(join(job, 'outcome.json'), 'utf8'))).toMatchObject({ kind: 'rolled-back', reason: 'not confirmed within 2 s', restored: true });
    expect(boxNet(box)).toEqual({ addrs: ['192.0.2.10/24'], route: 'default via 192.0.2.1 dev eth0' });
    expect(readFileSync(join(root, ETH0), 'utf8')).toBe(before);
  });

  describe('with a DNS server on the gateway', () => {
    let gw = '';
    let box = '';
    beforeAll(async () => {
      ({ gw, box } = pair());
      const dns = spawn('ip', ['netns', 'exec', gw, process.execPath, join(FIXTURES, 'dnsResponder.mjs'), '192.0.2.1', '120'], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(dns);
      let ready = '';
      dns.stdout!.on('data', (d: Buffer) => (ready += d.toString()));
      await until('the DNS server', () => ready.includes('ready'));
    });

    it('ttyconf test: every check of the current settings passes, plus a typed ping', () => {
      const root = newRoot();
      const r = inBox(box, ['test', '--root', root, '--ping', '192.0.2.1']);
      expect(r.out).toContain('PASS  eth0 address: wanted 192.0.2.10/24, got 192.0.2.10/24');
      expect(r.out).toContain('PASS  gateway 192.0.2.1');
      expect(r.out).toContain('PASS  DNS 192.0.2.1: answered a query');
      expect(r.out).toContain('PASS  ping 192.0.2.1');
      expect(r.code).toBe(0);
    });

    it('ttyconf test reports what fails and exits 1', () => {
      const root = newRoot();
      const r = inBox(box, ['test', '--root', root, '--ping', '198.51.100.7']);
      expect(r.out).toMatch(/FAIL {2}ping 198\.51\.100\.7: 198\.51\.100\.7 does not answer/);
      expect(r.code).toBe(1);
    });

    it('set dns: a server that answers is kept; one that does not is rolled back', () => {
      const root = newRoot();
      const ok = inBox(box, ['set', 'dns', '192.0.2.1', '--search', 'example.com', '--root', root, '--apply', '--stack', 'iproute2']);
      expect(ok.out).toContain('PASS  DNS 192.0.2.1: answered a query');
      expect(ok.code).toBe(0);
      const resolv = readFileSync(join(root, 'etc/resolv.conf'), 'utf8');
      const bad = inBox(box, ['set', 'dns', '192.0.2.99', '--root', root, '--apply', '--stack', 'iproute2']);
      expect(bad.code).toBe(1);
      expect(bad.err).toContain('ttyconf: rolled back: check "DNS 192.0.2.99" failed: 192.0.2.99: no answer');
      expect(readFileSync(join(root, 'etc/resolv.conf'), 'utf8')).toBe(resolv);
    });
  });

  it('hostname: applied inside a UTS namespace of its own, never to the host', () => {
    const { box } = pair();
    const root = newRoot();
    const own = inBox(box, ['set', 'hostname', 'box1.example.com', '--root', root, '--apply'], '', { uts: true });
    expect(own.out).toContain('PASS  hostname: wanted box1.example.com, got box1.example.com');
    expect(own.code).toBe(0);
    const shared = inBox(box, ['set', 'hostname', 'box2.example.com', '--root', root, '--apply']);
    expect(shared.code).toBe(0);
    expect(shared.out).toContain('not applied');
    expect(readFileSync(join(root, 'etc/hostname'), 'utf8')).toBe('box2.example.com\n');
    expect(hostname()).toBe(hostBefore);
  });
});
