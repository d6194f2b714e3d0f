// After the review: write (and apply) through the core, with a progress line, the "Keep these
// settings?" countdown when the core asks, and a result screen for every outcome.
import type { Current } from '../core.js';
import type { Plan } from '../plan.js';
import type { Outcome } from '../transaction.js';
import type { CheckResult } from '../apply/types.js';
import { type AuthContext, requireAuth } from './auth.js';
import { type Key, isChar } from './keys.js';
import { checkLine } from '../model/check.js';
import { outcomeReport } from './outcome.js';
import { type KeyHelp, type Line, bold, focus, line, seg, wrap } from './text.js';
import type { Frame, MachineAccess, Readings, Screens, Size, View } from './view.js';
import { Pager } from './widgets/pager.js';

/** What writing a change needs: the login, the machine adapter, and a new reading afterwards. */
export type ApplyContext = AuthContext & MachineAccess & Pick<Readings, 'refresh'>;

export function startApply(ctx: ApplyContext, current: Current, plan: Plan): void {
  const progress = new ProgressView(ctx.applyToSystem);
  // The checks after the apply: shown with "Keep these settings?", the facts that answer it.
  const checks: CheckResult[] = [];
  ctx.replace(progress);
  ctx.run(async () => {
    const outcome = await requireAuth(ctx, () =>
      ctx.execute(current, plan, {
        apply: ctx.applyToSystem,
        onProgress: (message, event) => {
          if (event?.kind === 'check') checks.push(event.check);
          progress.add(message);
          ctx.redraw();
        },
        confirmKeep: (seconds, signal) => askKeep(ctx, seconds, signal, plan.summary.map((c) => `${c.field}: ${c.old} -> ${c.new}`), checks),
      }),
    );
    if (outcome === undefined) {
      ctx.home();
      ctx.notify('Not allowed: nothing was written');
      return;
    }
    await ctx.refresh();
    ctx.replace(new ResultView(ctx, plan, outcome));
  });
}

export class ProgressView implements View {
  readonly title = 'Working';
  readonly busy = true;
  readonly steps: string[] = [];

  constructor(private readonly applying: boolean) {}

  add(message: string): void {
    this.steps.push(message);
  }

  render(size: Size): Frame {
    const lines: Line[] = [
      [bold(this.applying ? 'Writing and applying the change. Please wait.' : 'Writing the files. Please wait.')],
      [],
    ];
    this.steps.forEach((s, i) => {
      wrap(`${i === this.steps.length - 1 ? '... ' : 'done '}${s}`, size.width).forEach((t) => lines.push(line(t)));
    });
    return { lines, focusRow: lines.length - 1 };
  }

  help(): KeyHelp {
    return [['Please wait', '(keys are ignored until this step ends)']];
  }

  key(): void {
    /* nothing may interrupt a write */
  }
}

/**
 * Shows the countdown and resolves true to keep; false on revert, timeout, or the UI closing.
 * The core aborts `signal` when the question is over without an answer: the screen closes then.
 */
export function askKeep(ctx: Screens, seconds: number, signal?: AbortSignal, changes: readonly string[] = [], checks: readonly CheckResult[] = []): Promise<boolean> {
  return new Promise((resolve) => {
    const view = new KeepView(ctx, seconds, resolve, changes, checks);
    if (signal?.aborted) return resolve(false);
    signal?.addEventListener('abort', () => view.abort(), { once: true });
    ctx.open(view);
  });
}

export class KeepView implements View {
  readonly title = 'Keep these settings?';
  readonly busy = true;
  /** Which button Enter presses; Revert unless the user moves. */
  choice: 'keep' | 'revert' = 'revert';
  private readonly deadline: number;
  private readonly timer: NodeJS.Timeout;
  private decided = false;

