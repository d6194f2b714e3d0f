// Review before anything is written: each change as `field: old -> new`, the files that will
// change, and the full diff one key away. Y/Enter goes ahead, N/Esc returns to editing.
import type { Current } from '../core.js';
import { preparePlan } from '../core.js';
import type { PlanError } from '../model/planError.js';
import type { Change } from '../model/types.js';
import { type Plan, planDiff } from '../plan.js';
import { startApply } from './apply.js';
import { type Key, isChar } from './keys.js';
import { Pager } from './pager.js';
import { type KeyHelp, type Line, bold, line, seg, wrap } from './text.js';
import type { Frame, Size, UiContext, View } from './view.js';

/** Plans the changes against the latest reading and opens the review; returns the errors instead when it cannot. */
export function openReview(ctx: UiContext, changes: readonly Change[]): PlanError[] | null {
  const current = ctx.current();
  const planned = preparePlan(current, changes);
  if (!planned.ok) return planned.error;
  ctx.open(new ReviewView(ctx, current, planned.value));
  return null;
}

export function reviewLines(plan: Plan, ctx: Pick<UiContext, 'applyToSystem' | 'filesOnlyReason'>, width: number): Line[] {
  const out: Line[] = [];
  const para = (text: string, indent = ''): void => {
    wrap(text, width - indent.length).forEach((t) => out.push(line(indent + t)));
  };
  if (plan.edits.length === 0) {
    out.push([bold('Nothing to change: the files already say that.')]);
    out.push([], line('Press N or Esc to go back to editing.'));
    return out;
  }
  out.push([bold('Changes (nothing is written yet):')]);
  if (plan.summary.length === 0) out.push(line('  (no setting changes; only how the files are written)'));
  for (const s of plan.summary) para(`${s.field}: ${s.old} -> ${s.new}`, '  ');
  out.push([], [bold('Files that will change:')]);
  for (const e of plan.edits) para(`${e.path}${e.before === null ? ' (new file)' : ''}`, '  ');
  if (plan.notes.length) {
    out.push([]);
    for (const n of plan.notes) para(`Note: ${n}.`);
  }
  out.push([]);
  if (ctx.applyToSystem) {
    para('Y writes the files, applies them to the running system and checks the result; if the check fails, the old settings come back.');
  } else {
    para(`Y writes the files only: ${ctx.filesOnlyReason ?? 'the running system is left alone'}.`);
  }
  return out;
}

export class ReviewView implements View {
  readonly title = 'Review changes';

  constructor(private readonly ctx: UiContext, private readonly current: Current, readonly plan: Plan) {}

  render(size: Size): Frame {
    return { lines: reviewLines(this.plan, this.ctx, size.width) };
  }

  help(): KeyHelp {
    if (this.plan.edits.length === 0) return [['N/Esc', 'Back to editing']];
    return [['Y/Enter', this.ctx.applyToSystem ? 'Apply' : 'Write'], ['N/Esc', 'Back to editing'], ['D', 'Full diff']];
  }

  key(k: Key): void {
    if (k.name === 'escape' || isChar(k, 'n')) this.ctx.back();
    else if (this.plan.edits.length === 0) return;
    else if (k.name === 'enter' || isChar(k, 'y')) startApply(this.ctx, this.current, this.plan);
    else if (isChar(k, 'd')) this.ctx.open(new TextPager('Full diff', planDiff(this.plan), this.ctx));
  }
}

/** The full diff, scrollable. */
export class TextPager implements View {
  private readonly pager = new Pager();

  constructor(readonly title: string, private readonly text: string, private readonly ctx: UiContext) {}

  render(size: Size): Frame {
    const rows = this.text.replace(/\n$/, '').split('\n').flatMap((l) => {
      const out: Line[] = [];
      for (let s = l; ; s = s.slice(size.width)) {
        out.push([seg(s.slice(0, size.width))]);
        if (s.length <= size.width) break;
      }
      return out;
    });
    return { lines: this.pager.view(rows, size.height) };
  }

  help(): KeyHelp {
    return [['Up/Down/PgUp/PgDn', 'Scroll'], ['Esc/D', 'Back to review']];
  }

  key(k: Key): void {
    if (this.pager.key(k)) return;
    if (k.name === 'escape' || k.name === 'backspace' || isChar(k, 'd', 'q')) this.ctx.back();
  }
}
