// blessed, loaded piece by piece: the screen and one box, not its index, which requires all 30
// widgets. Start-up time is the status screen's budget, so two more things:
// - CommonJS require, not ESM import: Node 20 loads blessed's require chain about twice as slowly
//   when the first file of it is imported from ESM. Bundled (scripts/build.mjs, CommonJS output),
//   `require` exists and esbuild bundles these calls; unbundled ESM (dist/) takes createRequire.
// - Lazy terminfo compilation (below).
import { createRequire } from 'node:module';
import type { Widgets } from 'blessed';

type ScreenCtor = new (options: Record<string, unknown>) => Widgets.Screen;
type BoxCtor = new (options: Record<string, unknown>) => Widgets.BoxElement;
type CapFn = (this: unknown, params: unknown) => string;
interface TputModule {
  prototype: {
    _compile(this: unknown, info: unknown, key: string, str: unknown): unknown;
    _ttyconfLazy?: boolean;
  };
}

// In the bundle (CommonJS) blessed is loaded with its own require, so that esbuild bundles it.
/* eslint-disable @typescript-eslint/no-require-imports */
const cjs = typeof require === 'function';
const load = cjs ? null : createRequire(import.meta.url);
export const Screen = (cjs ? require('blessed/lib/widgets/screen.js') : load!('blessed/lib/widgets/screen.js')) as ScreenCtor;
export const Box = (cjs ? require('blessed/lib/widgets/box.js') : load!('blessed/lib/widgets/box.js')) as BoxCtor;
const Tput = (cjs ? require('blessed/lib/tput.js') : load!('blessed/lib/tput.js')) as TputModule;
/* eslint-enable @typescript-eslint/no-require-imports */

// blessed turns each of the terminal's ~150 terminfo strings into a function with `new Function`
// when the screen starts, though a console UI uses a dozen. Compile each on its first use instead:
// the same function, built later (about a third of blessed's start-up work).
const proto = Tput.prototype;
if (!proto._ttyconfLazy) {
  const compileNow = proto._compile;
  proto._compile = function lazyCompile(this: unknown, info: unknown, key: string, str: unknown): unknown {
    if (typeof str !== 'string' || str === '' || key === 'init_file' || key === 'reset_file') {
      return compileNow.call(this, info, key, str);
    }
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the capability's own `this` is another object
    const tput = this;
    let compiled: CapFn | null = null;
    return function capability(this: unknown, params: unknown): string {
      compiled ??= compileNow.call(tput, info, key, str) as CapFn;
      return compiled.call(this, params);
    };
  };
  proto._ttyconfLazy = true;
}