  constructor(
    private readonly ctx: Screens,
    seconds: number,
    private readonly resolve: (keep: boolean) => void,
    private readonly changes: readonly string[] = [],
    private readonly checks: readonly CheckResult[] = [],
  ) {
    this.deadline = Date.now() + Math.max(1, seconds) * 1000;
    this.timer = setInterval(() => {
      if (this.remaining() <= 0) this.decide(false);
      else ctx.redraw();
    }, 250);
  }

  remaining(): number {
    return Math.max(0, Math.ceil((this.deadline - Date.now()) / 1000));
  }

  render(size: Size): Frame {
    const lines: Line[] = [
      line('The new settings are active.'),
      [],
      [bold(`Keep these settings? Reverting in ${this.remaining()} s.`)],
      [],
    ];
    if (this.checks.length) {
      const failed = this.checks.filter((c) => c.status === 'failed').length;
      lines.push([bold(failed ? `Checks: ${failed} of ${this.checks.length} did not pass` : `Checks: all ${this.checks.length} passed or were skipped`)]);
      for (const c of this.checks) {
        wrap(checkLine(c), size.width - 2).forEach((t, k) => lines.push(c.status === 'failed' ? [bold(`${k ? '    ' : '  '}${t}`)] : line(`${k ? '    ' : '  '}${t}`)));
      }
      lines.push([]);
    } else lines.push(line('No checks ran before this question.'), []);
    wrap('If the machine is not reachable as it should be, choose Revert or let the time run out: the old settings come back.', size.width)
      .forEach((t) => lines.push(line(t)));
    lines.push([]);
    const button = (id: 'keep' | 'revert', text: string): Line[number][] =>
      this.choice === id ? [seg('>'), focus(`[ ${text} ]`)] : [seg(' '), seg(`[ ${text} ]`)];
    lines.push(line('    ', ...button('keep', 'Keep (K)'), '     ', ...button('revert', 'Revert (R)')));
    if (this.changes.length) {
      lines.push([], [bold('Changes:')]);
      for (const c of this.changes) wrap(c, size.width - 2).forEach((t) => lines.push(line(`  ${t}`)));
    }
    return { lines };
  }

  help(): KeyHelp {
    return [['K/Y', 'Keep'], ['R/N/Esc', 'Revert now'], ['Left/Right', 'Choose'], ['Enter', 'Confirm']];
  }

  key(k: Key): void {
    if (isChar(k, 'k', 'y')) this.decide(true);
    else if (isChar(k, 'r', 'n') || k.name === 'escape') this.decide(false);
    else if (k.name === 'left' || k.name === 'right' || k.name === 'tab' || k.name === 'backtab') {
      this.choice = this.choice === 'keep' ? 'revert' : 'keep';
    } else if (k.name === 'enter') this.decide(this.choice === 'keep');
  }

  private decide(keep: boolean): void {
    if (this.decided) return;
    this.decided = true;
    clearInterval(this.timer);
    this.ctx.close(this);
    this.resolve(keep);
  }

  /** The core stopped asking (deadline, signal): close without an answer. */
  abort(): void {
    this.decide(false);
  }

  /** The UI is closing or crashed: the answer is revert. */
  closed(): void {
    if (this.decided) return;
    this.decided = true;
    clearInterval(this.timer);
    this.resolve(false);
  }
}

export class ResultView implements View {
  readonly title: string;
  private readonly pager = new Pager();

  constructor(private readonly ctx: Screens & Pick<MachineAccess, 'filesOnlyReason'>, private readonly plan: Plan, readonly outcome: Outcome) {
    this.title = outcomeReport(plan, outcome, ctx.filesOnlyReason, 76).title;
  }

  render(size: Size): Frame {
    return { lines: this.pager.view(outcomeReport(this.plan, this.outcome, this.ctx.filesOnlyReason, size.width).lines, size.height) };
  }

  help(): KeyHelp {
    return [['Enter/Esc', 'Back to status']];
  }

  key(k: Key): void {
    if (this.pager.key(k)) return;
    if (k.name === 'enter' || k.name === 'escape' || k.name === 'backspace') this.ctx.home();
  }
}
