// A generated corpus proves the rule an ifcfg edit must keep: for every file that bash sources
// without running anything, every edit ttyconf makes either is refused (the file is left alone) or
// leaves a file that bash still sources without running anything, reading every variable the edit
// does not change exactly as before, and the changed ones as written.
//
// Files are random mixes (seeded, so every run checks the same files) of quotes, escapes, `#`,
// backslash-newlines, $'...', here-strings, here-documents, assignments of the keys ttyconf edits,
// and commands that create a canary file. bash itself is the judge (test/helpers/bashOracle.ts).
import { describe, expect, it } from 'vitest';
import { bashLayout } from '../../src/files/bashSpans.js';
import { readProfile } from '../../src/files/ifcfg.js';
import type { Snapshot } from '../../src/files/read.js';
import { PATHS, Root } from '../../src/files/root.js';
import { ShellVarsFile } from '../../src/files/shellVars.js';
import type { FilesState, Profile } from '../../src/model/state.js';
import type { Change } from '../../src/model/types.js';
import { planChanges } from '../../src/plan.js';
import { bashReadAll, declared } from '../helpers/bashOracle.js';
import { KEYS, ifcfgGenerator, prng } from '../helpers/ifcfgGenerator.js';

const FILES = 2000;
const SEED = 0x1fc6;


/** One edit: what ttyconf does to the file, the same steps the plan takes for one change. */
interface Edit {
  readonly name: string;
  readonly change: Change | null;
  readonly steps: (f: ShellVarsFile, method: string, profile: Profile) => void;
}

const NUMBERED_STATIC = /^(IPADDR|PREFIX|NETMASK|GATEWAY)\d+$/;
const ANY_STATIC = /^(IPADDR|PREFIX|NETMASK|GATEWAY)\d*$/;
const DNS_KEYS = /^DNS\d+$/;

function edits(device: string, random: () => number): Edit[] {
  const quotedKey = KEYS[Math.floor(random() * KEYS.length)]!;
  const deletedKey = KEYS[Math.floor(random() * KEYS.length)]!;
  const staticSteps = (gateway: string | null) => (f: ShellVarsFile, _method: string, p: Profile): void => {
    f.set('BOOTPROTO', 'none');
    f.deleteMatching(NUMBERED_STATIC);
    f.delete('NETMASK');
    f.set('IPADDR', '192.0.2.10');
    f.set('PREFIX', '24');
    if (gateway) f.set('GATEWAY', gateway);
    else f.delete('GATEWAY');
    // DEFROUTE is the admin's, unless a new gateway moves the default route to this interface.
    if (gateway && !p.defroute && p.gateway !== gateway) f.set('DEFROUTE', 'yes');
  };
  return [
    {
      name: 'static with gateway',
      change: { kind: 'ip', device, ipv4: { method: 'static', address: { address: '192.0.2.10', prefix: 24 }, gateway: '192.0.2.1' } },
      steps: staticSteps('192.0.2.1'),
    },
    {
      name: 'static without gateway',
      change: { kind: 'ip', device, ipv4: { method: 'static', address: { address: '192.0.2.10', prefix: 24 }, gateway: null } },
      steps: staticSteps(null),
    },
    {
      name: 'dhcp',
      change: { kind: 'ip', device, ipv4: { method: 'dhcp' } },
      steps: (f) => {
        f.set('BOOTPROTO', 'dhcp');
        f.deleteMatching(ANY_STATIC);
      },
    },
    {
      name: 'dns',
      change: { kind: 'dns', dns: { servers: ['192.0.2.53', '198.51.100.53'], search: ['example.com', 'example.net'] } },
      steps: (f, method) => {
        f.deleteMatching(DNS_KEYS);
        f.set('DNS1', '192.0.2.53');
        f.set('DNS2', '198.51.100.53');
        f.set('DOMAIN', 'example.com example.net');
        if (method === 'dhcp') f.set('PEERDNS', 'no');
      },
    },
    {
      name: 'dns cleared',
      change: { kind: 'dns', dns: { servers: [], search: [] } },
      steps: (f, method) => {
        f.deleteMatching(DNS_KEYS);
        f.delete('DOMAIN');
        if (method === 'dhcp') f.delete('PEERDNS');
      },
    },
    { name: `set ${quotedKey} to a value that needs quoting`, change: null, steps: (f) => f.set(quotedKey, 'say "hi" $HOME `id` \\ # x') },
    { name: `delete ${deletedKey}`, change: null, steps: (f) => f.delete(deletedKey) },
  ];
}

const FILE = `${PATHS.networkScripts}/ifcfg-eth0`;

function snapshotOf(text: string): { snapshot: Snapshot; method: string } {
  const { profile } = readProfile(FILE, 'ifcfg-eth0', ShellVarsFile.parse(text));
  const state: FilesState = {
    profiles: [profile],
    owners: new Map([[profile.device, profile.file]]),
    blocked: new Map(),
    newStore: { store: 'ifcfg', why: 'test' },
    readOnlyFiles: [],
    routeFiles: [],
    resolv: { servers: [], search: [], owner: 'file', nmLeavesAlone: null },
    hostname: null,
    legacyHostname: null,
    warnings: [],
  };
  const files = new Map<string, Buffer | null>([
    [FILE, Buffer.from(text, 'latin1')],
    [PATHS.resolvConf, Buffer.from('nameserver 192.0.2.99\n')],
    [PATHS.hostname, null],
    [PATHS.hosts, null],
    [PATHS.sysconfigNetwork, null],
  ]);
  return { snapshot: { root: new Root('/nonexistent-ttyconf-root'), files, state }, method: profile.method };
}

