// The IPv6 fields of the interface form: method (off, auto, DHCPv6, static), addresses and gateway.
// They start from the profile; an unchanged IPv6 part adds no change to the review.
import type { Current } from '../../core.js';
import type { FieldError } from '../../model/fieldError.js';
import { type Ip6Change, validateIp6 } from '../../model/ipv6.js';
import { type Result, ok } from '../../model/result.js';
import type { ChoiceField, TextField } from '../widgets/form.js';

export interface Ipv6Prefill {
  readonly method: 'ignore' | 'auto' | 'dhcp' | 'static';
  readonly addresses: string;
  readonly gateway: string;
}

export function ipv6Prefill(c: Current, device: string): Ipv6Prefill {
  const v = c.status.interfaces.find((x) => x.name === device)?.ipv6;
  const method = v?.method === 'auto' || v?.method === 'dhcp' || v?.method === 'static' ? v.method : 'ignore';
  return { method, addresses: v?.addresses.join(' ') ?? '', gateway: v?.gateway ?? '' };
}

export function ipv6Fields(c: Current, device: string): {
  fields: (ChoiceField | TextField)[];
  /** The IPv6 change, null when the fields say what the profile says already. */
  change: (v: ReadonlyMap<string, string>) => Result<Ip6Change | null, FieldError[]>;
  /** The field an IPv6 error goes under, or null when it is not one. */
  fieldOf: (e: FieldError) => string | null;
} {
  const start = ipv6Prefill(c, device);
  const method: ChoiceField = {
    kind: 'choice',
    id: 'ipv6method',
    label: 'IPv6',
    options: [
      { value: 'ignore', label: 'Off', key: 'o' },
      { value: 'auto', label: 'Auto', key: 'a' },
      { value: 'dhcp', label: 'DHCPv6', key: 'd' },
      { value: 'static', label: 'Static', key: 's' },
    ],
    value: start.method,
  };
  const isStatic = (): boolean => method.value === 'static';
  // An IPv6 address with its prefix is up to 43 characters: the box is that wide, and scrolls beyond.
  const text = (id: string, label: string, value: string, hint: string, maxLength: number): TextField => ({
    kind: 'text', id, label, value, hint, width: 43, maxLength, enabled: isStatic,
  });
  return {
    fields: [
      method,
      text('ipv6address', 'IPv6 addresses', start.addresses, 'ADDR/PREFIX, blank between', 400),
      text('ipv6gateway', 'IPv6 gateway', start.gateway, 'optional; fe80::1 works', 60),
    ],
    change: (v) => {
      const m = v.get('ipv6method') ?? 'ignore';
      const addresses = m === 'static' ? (v.get('ipv6address') ?? '').split(/[\s,]+/).filter(Boolean) : [];
      const gateway = m === 'static' ? (v.get('ipv6gateway') ?? '').trim() : '';
      const same = m === start.method && (m !== 'static' || (addresses.join(' ') === start.addresses && gateway === start.gateway));
      if (same) return ok(null);
      const r = validateIp6({ device, method: m, addresses, gateway: gateway || undefined });
      return r.ok ? ok(r.value) : r;
    },
    fieldOf: (e) => (e.field === 'ipv6 method' ? 'ipv6method' : e.field.startsWith('ipv6 address') ? 'ipv6address' : e.field === 'ipv6 gateway' ? 'ipv6gateway' : null),
  };
}
