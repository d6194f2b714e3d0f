// Hostname: one field.
import { err, ok } from '../../model/result.js';
import { validateHostname } from '../../model/validate.js';
import { type FormSpec, FormView } from '../widgets/form.js';
import { openReview } from '../review.js';
import { hostnameText } from '../statusView.js';
import { line } from '../text.js';
import type { UiContext } from '../view.js';
import type { Feature } from './types.js';

export function hostnameForm(ctx: UiContext): FormView {
  const c = ctx.current();
  const spec: FormSpec = {
    title: 'Hostname',
    intro: () => [
      line(`Now: ${hostnameText(ctx.current())}`),
      line('Letters, digits and hyphens; dots between labels; at most 64 characters.'),
    ],
    fields: [{ kind: 'text', id: 'hostname', label: 'Hostname', value: c.status.hostname ?? c.status.liveHostname ?? '', width: 64, maxLength: 253 }],
    submit: (v) => {
      const r = validateHostname(v.get('hostname') ?? '');
      return r.ok ? ok([r.value]) : err(r.error);
    },
    next: (changes) => openReview(ctx, changes),
  };
  return new FormView(ctx, spec);
}

export const hostnameFeature: Feature = {
  id: 'hostname',
  title: 'Hostname',
  key: 'h',
  order: 30,
  description: 'The name of this machine (/etc/hostname and the /etc/hosts line).',
  privileged: true,
  setting: 'hostname',
  summary: (c) => [`Now: ${hostnameText(c)}`],
  activate: (ctx) => ctx.open(hostnameForm(ctx)),
};
