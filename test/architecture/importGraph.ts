// The import graph of src/, read with the TypeScript compiler's own parser: every static import and
// re-export (`import type` and `export type` included), every `import()` call and `import('...')` type,
// resolved to the file it names. A second reading of what the compiler emits for each file gives the
// imports that remain at run time (TypeScript drops an import whose names are only used as types).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { transformSync } from 'esbuild';
import ts from 'typescript';

export type EdgeKind = 'static' | 'type' | 'dynamic';

export interface Edge {
  /** Repository-relative, with forward slashes: "src/apply/engine.ts". */
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly line: number;
}

export interface ImportGraph {
  readonly files: readonly string[];
  /** Every import, type-only ones included. */
  readonly edges: readonly Edge[];
  /** The imports left in the emitted JavaScript, static and dynamic. */
  readonly runtime: readonly Edge[];
  /** Specifiers that name no file of src/, or `import()` calls whose argument is not a string literal. */
  readonly problems: readonly string[];
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    return d.isDirectory() ? walk(p) : /\.ts$/.test(d.name) ? [p] : [];
  });
}

interface Specifier {
  readonly text: string | null;
  readonly kind: EdgeKind;
  readonly line: number;
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // `import './x.js'` runs the module
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return !clause.name && named !== undefined && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
}

function isTypeOnlyExport(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const c = node.exportClause;
  return c !== undefined && ts.isNamedExports(c) && c.elements.length > 0 && c.elements.every((e) => e.isTypeOnly);
}

/** Every module specifier in one file, with what kind of import it is. */
export function specifiers(fileName: string, text: string): Specifier[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, fileName.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const out: Specifier[] = [];
  const lineOf = (n: ts.Node): number => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const literal = (n: ts.Node | undefined): string | null => (n && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) ? n.text : null);
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      out.push({ text: literal(node.moduleSpecifier), kind: isTypeOnlyImport(node) ? 'type' : 'static', line: lineOf(node) });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      out.push({ text: literal(node.moduleSpecifier), kind: isTypeOnlyExport(node) ? 'type' : 'static', line: lineOf(node) });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      out.push({ text: literal(node.moduleReference.expression), kind: node.isTypeOnly ? 'type' : 'static', line: lineOf(node) });
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      out.push({ text: ts.isLiteralTypeNode(arg) ? literal(arg.literal) : null, kind: 'type', line: lineOf(node) });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      out.push({ text: literal(node.arguments[0]), kind: 'dynamic', line: lineOf(node) });
    } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') {
      out.push({ text: literal(node.arguments[0]), kind: 'static', line: lineOf(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/**
 * The modules the emitted JavaScript still loads: esbuild (which builds the bundle) drops an import
 * whose names are only used as types, as tsc does; the compiler's import scanner reads the rest.
 */
function runtimeModules(text: string): string[] {
  const js = transformSync(text, { loader: 'ts', format: 'esm', target: 'node20' }).code;
  return ts.preProcessFile(js, true, true).importedFiles.map((f) => f.fileName);
}

/** './x.js' from src/a/b.ts -> src/a/x.ts (or x/index.ts); null for a package or node: module. */
function resolveSpecifier(repo: string, from: string, spec: string): string | 'missing' | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(join(repo, from)), spec);
  const candidates = [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.d.ts'), `${base}.ts`, join(base, 'index.ts')];
  for (const c of candidates) {
    try {
      if (statSync(c).isFile()) return relative(repo, c).split(sep).join('/');
    } catch {
      /* try the next form */
    }
  }
  return 'missing';
}

export function readImportGraph(repo: string, srcDir = 'src'): ImportGraph {
  const files = walk(join(repo, srcDir)).map((f) => relative(repo, f).split(sep).join('/')).sort();
  const edges: Edge[] = [];
  const runtime: Edge[] = [];
  const problems: string[] = [];
  for (const from of files) {
    const text = readFileSync(join(repo, from), 'utf8');
    const own: Edge[] = [];
    for (const s of specifiers(from, text)) {
      if (s.text === null) {
        problems.push(`${from}:${s.line}: an import whose module is not a string literal cannot be checked`);
        continue;
      }
      const to = resolveSpecifier(repo, from, s.text);
      if (to === 'missing') problems.push(`${from}:${s.line}: "${s.text}" names no file under ${srcDir}/`);
      else if (to !== null && to.startsWith(`${srcDir}/`)) own.push({ from, to, kind: s.kind, line: s.line });
      else if (to !== null) problems.push(`${from}:${s.line}: "${s.text}" leaves ${srcDir}/ (${to})`);
    }
    edges.push(...own);
    if (from.endsWith('.d.ts')) continue;
    // Each module the JavaScript loads, named by the source line that imports it (a value import
    // before a type-only one, a static one before a dynamic one).
    const order: Record<EdgeKind, number> = { static: 0, dynamic: 1, type: 2 };
    const loaded = new Set(runtimeModules(text).map((m) => resolveSpecifier(repo, from, m)));
    const seen = new Set<string>();
    for (const e of [...own].sort((a, b) => order[a.kind] - order[b.kind])) {
      if (!loaded.has(e.to) || seen.has(e.to)) continue;
      seen.add(e.to);
      runtime.push(e.kind === 'type' ? { ...e, kind: 'static' } : e);
    }
    for (const m of loaded) {
      if (typeof m === 'string' && m.startsWith(`${srcDir}/`) && !seen.has(m)) problems.push(`${from}: the emitted JavaScript loads ${m}, which no import of the source names`);
    }
  }
  return { files, edges, runtime, problems };
}

export function edgeText(e: Edge): string {
  return `${e.from}:${e.line} -> ${e.to} (${e.kind})`;
}

/**
 * The strongly connected components with more than one file (or a file importing itself), by
 * Tarjan's algorithm: each one holds at least one cycle.
 */
export function cycles(files: readonly string[], edges: readonly Pick<Edge, 'from' | 'to'>[]): string[][] {
  const next = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const e of edges) next.get(e.from)?.push(e.to);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let counter = 0;
  const strong = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (next.get(v) ?? []).includes(v)) out.push(component.sort());
    }
  };
  for (const f of files) if (!index.has(f)) strong(f);
  return out;
}

/** One cycle through `start` inside its component, as a path of files (start ... start), by breadth-first search. */
export function cycleThrough(start: string, component: readonly string[], edges: readonly Pick<Edge, 'from' | 'to'>[]): string[] {
  const inside = new Set(component);
  const prev = new Map<string, string>();
  const queue = edges.filter((e) => e.from === start && inside.has(e.to)).map((e) => e.to);
  for (const q of queue) prev.set(q, start);
  while (queue.length > 0) {
    const v = queue.shift()!;
    if (v === start) break;
    for (const e of edges) {
      if (e.from === v && inside.has(e.to) && !prev.has(e.to)) {
        prev.set(e.to, v);
        queue.push(e.to);
      }
    }
  }
  const path = [start];
  for (let v = prev.get(start); v !== undefined && v !== start; v = prev.get(v)) path.unshift(v);
  path.unshift(start);
  return path;
}
