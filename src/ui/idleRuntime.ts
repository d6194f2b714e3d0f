// The console runs for months and redraws on a key press: V8's optimising compiler has nothing to
// win there, and its code and compile zones were about 5 MB of the process's resident memory
// (docs/bench.md). Turned off only after the first paint: once a V8 flag changes, V8 refuses Node's
// own code cache for every built-in module loaded later, which cost about 4 ms before the first
// screen.
export async function settleForIdle(): Promise<void> {
  const v8 = await import('node:v8');
  v8.setFlagsFromString('--no-opt');
}
