// The contract between the app (one screen, one stack of views) and each screen of the UI.
import type { Current } from '../core.js';
import type { ExecuteOptions, Outcome } from '../transaction.js';
import type { Plan } from '../plan.js';
import type { Key } from './keys.js';
import type { KeyHelp, Line } from './text.js';

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** What a view draws inside the frame. */
export interface Frame {
  readonly lines: readonly Line[];
  /** A row the frame keeps visible when the lines do not fit (the focused field). */
  readonly focusRow?: number;
  /** Where the terminal cursor goes (a text field being edited); hidden when absent. */
  readonly cursor?: { readonly row: number; readonly col: number };
}

export interface View {
  readonly title: string;
  render(size: Size): Frame;
  help(): KeyHelp;
  key(k: Key): void;
  /** The view left the stack. */
  closed?(): void;
}

export type Executor = (current: Current, plan: Plan, opts: ExecuteOptions) => Promise<Outcome>;

/** What views and features may ask of the app. They never touch files or run programs themselves. */
export interface UiContext {
  /** The latest reading of the machine. */
  current(): Current;
  /** Reads the machine again now (after a change). */
  refresh(): Promise<void>;
  open(view: View): void;
  /** Replaces the top view. */
  replace(view: View): void;
  back(): void;
  /** Removes this view from the stack, wherever it is. */
  close(view: View): void;
  /** Back to the status screen. */
  home(): void;
  /** Draws again (after a view changed its state outside a key press). */
  redraw(): void;
  /** A one-line notice in the bottom border, until the next key. */
  notify(text: string): void;
  /** Runs an async step; a thrown error goes to the error boundary (message, back to status). */
  run(task: () => Promise<void>): void;
  /** Writes (and applies) a plan: the core's executePlan, injectable in tests. */
  readonly execute: Executor;
  /** Apply to the running system after writing (`!noApply && root.isSystem`). */
  readonly applyToSystem: boolean;
  /** Why only the files are written, when applyToSystem is false. */
  readonly filesOnlyReason: string | null;
  readonly now: () => Date;
}
