// What ttyconf read of a machine before a change: its files, its live network, the status built
// from both, and who applies settings there. core.ts reads it; plans, tests and views take it.
import type { Root } from './files/root.js';
import type { Snapshot } from './files/read.js';
import type { LiveState } from './model/live.js';
import type { Status } from './status.js';
import type { StackInfo } from './system/stack.js';

export interface Current {
  readonly root: Root;
  readonly snapshot: Snapshot;
  readonly live: LiveState;
  readonly status: Status;
  /** Who applies settings here (NetworkManager, network-scripts, iproute2); null when not asked (no runner). */
  readonly stack: StackInfo | null;
}
