// Emergency reset: one interface back to DHCP with no static DNS of its own, nothing else touched
// (src/reset.ts), through the ordinary review, apply, verify and rollback.
import { formatFieldError } from '../../model/fieldError.js';
import { formatFileRefusal, isFileRefusal } from '../../model/planError.js';
import { planReset, resetText } from '../../reset.js';
import { ListView } from '../widgets/list.js';
import { ReviewView } from '../review.js';
import { TextPager } from '../widgets/textPager.js';
import { addressText, linkText, methodText } from '../statusView.js';
import { bold, line, padRight, wrap } from '../text.js';
import type { UiContext } from '../view.js';
import type { Feature } from './types.js';

function choose(ctx: UiContext, device: string): void {
  const current = ctx.current();
  const planned = planReset(current, device);
  if (!planned.ok) ctx.open(new TextPager('Cannot reset', `${planned.error.map((e) => (isFileRefusal(e) ? `will not edit ${formatFileRefusal(e)}` : formatFieldError(e))).join('\n')}\nNothing was written.\n`, ctx));
  else ctx.open(new ReviewView(ctx, current, planned.value));
}

export function resetList(ctx: UiContext): ListView {
  return new ListView({
    title: 'Emergency reset',
    intro: [...wrap(resetText('the interface you choose'), 76).map((t) => line(t)), [], line('Choose the interface:'), []],
    header: [bold(`  ${padRight('Interface', 11)}${padRight('Link', 12)}${padRight('Method', 8)}IPv4 address`)],
    items: () => ctx.current().status.interfaces.filter((i) => !ctx.hidden(i.name)).map((i) => ({
      label: `${padRight(i.name, 10)} ${padRight(linkText(i.link), 11)} ${padRight(methodText(i.method), 7)} ${addressText(i)}`,
      select: () => choose(ctx, i.name),
    })),
    back: () => ctx.back(),
    selectWord: 'Review',
  });
}

export const resetFeature: Feature = {
  id: 'reset',
  title: 'Emergency reset to DHCP',
  key: 'e',
  order: 36,
  description: 'One interface back to DHCP with no static DNS; nothing else changes. Reviewed first.',
  privileged: true,
  activate: (ctx) => ctx.open(resetList(ctx)),
};
