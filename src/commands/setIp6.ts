// `ttyconf set ip6 DEV ignore|auto|dhcp|static ADDR/PREFIX... [--gateway GW]`: the words -> a
// validated IPv6 change (or the input errors); usage errors throw.
import { type CommandSpec, type ParsedArgs, UsageError, need, noMore, usage } from '../args.js';
import type { FieldError } from '../model/fieldError.js';
import { IPV6_METHODS, validateIp6 } from '../model/ipv6.js';
import type { Change } from '../model/types.js';
import { WRITE_OPTIONS } from './writeOptions.js';

export const SET_IP6_COMMAND = {
  name: 'set ip6',
  synopsis: ['DEV ignore|auto|dhcp', 'DEV static ADDR/PREFIX... [--gateway GW]'],
  options: {
    gateway: { kind: 'value', arg: 'GW', help: 'IPv6 gateway (static): on the link, or fe80::...' },
    ...WRITE_OPTIONS,
  },
  notes: 'ignore: IPv6 off; auto: router advertisements (SLAAC); dhcp: DHCPv6;\n'
    + 'static: the addresses given.\n'
    + 'A prefix other than /64 is allowed; the review says so.\n',
} as const satisfies CommandSpec;

export function ip6Change(spec: typeof SET_IP6_COMMAND, args: ParsedArgs<typeof SET_IP6_COMMAND.options>): { change: Change } | { errors: FieldError[] } {
  const device = need(args, 0, 'the interface name');
  const method = need(args, 1, `the IPv6 method (${IPV6_METHODS.join(', ')})`);
  if (!(IPV6_METHODS as readonly string[]).includes(method)) {
    throw new UsageError(`set ip6: method must be ${IPV6_METHODS.join(', ')}, not "${method}"`, usage(spec));
  }
  if (method !== 'static') {
    noMore(args, 2);
    if (args.values.gateway !== undefined) {
      throw new UsageError(`"set ip6 DEV ${method}" does not take the option --gateway: it is for static addresses`, usage(spec));
    }
  } else need(args, 2, 'the address (ADDR/PREFIX, one or more)');
  const r = validateIp6({ device, method, addresses: args.positionals.slice(2), gateway: args.values.gateway });
  return r.ok ? { change: r.value } : { errors: r.error };
}
