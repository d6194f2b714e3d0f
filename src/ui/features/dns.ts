// DNS: up to three servers and the search domains.
import { err, ok } from '../../model/result.js';
import { MAX_DNS_SERVERS } from '../../model/types.js';
import { validateDns } from '../../model/validate.js';
import { type FieldError } from '../../model/fieldError.js';
import { type FormSpec, FormView, type TextField } from '../widgets/form.js';
import { openReview } from '../review.js';
import { line, wrap } from '../text.js';
import type { UiContext } from '../view.js';
import type { Feature } from './types.js';

const SERVER_IDS = Array.from({ length: MAX_DNS_SERVERS }, (_, i) => `dns${i + 1}`);

/** validateDns numbers servers after dropping empty ones: map "dnsN" back to the field it came from. */
export function dnsFieldOf(servers: readonly string[]): (e: FieldError) => string | null {
  const filled = servers.map((s, i) => (s.trim() ? i : -1)).filter((i) => i >= 0);
  return (e) => {
    const m = /^dns(\d+)$/.exec(e.field);
    if (m) {
      const i = filled[Number(m[1]) - 1];
      return i === undefined ? null : SERVER_IDS[i] ?? null;
    }
    return e.field === 'search' ? 'search' : null;
  };
}

export function splitDomains(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

export function dnsForm(ctx: UiContext): FormView {
  const { dns } = ctx.current().status;
  const servers: TextField[] = SERVER_IDS.map((id, i) => ({
    kind: 'text', id, label: `DNS server ${i + 1}`, value: dns.servers[i] ?? '', width: 39, maxLength: 45, hint: i === 0 ? 'e.g. 192.0.2.53' : undefined,
  }));
  const search: TextField = {
    kind: 'text', id: 'search', label: 'Search domains', value: dns.search.join(' '), width: 256, maxLength: 256, hint: 'spaces between',
  };
  let lastServers: string[] = [];
  const spec: FormSpec = {
    title: 'DNS',
    intro: () => {
      const { dns: now, resolver, configuredDns: profile } = ctx.current().status;
      // Where resolv.conf (what the resolver uses) and the profile's DNSn/DOMAIN differ, say which this is.
      const from = profile && resolver.dnsFrom === 'resolv.conf' && (profile.servers.join(' ') !== now.servers.join(' ') || (profile.search.length > 0 && profile.search.join(' ') !== now.search.join(' ')))
        ? wrap(`From /etc/resolv.conf, which the resolver uses (${resolver.writer}); ${profile.file.replace(/.*\//, '')} says ${profile.servers.join(' ') || 'no servers'}. Saving writes both.`, 76).map((t) => line(t))
        : [];
      return [
        line(`Now: servers ${now.servers.join(' ') || '(none)'}; search ${now.search.join(' ') || '(none)'}`),
        ...from,
        line('Empty fields are dropped; all empty clears the servers.'),
      ];
    },
    fields: [...servers, search],
    submit: (v) => {
      lastServers = SERVER_IDS.map((id) => v.get(id) ?? '');
      const r = validateDns({ servers: lastServers, search: splitDomains(v.get('search') ?? '') });
      return r.ok ? ok([r.value]) : err(r.error);
    },
    fieldOf: (e) => dnsFieldOf(lastServers)(e),
    next: (changes) => openReview(ctx, changes),
  };
  return new FormView(ctx, spec);
}

export const dnsFeature: Feature = {
  id: 'dns',
  title: 'DNS',
  key: 'd',
  order: 20,
  description: 'Name servers (up to 3) and search domains.',
  privileged: true,
  setting: 'dns',
  summary: (c) => [`Servers: ${c.status.dns.servers.join(' ') || '(none)'}`, `Search: ${c.status.dns.search.join(' ') || '(none)'}`],
  activate: (ctx) => ctx.open(dnsForm(ctx)),
};
