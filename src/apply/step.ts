// One step of applying a change: a purpose and the programs that may carry it out.
export interface Cmd {
  readonly file: string;
  readonly args: readonly string[];
  readonly timeoutMs: number;
}

export interface Step {
  readonly purpose: string;
  /** Tried in order until one succeeds (nmcli device reapply, then nmcli connection up). */
  readonly tries: readonly Cmd[];
  /** A failure is logged and the next step runs anyway (the change is not abandoned for it). */
  readonly optional: boolean;
}
