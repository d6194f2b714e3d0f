// Node built-ins in the bundled program (the build puts these two in the program's banner and
// rewrites the calls: scripts/build/payload.mjs):
// - lazyBuiltin: a built-in that blessed or the core requires at top level but the first screen
//   never uses (each costs 0.5-2 ms to load) loads on its first property access or call.
// - importBuiltin: import() of a built-in, which esbuild leaves as a real import(); the program runs
//   from vm.Script, which has no loader for import(). A require with the namespace's shape instead.
// `require` is the program's own: these run inside it.

type AnyModule = Record<PropertyKey, unknown> & ((...args: unknown[]) => unknown);

export function lazyBuiltin(require: NodeJS.Require, name: string): unknown {
  let m: AnyModule | null = null;
  const load = (): AnyModule => m ?? (m = require(name) as AnyModule);
  // A function target, so that a module that is itself a function (assert) can be called.
  return new Proxy(function lazy() {}, {
    get: (_, key) => load()[key],
    has: (_, key) => key in load(),
    apply: (_, self, args) => load().apply(self, args),
  });
}

export function importBuiltin(require: NodeJS.Require, name: string): unknown {
  const m = require(name) as object;
  return Object.freeze(Object.assign(Object.create(null) as object, m, { default: m }));
}
