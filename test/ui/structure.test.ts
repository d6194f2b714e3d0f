// The shape of src/ui that keeps it readable: widgets import no flow, only the machine adapter
// reaches the I/O layers at run time, and no import cycle. Imports are read with the TypeScript
// compiler's parser (static, type-only and dynamic imports alike).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));
const UI = join(SRC, 'ui');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

interface Import {
  /** src-relative, e.g. "ui/review.ts". */
  readonly target: string;
  readonly typeOnly: boolean;
}

/** Every relative import of a file, with whether it is `import type` (erased at run time). */
function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const out: Import[] = [];
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const add = (spec: string, typeOnly: boolean): void => {
    if (spec.startsWith('.')) out.push({ target: relative(SRC, resolve(dirname(file), spec.replace(/\.js$/, '.ts'))), typeOnly });
  };
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const c = n.importClause;
      const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : null;
      const typeOnly = Boolean(c && (c.isTypeOnly || (!c.name && named && named.length > 0 && named.every((e) => e.isTypeOnly))));
      add(n.moduleSpecifier.text, typeOnly);
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      add(n.moduleSpecifier.text, n.isTypeOnly);
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = n.arguments;
      if (arg && ts.isStringLiteral(arg)) add(arg.text, false);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

describe('src/ui', () => {
  it('widgets import no flow: only the contract, pure drawing, other widgets and the model', () => {
    const allowed = /^(ui\/widgets\/|ui\/(view|text|keys|frame)\.ts$|model\/)/;
    const wrong = tsFiles(join(UI, 'widgets')).flatMap((f) =>
      importsOf(f).filter((i) => !allowed.test(i.target)).map((i) => `${relative(SRC, f)} -> ${i.target}`));
    expect(wrong).toEqual([]);
  });

  it('only the machine adapter imports src/files, src/system, src/apply or src/auth at run time', () => {
    const io = /^(files|system|apply|auth)\//;
    const offenders = tsFiles(UI).flatMap((f) =>
      importsOf(f).filter((i) => !i.typeOnly && io.test(i.target)).map(() => relative(SRC, f)));
    expect([...new Set(offenders)]).toEqual(['ui/machine.ts']);
  });

  it('has no import cycle, type imports included', () => {
    const files = tsFiles(UI);
    const edges = new Map(files.map((f) => [relative(SRC, f), importsOf(f).map((i) => i.target).filter((t) => t.startsWith('ui/'))]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const walk = (node: string, path: string[]): void => {
      if (state.get(node) === 'done') return;
      if (state.get(node) === 'open') {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' -> '));
        return;
      }
      state.set(node, 'open');
      for (const next of edges.get(node) ?? []) walk(next, [...path, node]);
      state.set(node, 'done');
    };
    for (const f of edges.keys()) walk(f, []);
    expect(cycles).toEqual([]);
  });
});
