// A change killed between two renames is finished or undone by the next run of any command, which
// says so: for every multi-file change, at every rename position (before the first, between each two,
// after the last), each file of the change is afterwards wholly old or wholly new, all of them alike.
// The kill is deterministic: TTYCONF_TEST_KILL_AT_RENAME=N makes the commit SIGKILL its own process
// just before its Nth rename (honoured only in a process started by the test runner).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recoverInterrupted, recoveryLine } from '../../src/transaction.js';
import { Root } from '../../src/files/root.js';
import { TEMP_MARK } from '../../src/files/atomicWrite.js';
import { cli } from '../helpers/cli.js';
import { Headless } from '../ui/helpers/headless.js';
import { BIN, IFCFG, useTempRoots } from '../helpers/tree.js';

const root = useTempRoots();

interface Scenario {
  readonly name: string;
  /** Prepares the demo tree (in-process commands, and file edits). */
  readonly setup: (r: string) => Promise<void>;
  readonly change: readonly string[];
}

const run = async (...argv: string[]): Promise<void> => {
  const r = await cli(...argv);
  if (r.code !== 0) throw new Error(`${argv.join(' ')}: ${r.err}`);
};

const SCENARIOS: readonly Scenario[] = [
  { name: 'set hostname: hostname + hosts', setup: async () => undefined, change: ['set', 'hostname', 'killed.example.com'] },
  {
    name: 'set hostname: hostname + hosts + sysconfig/network HOSTNAME=',
    setup: async (r) => writeFileSync(join(r, 'etc/sysconfig/network'), 'NETWORKING=yes\nHOSTNAME=old.example.com\n'),
    change: ['set', 'hostname', 'killed.example.com'],
  },
  { name: 'set dns: ifcfg + resolv.conf', setup: async () => undefined, change: ['set', 'dns', '192.0.2.77', '--search', 'killed.example'] },
  {
    name: 'set dns: two ifcfg files + resolv.conf',
    setup: async (r) => writeFileSync(join(r, IFCFG, 'ifcfg-eth1'), readFileSync(join(r, IFCFG, 'ifcfg-eth1'), 'utf8') + 'DNS1=198.51.100.1\n'),
    change: ['set', 'dns', '192.0.2.77'],
  },
  {
    name: 'set ip static: ifcfg + the managed hosts line',
    setup: async (r) => run('set', 'hostname', 'box.example.com', '--root', r),
    change: ['set', 'ip', 'eth0', 'static', '192.0.2.10/24', '--gateway', '192.0.2.1'],
  },
  {
    name: 'set ip dhcp: ifcfg + the managed hosts line',
    setup: async (r) => {
      await run('set', 'ip', 'eth0', 'static', '192.0.2.10/24', '--gateway', '192.0.2.1', '--root', r);
      await run('set', 'hostname', 'box.example.com', '--root', r);
    },
    change: ['set', 'ip', 'eth0', 'dhcp'],
  },
];

/** The next commands, in turn: any of them repairs first (a real write is checked below). */
const NEXT: readonly (readonly string[])[] = [['show'], ['show', '--json'], ['set', 'hostname', 'later.example.com', '--dry-run']];

function contents(r: string, files: readonly string[]): (string | null)[] {
  return files.map((f) => (existsSync(join(r, f)) ? readFileSync(join(r, f), 'latin1') : null));
}

function temps(r: string): string[] {
  const out: string[] = [];
  for (const d of [IFCFG, 'etc', 'etc/sysconfig']) for (const n of readdirSync(join(r, d))) if (n.includes(TEMP_MARK)) out.push(join(d, n));
  return out;
}

let positions = 0;

