// Test network reports each check the moment it is decided: the address and route checks at once,
// then the gateway, each DNS server and the extra ping in the order their probes answer. The probes
// here answer when the test says so, on a clock the test moves: nothing really waits.
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { testNetwork } from '../../src/apply/testNetwork.js';
import type { CheckResult } from '../../src/apply/types.js';
import { openRoot, readCurrent } from '../../src/core.js';
import type { Probe } from '../../src/system/observe.js';
import type { CommandResult } from '../../src/system/run.js';
import { demoRoot } from '../ui/helpers/headless.js';
import { FakeSystem } from './helpers/fakeSystem.js';

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/** FakeSystem's machine, but ping and DNS answer only when `answer` is called, at the clock time given. */
function heldProbe(root: string) {
  const fake = new FakeSystem(root);
  let clock = 0;
  const held = new Map<string, (ok: boolean) => void>();
  const hold = (key: string): Promise<boolean> => new Promise((resolve) => held.set(key, resolve));
  const pingResult = (argv: readonly string[], ok: boolean): CommandResult =>
    ({ command: argv, exitCode: ok ? 0 : 1, stdout: '', stderr: '', timedOut: false, failedToStart: null, durationMs: 1 });
  const probe: Partial<Probe> = {
    ...fake.probe,
    now: () => clock,
    sleep: async (ms) => void (clock += ms),
    run: async (file, args, opts) => (file === 'ping' ? pingResult([file, ...args], await hold(`ping ${args[args.length - 1]}`)) : fake.run(file, args, opts)),
    dns: async (server) => ((await hold(`dns ${server}`)) ? { answered: true, detail: `${server} answered` } : { answered: false, detail: `${server}: no answer (timed out)` }),
  };
  const answer = async (key: string, atMs: number, ok: boolean): Promise<void> => {
    while (!held.has(key)) await tick();
    clock = atMs;
    held.get(key)!(ok);
    held.delete(key);
    await tick();
  };
  return { probe, answer, waiting: () => [...held.keys()].sort() };
}

const rows = (list: readonly CheckResult[]): string[][] => list.map((c) => [c.status, c.name, c.detail]);

describe('testNetwork onCheck', () => {
  it('reports the link checks first, then each probe as it answers; the final list is the one without the callback', async () => {
    dir = demoRoot();
    const current = await readCurrent(openRoot(dir), { run: null });
    const timeouts = { gatewayMs: 0 } as never;
    const { probe, answer, waiting } = heldProbe(dir);
    const seen: [string, string, number][] = [];
    const done = testNetwork(current, { ping: '198.51.100.77', probe, timeouts, onCheck: (c, ms) => seen.push([c.status, c.name, ms]) });

    while (waiting().length < 3) await tick();
    expect(waiting()).toEqual(['dns 192.0.2.53', 'ping 192.0.2.1', 'ping 198.51.100.77']);
    // Nothing has answered yet: only what needs no probe is on the list.
    expect(seen).toEqual([['skipped', 'eth1 address', 0], ['passed', 'eth0 DHCP lease', 0], ['passed', 'default route', 0]]);

    await answer('dns 192.0.2.53', 300, true);
    expect(seen.slice(3)).toEqual([['passed', 'DNS 192.0.2.53', 300]]);
    await answer('ping 198.51.100.77', 2500, false);
    expect(seen.slice(4)).toEqual([['failed', 'ping 198.51.100.77', 2500]]);
    expect(waiting()).toEqual(['ping 192.0.2.1']);
    await answer('ping 192.0.2.1', 3100, true);
    const final = await done;
    expect(seen.slice(5)).toEqual([['passed', 'gateway 192.0.2.1', 3100]]);

    // The final list keeps the fixed order and the same texts as a run without the callback.
    expect(rows(final)).toEqual([
      ['skipped', 'eth1 address', 'no link (no-carrier)'],
      ['passed', 'eth0 DHCP lease', 'wanted a DHCP address, got 192.0.2.115/24'],
      ['passed', 'default route', 'wanted a default route via eth0 (from DHCP), got default via 192.0.2.1 dev eth0'],
      ['passed', 'gateway 192.0.2.1', '192.0.2.1 answered ping on eth0'],
      ['passed', 'DNS 192.0.2.53', 'answered a query'],
      ['failed', 'ping 198.51.100.77', '198.51.100.77 does not answer (1 ping)'],
    ]);
    const plain = await testNetwork(current, { ping: '198.51.100.77', probe: new FakeSystem(dir).probe, timeouts });
    expect(final).toEqual(plain);
    // Every check of the final list was reported once, as it was decided.
    expect(seen.map(([, name]) => name).sort()).toEqual(final.map((c) => c.name).sort());
  });
});