/** What the steps of an edit make of bash's variables: the keys set hold their values, the keys deleted are gone. */
function expectedVars(before: ReadonlyMap<string, string>, edit: Edit, method: string, profile: Profile): Map<string, string> {
  const vars = new Map(before);
  const model = {
    set: (k: string, v: string) => void vars.set(k, declared(k, v)),
    delete: (k: string) => void vars.delete(k),
    deleteMatching: (p: RegExp) => [...vars.keys()].filter((k) => p.test(k)).forEach((k) => vars.delete(k)),
  };
  edit.steps(model as unknown as ShellVarsFile, method, profile);
  return vars;
}

describe(`generated ifcfg files (${FILES}, seed ${SEED}): an edit never makes bash run anything or read another value`, () => {
  it('holds for every file bash sources without running anything', { timeout: 300_000 }, () => {
    const started = Date.now();
    const random = prng(SEED);
    const generate = ifcfgGenerator(random);
    const texts = Array.from({ length: FILES }, generate);
    const originals = bashReadAll(texts);
    const sourced = Date.now();

    interface Attempt { file: number; edit: Edit; text: string; method: string; profile: Profile }
    const attempts: Attempt[] = [];
    let inert = 0;
    let refusedFiles = 0;
    let refusedEdits = 0;
    const refusalReasons = new Map<string, number>();
    texts.forEach((text, i) => {
      if (originals[i]!.ran) return;
      inert++;
      const { snapshot, method } = snapshotOf(text);
      const device = snapshot.state.profiles[0]!.device;
      const layout = bashLayout(text);
      if (layout.refusal) {
        refusedFiles++;
        const kind = layout.refusal.reason.replace(/"[^"]*"|\$?\b[A-Z_]+[0-9]*\b/g, '…').slice(0, 60);
        refusalReasons.set(kind, (refusalReasons.get(kind) ?? 0) + 1);
      }
      for (const edit of edits(device, random)) {
        const f = ShellVarsFile.parse(text);
        edit.steps(f, method, snapshot.state.profiles[0]!);
        const refusal = f.refused();
        if (edit.change) {
          // The real plan makes the same file, or refuses it the same way, naming it.
          const planned = planChanges(snapshot, [edit.change]);
          if (refusal) {
            expect(planned.ok, `${edit.name} on file ${i}`).toBe(false);
            if (!planned.ok) expect(planned.error).toContainEqual({ file: FILE, line: refusal.line, reason: refusal.reason });
          } else {
            expect(planned.ok, `${edit.name} on file ${i}: ${JSON.stringify(!planned.ok && planned.error)}`).toBe(true);
            if (planned.ok && planned.value.edits.length === 0) {
              // Nothing whose meaning changes: the plan writes nothing at all.
              expect(planned.value.summary, `${edit.name} on file ${i}`).toEqual([]);
            } else if (planned.ok) {
              const after = planned.value.edits.find((e) => e.path === FILE)?.after ?? Buffer.from(text, 'latin1');
              expect(after.toString('latin1'), `${edit.name} on file ${i}`).toBe(f.serialize());
            }
          }
        }
        if (refusal) {
          refusedEdits++;
          expect(f.serialize(), 'a refused file is left as it was').toBe(text);
          continue;
        }
        attempts.push({ file: i, edit, text: f.serialize(), method, profile: snapshot.state.profiles[0]! });
      }
    });

    const editedAt = Date.now();
    const results = bashReadAll(attempts.map((a) => a.text));
    const checked = Date.now();
    const failures: string[] = [];
    attempts.forEach((a, k) => {
      const got = results[k]!;
      const want = expectedVars(originals[a.file]!.vars, a.edit, a.method, a.profile);
      const describeFile = (): string => `file ${a.file}, ${a.edit.name}:\n--- before\n${texts[a.file]}\n--- after\n${a.text}`;
      if (originals[a.file]!.exited) failures.push(`bash exits on the original, and ttyconf edited it: ${describeFile()}`);
      if (got.exited) failures.push(`bash exits after the edit: ${describeFile()}`);
      if (got.ran) failures.push(`bash ran a command after the edit: ${describeFile()}`);
      for (const key of new Set([...want.keys(), ...got.vars.keys()])) {
        if (want.get(key) !== got.vars.get(key)) failures.push(`${key}: wanted ${want.get(key)}, bash read ${got.vars.get(key)}: ${describeFile()}`);
      }
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`generated ${FILES} files; ${inert} inert under bash (${refusedFiles} of them refused for editing); ` +
      `${attempts.length} edits made and checked by bash, ${refusedEdits} refused; ${seconds} s ` +
      `(bash on the originals ${(sourced - started) / 1000} s, edits ${(editedAt - sourced) / 1000} s, bash on the edits ${(checked - editedAt) / 1000} s)`);
    console.log([...refusalReasons].sort((a, b) => b[1] - a[1]).map(([r, n]) => `  ${n} ${r}`).join('\n'));
    expect(failures.slice(0, 5)).toEqual([]);
    // The corpus must exercise both outcomes, not refuse its way to a pass.
    expect(inert).toBeGreaterThan(FILES / 4);
    expect(attempts.length).toBeGreaterThan(inert * 2);
  });
});
