// The check that dynamic import() stays lazy in the bundle: a module reached only through import()
// must not run at start-up.

/**
 * Which modules reachable only through dynamic import() the bundle initialises at start-up anyway.
 * esbuild (non-minified CJS) wraps a lazily imported ESM module in `var init_X = __esm({"path"() {...}})`
 * and a CJS module in `var require_X = __commonJS({"path"(...) {...}})`; only calls at column 0 run at
 * start-up. A module that only dynamic imports reach must have no such call.
 */
export function lazyReport(code, metafile) {
  const inputs = metafile.inputs;
  const staticKinds = new Set(['import-statement', 'require-call', 'require-resolve']);
  const entries = Object.keys(metafile.outputs).flatMap((o) => (metafile.outputs[o].entryPoint ? [metafile.outputs[o].entryPoint] : []));
  const reached = new Set(entries);
  const queue = [...entries];
  while (queue.length) {
    const p = queue.pop();
    for (const imp of inputs[p]?.imports ?? []) {
      if (imp.external || !staticKinds.has(imp.kind) || reached.has(imp.path)) continue;
      reached.add(imp.path);
      queue.push(imp.path);
    }
  }
  const dynamicTargets = new Set(
    Object.values(inputs).flatMap((i) => i.imports.filter((imp) => imp.kind === 'dynamic-import' && !imp.external).map((imp) => imp.path)),
  );
  const lazyOnly = Object.keys(inputs).filter((p) => !reached.has(p));
  const wrapperOf = new Map();
  for (const m of code.matchAll(/^var ((?:init|require)_[\w$]+) = __(?:esm|commonJS)\(\{\n\s+"([^"]+)"/gm)) wrapperOf.set(m[1], m[2]);
  if (dynamicTargets.size > 0 && wrapperOf.size === 0) {
    throw new Error('build: cannot check that import() stays lazy: no esbuild module wrappers found (minified output?)');
  }
  const eager = new Set();
  for (const m of code.matchAll(/^(?:var [\w$]+ = )?(?:__toESM\()?((?:init|require)_[\w$]+)\(\)/gm)) {
    const p = wrapperOf.get(m[1]);
    if (p) eager.add(p);
  }
  return {
    dynamicImports: [...dynamicTargets].sort(),
    lazyModules: lazyOnly.length,
    lazyBytes: lazyOnly.reduce((n, p) => n + inputs[p].bytes, 0),
    eagerViolations: lazyOnly.filter((p) => eager.has(p)).sort(),
  };
}
