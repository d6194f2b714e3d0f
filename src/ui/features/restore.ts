// Restore earlier settings: the backups, newest first (when, who, what changed); choosing one plans
// the restore (src/restore.ts) and opens the ordinary review, so it is written, applied, verified and
// kept or rolled back like any change, and can itself be undone from this list.
// The backups and the restore load when the entry is opened, not with the first screen (machine.ts).
import type { Backup } from '../../files/backups.js';
import { ListView } from '../widgets/list.js';
import { ReviewView } from '../review.js';
import { TextPager } from '../widgets/textPager.js';
import { bold, line, padRight, wrap } from '../text.js';
import type { UiContext } from '../view.js';
import type { Feature } from './types.js';

const when = (b: Backup): string => b.created.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');

function who(b: Backup): string {
  const c = b.change;
  if (!c) return '(not recorded)';
  const what = c.kind === 'restore' ? 'restore' : c.kind === 'reset' ? `reset ${c.of ?? ''}` : 'change';
  return `${c.user} on ${c.tty ?? '-'}, ${what}`;
}

function what(b: Backup): string[] {
  const c = b.change;
  if (!c) return [`files: ${b.files.map((f) => f.path).join(', ')}`];
  return c.summary.length ? c.summary.map((s) => `${s.field}: ${s.old} -> ${s.new}`) : ['(only how the files are written)'];
}

function choose(ctx: UiContext, b: Backup): void {
  ctx.run(async () => {
    const current = ctx.current();
    const planned = await ctx.system.planRestore(current, b.id);
    if (!planned.ok) ctx.open(new TextPager('Cannot restore', `Backup ${b.id} cannot be restored; nothing was written.\n\n${planned.error.join('\n')}\n`, ctx));
    else ctx.open(new ReviewView(ctx, current, planned.value));
  });
}

export async function backupList(ctx: UiContext): Promise<ListView> {
  const { backups, damaged } = await ctx.system.backups();
  return new ListView({
    title: 'Restore earlier settings',
    intro: [
      ...wrap('Each change left a backup. Choosing one brings back the settings from just before that change (later changes are undone too); you review the difference first.', 76).map((t) => line(t)),
      [],
      ...(damaged.length ? [line(`${damaged.length} damaged backup(s) are not shown: "ttyconf backups" lists why.`), []] : []),
    ],
    header: [bold(`  ${padRight('When', 22)}Who`)],
    items: () => backups.map((b) => ({ label: `${padRight(when(b), 21)} ${who(b)}`, select: () => choose(ctx, b) })),
    footer: (i) => {
      const b = backups[i];
      return b ? [[], line(`Backup ${b.id}, that change:`), ...what(b).flatMap((t) => wrap(t, 72).map((w) => line(`  ${w}`)))] : [];
    },
    back: () => ctx.back(),
    selectWord: 'Review',
  });
}

export const restoreFeature: Feature = {
  id: 'restore',
  title: 'Restore earlier settings',
  key: 'b',
  order: 35,
  description: 'Back to the settings from before an earlier change (from the backups); reviewed, applied and checked like any change.',
  privileged: true,
  activate: async (ctx) => ctx.open(await backupList(ctx)),
};
