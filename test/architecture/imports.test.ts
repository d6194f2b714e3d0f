// The layers of src/ hold: an import (type-only and dynamic ones included) only ever points to a
// lower layer or within its own, no two files import each other round a cycle, and the console UI
// reaches the machine (files, system, apply, auth) only through its machine adapter.
// docs/architecture.md explains the layers; this table is the rule.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Edge, type ImportGraph, cycleThrough, cycles, edgeText, readImportGraph } from './importGraph.js';

interface Layer {
  readonly name: string;
  /** Higher ranks import lower ones; layers of the same rank are siblings and import neither way. */
  readonly rank: number;
  /** Folders (ending in "/") and files of src/. */
  readonly members: readonly string[];
}

const LAYERS: readonly Layer[] = [
  // Types and validation; no I/O.
  { name: 'model', rank: 0, members: ['src/model/'] },
  // The bundle's loader: runs before the program, imports nothing of src/ (ui/main.ts reads its protocol).
  { name: 'loader', rank: 0, members: ['src/loader/'] },
  // File formats, lossless edits, the atomic commit; ttyconf's own settings and version.
  { name: 'files', rank: 1, members: ['src/files/', 'src/settings.ts', 'src/version.ts'] },
  // The live machine through execa and /sys (it reads /sys under the root with files/' safe reader).
  { name: 'system', rank: 2, members: ['src/system/'] },
  // What was read and what it means: current + wanted -> one change; the status and its `show` form.
  { name: 'plan', rank: 3, members: ['src/current.ts', 'src/plan.ts', 'src/planRoutes.ts', 'src/planSummary.ts', 'src/planIpv6.ts', 'src/planSummaryIpv6.ts', 'src/planTargets.ts', 'src/status.ts', 'src/statusIpv6.ts', 'src/showText.ts', 'src/showTextIpv6.ts', 'src/planVlan.ts', 'src/planSummaryVlan.ts', 'src/statusVlan.ts'] },
  // What changes the machine: the network change (write, apply, verify, roll back), the console's
  // password and login, the console's systemd units.
  { name: 'apply', rank: 4, members: ['src/apply/'] },
  { name: 'auth', rank: 4, members: ['src/auth/'] },
  { name: 'console', rank: 4, members: ['src/console/'] },
  // Read -> plan -> commit -> apply as one transaction, and the plans made from backups.
  { name: 'transaction', rank: 5, members: ['src/core.ts', 'src/transaction.ts', 'src/restore.ts', 'src/reset.ts'] },
  // The two front ends over one path.
  { name: 'commands', rank: 6, members: ['src/commands/', 'src/args.ts'] },
  { name: 'ui', rank: 6, members: ['src/ui/'] },
  { name: 'cli', rank: 7, members: ['src/cli.ts'] },
];

/** The one src/ui file that may load src/files, src/system, src/apply or src/auth at run time. */
const UI_MACHINE_ADAPTER = 'src/ui/machine.ts';
const MACHINE_FOLDERS = ['src/files/', 'src/system/', 'src/apply/', 'src/auth/'];

const repo = fileURLToPath(new URL('../..', import.meta.url));
const pair = (e: Pick<Edge, 'from' | 'to'>): string => `${e.from} -> ${e.to}`;

function layerOf(file: string): Layer | undefined {
  return LAYERS.find((l) => l.members.some((m) => (m.endsWith('/') ? file.startsWith(m) : file === m)));
}

/** Why an import breaks the layering, or null when it points down or stays in its layer. */
function upwardReason(e: Pick<Edge, 'from' | 'to'>): string | null {
  const a = layerOf(e.from);
  const b = layerOf(e.to);
  if (!a || !b || a === b || b.rank < a.rank) return null;
  return b.rank === a.rank ? `${a.name} imports its sibling ${b.name}` : `${a.name} (rank ${a.rank}) imports ${b.name} (rank ${b.rank}), a higher layer`;
}

let g: ImportGraph;
beforeAll(() => {
  g = readImportGraph(repo);
}, 120_000);

