// Review before anything is written: each change as `field: old -> new`, the files that will
// change, and the full diff one key away. Only Y goes ahead (Enter does not: a second Enter typed
// after a form's must not write), and keys typed before the review appeared never answer it.
import type { Current } from '../core.js';
import { preparePlan } from '../plan.js';
import type { PlanError } from '../model/planError.js';
import type { Change } from '../model/types.js';
import { type Plan, planDiff } from '../plan.js';
import { type ApplyContext, startApply } from './apply.js';
import { type Key, isChar } from './keys.js';
import { type KeyHelp, type Line, bold, line, wrap } from './text.js';
import type { ConsoleSetup, Frame, Readings, Size, View } from './view.js';
import { TextPager } from './widgets/textPager.js';

/** What the review needs: what the apply needs, and how long it ignores keys typed ahead. */
export type ReviewContext = ApplyContext & Pick<ConsoleSetup, 'typeAheadMs'>;

export interface ReviewOptions {
  /** The screen title; default "Review changes". */
  readonly title?: string;
  /** Y was pressed: the change is being written. */
  readonly onWrite?: () => void;
}

/** Plans the changes against the latest reading and opens the review; returns the errors instead when it cannot. */
export function openReview(ctx: ReviewContext & Pick<Readings, 'current'>, changes: readonly Change[], opts: ReviewOptions = {}): PlanError[] | null {
  const current = ctx.current();
  const planned = preparePlan(current, changes);
  if (!planned.ok) return planned.error;
  ctx.open(new ReviewView(ctx, current, planned.value, opts));
  return null;
}

export function reviewLines(plan: Plan, ctx: Pick<ApplyContext, 'applyToSystem' | 'filesOnlyReason'>, width: number): Line[] {
  const out: Line[] = [];
  const para = (text: string, indent = ''): void => {
    wrap(text, width - indent.length).forEach((t) => out.push(line(indent + t)));
  };
  if (plan.edits.length === 0) {
    out.push([bold('Nothing to change: the files already say that.')]);
    out.push([], line('Nothing will be written. Press N or Esc to go back to editing.'));
    for (const n of plan.notes) {
      out.push([]);
      para(`Note: ${n}.`);
    }
    return out;
  }
  out.push([bold('Changes (nothing is written yet):')]);
  for (const s of plan.summary) para(`${s.field}: ${s.old} -> ${s.new}`, '  ');
  out.push([], [bold('Files that will change:')]);
  for (const e of plan.edits) para(`${e.path}${e.remove ? ' (removed)' : e.before === null ? ' (new file)' : ''}`, '  ');
  if (plan.notes.length) {
    out.push([]);
    for (const n of plan.notes) para(`Note: ${n}.`);
  }
  out.push([]);
  if (ctx.applyToSystem) {
    para('Y (and only Y) writes the files, applies them to the running system and checks the result; if the check fails, the old settings come back.');
    if (plan.rollbackLimits.length) {
      out.push([], [bold('What a rollback cannot put back exactly:')]);
      for (const l of plan.rollbackLimits) para(`${l}.`, '  ');
    }
  } else {
    para(`Y (and only Y) writes the files only: ${ctx.filesOnlyReason ?? 'the running system is left alone'}.`);
  }
  return out;
}

export class ReviewView implements View {
  readonly title: string;
  private readonly openedAt = Date.now();
  /** Keys arrived before the review could be read, and were dropped. */
  private ignored = 0;

  constructor(private readonly ctx: ReviewContext, private readonly current: Current, readonly plan: Plan, private readonly opts: ReviewOptions = {}) {
    this.title = opts.title ?? 'Review changes';
  }

  render(size: Size): Frame {
    const lines = reviewLines(this.plan, this.ctx, size.width);
    if (this.ignored) {
      const said = wrap(`${this.ignored} key${this.ignored === 1 ? ' was' : 's were'} typed before this screen appeared and ignored: read it, then answer.`, size.width);
      lines.unshift(...said.map((t) => [bold(t)]), []);
    }
    return { lines };
  }

  help(): KeyHelp {
    if (this.plan.edits.length === 0) return [['N/Esc', 'Back to editing']];
    return [['Y', this.ctx.applyToSystem ? 'Write and apply' : 'Write'], ['N/Esc', 'Back to editing'], ['D', 'Full diff']];
  }

  key(k: Key): void {
    if (Date.now() - this.openedAt < this.ctx.typeAheadMs) {
      this.ignored++;
      return;
    }
    if (k.name === 'escape' || isChar(k, 'n')) this.ctx.back();
    else if (this.plan.edits.length === 0) return;
    else if (isChar(k, 'y')) {
      this.opts.onWrite?.();
      startApply(this.ctx, this.current, this.plan);
    }
    else if (isChar(k, 'd')) this.ctx.open(new TextPager('Full diff', planDiff(this.plan), this.ctx));
    else if (k.name === 'enter') this.ctx.notify('Enter does not write: press Y to go ahead, N to go back', 'info');
  }
}