describe('a change killed between its renames', () => {
  for (const [s, sc] of SCENARIOS.entries()) {
    it(sc.name, async () => {
      // The change run whole once tells its files and their new bytes.
      const ref = root();
      await sc.setup(ref);
      const whole = await cli(...sc.change, '--root', ref, '--no-apply');
      expect(whole.code, whole.err).toBe(0);
      const files = /^Wrote (.*) \(backup in/m.exec(whole.out)![1]!.split(', ');
      expect(files.length).toBeGreaterThan(1);
      const after = contents(ref, files);

      for (let n = 1; n <= files.length + 1; n++) {
        const r = root();
        await sc.setup(r);
        const before = contents(r, files);
        const killed = spawnSync(process.execPath, [BIN, ...sc.change, '--root', r, '--no-apply'], {
          encoding: 'utf8',
          timeout: 60_000,
          env: { ...process.env, VITEST: 'true', TTYCONF_TEST_KILL_AT_RENAME: String(n) },
        });
        expect(killed.signal, `kill at rename ${n}: ${killed.stderr}`).toBe('SIGKILL');
        // Between two renames the tree is half made: that is what must be repaired.
        const mid = contents(r, files);
        expect(mid.filter((c, i) => c === after[i]).length).toBe(n - 1);

        const next = NEXT[(s + n) % NEXT.length]!;
        const res = await cli(...next, '--root', r);
        expect(res.code, `${next.join(' ')} after a kill at rename ${n}: ${res.err}`).toBe(0);
        const now = contents(r, files);
        if (n <= files.length) {
          expect(res.err).toMatch(/ttyconf: A change interrupted before this start was undone: the process writing it \(pid \d+\) ended before it finished/);
          expect(res.err).toMatch(n === 1 ? /nothing was written: every file is as it was before/ : /the files already replaced were put back: every file is as it was before/);
          expect(now, `kill at rename ${n}: every file old`).toEqual(before);
        } else {
          expect(res.err).toMatch(/ttyconf: A change interrupted before this start was finished: every file of it had been replaced, so the change stands/);
          expect(now, `kill after the last rename: every file new`).toEqual(after);
        }
        expect(temps(r)).toEqual([]);
        // Said once: the next run finds nothing to repair.
        const again = await cli('show', '--root', r);
        expect(again.err).toBe('');
        positions++;
      }
    }, 180_000);
  }

  it('every scenario was killed at every position', () => {
    expect(positions).toBeGreaterThanOrEqual(SCENARIOS.length * 3);
  });

  it('the console repairs at start too: recoverInterrupted undoes it and says what it did', async () => {
    const r = root();
    const killed = spawnSync(process.execPath, [BIN, 'set', 'hostname', 'killed.example.com', '--root', r, '--no-apply'], {
      encoding: 'utf8', timeout: 60_000, env: { ...process.env, VITEST: 'true', TTYCONF_TEST_KILL_AT_RENAME: '2' },
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(readFileSync(join(r, 'etc/hostname'), 'utf8')).toBe('killed.example.com\n');
    const outcomes = await recoverInterrupted(new Root(r), undefined, { programs: false });
    expect(outcomes.map(recoveryLine)).toEqual([expect.stringMatching(/was undone: .*after replacing 1 of 2 files \(etc\/hostname\).*every file is as it was before/)]);
    expect(readFileSync(join(r, 'etc/hostname'), 'utf8')).toBe('localhost.localdomain\n');
    expect(await recoverInterrupted(new Root(r), undefined, { programs: false })).toEqual([]);
  });

  it('the console at start repairs it and says so on the status screen', async () => {
    const r = root();
    const killed = spawnSync(process.execPath, [BIN, 'set', 'hostname', 'killed.example.com', '--root', r, '--no-apply'], {
      encoding: 'utf8', timeout: 60_000, env: { ...process.env, VITEST: 'true', TTYCONF_TEST_KILL_AT_RENAME: '2' },
    });
    expect(killed.signal).toBe('SIGKILL');
    const h = await Headless.start({ rootDir: r, cols: 80, rows: 24, firstBoot: false });
    try {
      await h.waitFor('A change interrupted before this start was undone');
      await h.waitFor(/Hostname\s+localhost\.localdomain/);
    } finally {
      await h.stop();
    }
    expect(readFileSync(join(r, 'etc/hostname'), 'utf8')).toBe('localhost.localdomain\n');
  });

  it('the next change repairs first, says so, then writes its own', async () => {
    const r = root();
    const killed = spawnSync(process.execPath, [BIN, 'set', 'hostname', 'killed.example.com', '--root', r, '--no-apply'], {
      encoding: 'utf8', timeout: 60_000, env: { ...process.env, VITEST: 'true', TTYCONF_TEST_KILL_AT_RENAME: '2' },
    });
    expect(killed.signal).toBe('SIGKILL');
    const res = await cli('set', 'dns', '192.0.2.99', '--root', r);
    expect(res.code, res.err).toBe(0);
    expect(res.err).toMatch(/was undone/);
    expect(readFileSync(join(r, 'etc/hostname'), 'utf8')).toBe('localhost.localdomain\n');
    expect(readFileSync(join(r, 'etc/hosts'), 'utf8')).not.toContain('killed');
    expect(readFileSync(join(r, 'etc/resolv.conf'), 'utf8')).toContain('192.0.2.99');
  });

  it('the hook is ignored outside the test runner', () => {
    const r = root();
    const env: NodeJS.ProcessEnv = { ...process.env, TTYCONF_TEST_KILL_AT_RENAME: '1' };
    delete env.VITEST;
    const res = spawnSync(process.execPath, [BIN, 'set', 'hostname', 'safe.example.com', '--root', r, '--no-apply'], { encoding: 'utf8', env });
    expect(res.status).toBe(0);
  });
});
