// Types for blessed's screen and box files, imported directly (not through the index) by the UI's
// bundle smoke test (test/package/fixtures/blessed-smoke.ts). src/ui/blessed.ts loads them with
// require and types them itself. @types/blessed covers only the index.
declare module 'blessed/lib/widgets/screen.js' {
  import type { Widgets } from 'blessed';
  const Screen: new (options: Record<string, unknown>) => Widgets.Screen;
  export default Screen;
}

declare module 'blessed/lib/widgets/box.js' {
  import type { Widgets } from 'blessed';
  const Box: new (options: Record<string, unknown>) => Widgets.BoxElement;
  export default Box;
}