describe('the import graph of src/', () => {
  it('names only files of src/, each with a string literal', () => {
    expect(g.files.length).toBeGreaterThan(50);
    expect(g.edges.length).toBeGreaterThan(g.files.length);
    // The loader's lazy built-ins load node's own modules by a name given at run time, never a file of src/.
    expect(g.problems.filter((p) => !p.startsWith('src/loader/builtins.ts:'))).toEqual([]);
  });

  it('sees type-only imports, dynamic imports and re-exports as edges', () => {
    // Each is there today; should one go, pick another of its kind rather than drop the check.
    const has = (from: string, to: string, kind: Edge['kind']): boolean => g.edges.some((e) => e.from === from && e.to === to && e.kind === kind);
    expect(has('src/apply/engine.ts', 'src/model/live.ts', 'type')).toBe(true);
    expect(has('src/core.ts', 'src/apply/guardian.ts', 'dynamic')).toBe(true);
    expect(has('src/model/state.ts', 'src/model/warning.ts', 'type')).toBe(true);
    // Type-only imports are gone from the emitted JavaScript; value imports stay.
    expect(g.runtime.some((e) => e.from === 'src/apply/engine.ts' && e.to === 'src/model/live.ts')).toBe(false);
    expect(g.runtime.some((e) => e.from === 'src/apply/engine.ts' && e.to === 'src/apply/commitPlan.ts')).toBe(true);
  });

  it('places every file of src/ in exactly one layer', () => {
    const unplaced = g.files.filter((f) => !layerOf(f));
    const twice = g.files.filter((f) => LAYERS.filter((l) => l.members.some((m) => (m.endsWith('/') ? f.startsWith(m) : f === m))).length > 1);
    expect(unplaced, 'add these files to LAYERS (and to docs/architecture.md)').toEqual([]);
    expect(twice).toEqual([]);
  });

  it('has no import that points to a higher layer or a sibling', () => {
    const bad = g.edges.map((e) => [e, upwardReason(e)] as const).filter(([, why]) => why !== null).map(([e, why]) => `${edgeText(e)}: ${why}`);
    expect(bad).toEqual([]);
  });

  it('has no import cycle (type imports included)', () => {
    const found = cycles(g.files, g.edges).map((component) => {
      const path = cycleThrough(component[0]!, component, g.edges);
      return `${path.join(' -> ')}${component.length > path.length - 1 ? ` (one of the cycles among ${component.join(', ')})` : ''}`;
    });
    expect(found).toEqual([]);
  });
});

describe('the console UI and the machine', () => {
  it('loads src/files, src/system, src/apply and src/auth at run time only through the machine adapter', () => {
    const bad = g.runtime
      .filter((e) => layerOf(e.from)?.name === 'ui' && e.from !== UI_MACHINE_ADAPTER && MACHINE_FOLDERS.some((f) => e.to.startsWith(f)))
      .map(edgeText);
    expect(bad).toEqual([]);
  });
});

describe('the checker itself, on a small tree', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ttyconf-imports-'));
  const write = (rel: string, text: string): void => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  write('src/model/a.ts', "import type { X } from '../ui/x.js';\nexport const a = 1;\nexport type Y = X;\n");
  write('src/ui/x.ts', "export interface X { readonly n: number }\nexport const later = () => import('../apply/y.js');\n");
  write('src/apply/y.ts', "import { a } from '../model/a.js';\nimport { type Z } from './z.js';\nexport const y: Z = a;\n");
  write('src/apply/z.ts', "export type Z = typeof import('./y.js').y;\nexport * from '../model/a.js';\n");
  write('src/files/w.ts', "import { X } from '../ui/x.js';\nexport const w = (x: X): number => x.n;\n");
  const small = readImportGraph(dir);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every kind of import, and which of them the JavaScript keeps', () => {
    expect(small.problems).toEqual([]);
    expect(small.edges.map((e) => `${e.from} ${e.to} ${e.kind}`).sort()).toEqual([
      'src/apply/y.ts src/apply/z.ts type',
      'src/apply/y.ts src/model/a.ts static',
      'src/apply/z.ts src/apply/y.ts type',
      'src/apply/z.ts src/model/a.ts static',
      'src/files/w.ts src/ui/x.ts static',
      'src/model/a.ts src/ui/x.ts type',
      'src/ui/x.ts src/apply/y.ts dynamic',
    ]);
    // `import { X }` of an interface is dropped from the JavaScript like `import type`.
    expect(small.runtime.map(pair).sort()).toEqual(['src/apply/y.ts -> src/model/a.ts', 'src/apply/z.ts -> src/model/a.ts', 'src/ui/x.ts -> src/apply/y.ts']);
  });

  it('names an upward type import and a cycle through type imports', () => {
    const up = small.edges.map((e) => upwardReason(e)).filter((r) => r !== null);
    expect(up).toContain('model (rank 0) imports ui (rank 6), a higher layer');
    expect(up).toContain('files (rank 1) imports ui (rank 6), a higher layer');
    const found = cycles(small.files, small.edges);
    // y -> z -> y through type imports, and y -> a -> x -> y: one component holding both.
    expect(found).toEqual([['src/apply/y.ts', 'src/apply/z.ts', 'src/model/a.ts', 'src/ui/x.ts']]);
    expect(cycleThrough('src/apply/y.ts', found[0]!, small.edges)).toEqual(['src/apply/y.ts', 'src/apply/z.ts', 'src/apply/y.ts']);
  });

  it('reports an import it cannot resolve or read', () => {
    write('src/model/b.ts', "export const b = () => import(['./a', 'js'].join('.'));\nimport './gone.js';\n");
    const g2 = readImportGraph(dir);
    expect(g2.problems).toEqual([
      'src/model/b.ts:1: an import whose module is not a string literal cannot be checked',
      'src/model/b.ts:2: "./gone.js" names no file under src/',
    ]);
  });
});
