// What the build report says about laziness: which modules load on first use, and how the program's
// parts split between the start-up script and the line of those compiled on first use (program.mjs).

/**
 * dynamicImports: the modules import() reaches; lazyModules/lazyBytes: the modules no static import
 * reaches from the entry (they run when an import() first needs them); startupParts/lazyParts: the
 * parts' count and bytes (ES module text) in the start-up script and on the later parts' line.
 */
export function lazyReport(metafile, parts, startup, entryPoint) {
  const inputs = metafile.inputs;
  const staticKinds = new Set(['import-statement', 'require-call', 'require-resolve']);
  const reached = new Set([entryPoint]);
  const queue = [...reached];
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
  const sum = (list) => ({ parts: list.length, bytes: list.reduce((n, p) => n + Buffer.byteLength(p.esm), 0) });
  return {
    dynamicImports: [...dynamicTargets].sort(),
    lazyModules: lazyOnly.length,
    lazyBytes: lazyOnly.reduce((n, p) => n + inputs[p].bytes, 0),
    startupParts: sum(parts.filter((p) => startup.has(p.name))),
    lazyParts: sum(parts.filter((p) => !startup.has(p.name))),
  };
}
