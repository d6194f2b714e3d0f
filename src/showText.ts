// `ttyconf show` output: the stable JSON shape (documented in the README) and the text form.
import type { Current } from './current.js';
import { STACK_LABEL, type StackName } from './model/stack.js';
import { formatCidr6 } from './model/ipv6.js';
import { ipv6TextLine } from './showTextIpv6.js';
import { vlanDepth, vlanText } from './statusVlan.js';

/** The documented JSON contract, spelled out on purpose: internal types may change, this may not. */
export interface ShowJson {
  readonly version: 1;
  readonly root: string;
  readonly hostname: string | null;
  readonly liveHostname: string | null;
  readonly defaultGateway: string | null;
  readonly dns: { readonly servers: readonly string[]; readonly search: readonly string[] };
  readonly resolvConf: { readonly servers: readonly string[]; readonly search: readonly string[]; readonly owner: string };
  /** DNS1..3/DOMAIN of the profile ttyconf writes DNS to (null: none has any). */
  readonly configuredDns: { readonly servers: readonly string[]; readonly search: readonly string[]; readonly file: string } | null;
  /** Where `dns` comes from, who writes resolv.conf, and why NetworkManager leaves it alone (if it does). */
  readonly resolver: { readonly dnsFrom: 'resolv.conf' | 'profile'; readonly writer: string; readonly nmLeavesAlone: string | null };
  readonly interfaces: readonly {
    readonly name: string;
    readonly mac: string | null;
    readonly link: string;
    readonly method: string | null;
    readonly addresses: readonly string[];
    readonly liveAddresses: readonly string[];
    readonly gateway: string | null;
    readonly gatewayFile: string | null;
    readonly routes: readonly string[];
    readonly readings: { readonly networkmanager: string; readonly networkScripts: string } | null;
    readonly onboot: boolean | null;
    readonly file: string | null;
    /** The store of that file: an ifcfg file or a NetworkManager keyfile (null: no file). */
    readonly store: 'ifcfg' | 'keyfile' | null;
    /** Why ttyconf cannot change this interface, or null. */
    readonly readOnly: string | null;
    /** Who applies this interface's settings (null: not detected). */
    readonly stack: StackName | null;
    /** IPv6: the method (ignore, auto, dhcp, static; null: no file), configured and running addresses, gateway. */
    readonly ipv6: {
      readonly method: string | null;
      readonly addresses: readonly string[];
      readonly liveAddresses: readonly string[];
      readonly gateway: string | null;
    };
    /** Only on a VLAN interface: the interface it is tagged on, and its ID. */
    readonly vlan?: { readonly parent: string; readonly id: number };
  }[];
  /** The running IPv6 default route (null: none). */
  readonly defaultGateway6: { readonly via: string; readonly dev: string } | null;
  /** Who applies settings: nm, network-scripts or iproute2, how that was decided, and why. */
  readonly stack: { readonly name: StackName; readonly source: 'detected' | 'option' | 'root'; readonly why: string } | null;
  /** Where a profile for an interface without one goes: ifcfg file or keyfile, and why. */
  readonly newProfileStore: { readonly store: 'ifcfg' | 'keyfile'; readonly why: string };
  readonly warnings: readonly { readonly file: string | null; readonly line: number | null; readonly message: string }[];
}

export function statusJson(c: Current): ShowJson {
  const s = c.status;
  return {
    version: 1,
    root: c.root.dir,
    hostname: s.hostname,
    liveHostname: s.liveHostname,
    defaultGateway: s.defaultGateway,
    dns: { servers: [...s.dns.servers], search: [...s.dns.search] },
    resolvConf: { servers: [...s.resolvConf.servers], search: [...s.resolvConf.search], owner: s.resolvConf.owner },
    configuredDns: s.configuredDns ? { servers: [...s.configuredDns.servers], search: [...s.configuredDns.search], file: s.configuredDns.file } : null,
    resolver: { dnsFrom: s.resolver.dnsFrom, writer: s.resolver.writer, nmLeavesAlone: s.resolver.nmLeavesAlone },
    interfaces: s.interfaces.map((i) => ({
      name: i.name,
      mac: i.mac,
      link: i.link,
      method: i.method,
      addresses: [...i.addresses],
      liveAddresses: [...i.liveAddresses],
      gateway: i.gateway,
      gatewayFile: i.gatewayFile,
      routes: [...i.routes],
      readings: i.readings ? { networkmanager: i.readings.networkmanager, networkScripts: i.readings.networkScripts } : null,
      onboot: i.onboot,
      file: i.file,
      store: i.store,
      readOnly: i.readOnly,
      stack: i.stack,
      ipv6: {
        method: i.ipv6.method === 'unknown' ? i.ipv6.raw : i.ipv6.method,
        addresses: [...i.ipv6.addresses],
        liveAddresses: i.ipv6.live.map(formatCidr6),
        gateway: i.ipv6.gateway,
      },
      ...(i.vlan ? { vlan: { parent: i.vlan.parent, id: i.vlan.id } } : {}),
    })),
    defaultGateway6: s.defaultGateway6 ? { via: s.defaultGateway6.via, dev: s.defaultGateway6.dev } : null,
    stack: s.stack ? { name: s.stack.name, source: s.stack.source, why: s.stack.why } : null,
    newProfileStore: { store: c.snapshot.state.newStore.store, why: c.snapshot.state.newStore.why },
    warnings: s.warnings.map((w) => ({ file: w.file ?? null, line: w.line ?? null, message: w.message })),
  };
}

const or = (v: string | null | undefined, dflt = '-'): string => (v ? v : dflt);

export function statusText(c: Current): string {
  const s = c.status;
  const lines = [
    `Hostname:        ${or(s.hostname, '(not set)')}${s.liveHostname && s.liveHostname !== s.hostname ? ` (running: ${s.liveHostname})` : ''}`,
    `Default gateway: ${or(s.defaultGateway, '(none)')}`,
    ...(s.defaultGateway6 ? [`IPv6 gateway:    ${s.defaultGateway6.via} (${s.defaultGateway6.dev})`] : []),
    `DNS servers:     ${s.dns.servers.join(' ') || '(none)'}${s.resolver.dnsFrom === 'profile' && s.configuredDns ? ` (from ${s.configuredDns.file})` : ''}`,
    `Search domains:  ${s.dns.search.join(' ') || '(none)'}`,
    `resolv.conf:     ${s.resolvConf.servers.join(' ') || '(no servers)'} [${s.resolver.writer}]`,
    `Network stack:   ${s.stack ? `${s.stack.name} (${s.stack.why})` : '(not detected)'}`,
    `New profiles:    ${c.snapshot.state.newStore.store === 'keyfile' ? 'NetworkManager keyfiles' : 'ifcfg files'} (${c.snapshot.state.newStore.why})`,
    '',
    'Interfaces:',
  ];
  for (const i of s.interfaces) {
    const addr = [...new Set([...i.liveAddresses, ...i.addresses])].join(' ') || (i.method === 'dhcp' ? '(no lease)' : '(none)');
    // A VLAN sits under its parent, indented two more columns per level.
    const indent = '  '.repeat(vlanDepth(s.interfaces, i.name));
    lines.push(`  ${(indent + i.name).padEnd(10)} ${i.link.padEnd(10)} ${or(i.mac).padEnd(17)} ${or(i.method, 'no file').padEnd(8)} ${addr}${i.gateway ? ` gw ${i.gateway}` : ''}`);
    const vlan = vlanText(i.vlan);
    if (vlan) lines.push(`  ${''.padEnd(10)} ${vlan}`);
    const v6 = ipv6TextLine(i.ipv6);
    if (v6) lines.push(`  ${''.padEnd(10)} ${v6}`);
    if (i.file) lines.push(`  ${''.padEnd(10)} file ${i.file} (${i.store === 'keyfile' ? 'NetworkManager keyfile' : 'ifcfg'})`);
    if (i.readOnly) lines.push(`  ${''.padEnd(10)} read-only: ${i.readOnly}`);
    if (i.gateway && i.gatewayFile && i.gatewayFile !== i.file) lines.push(`  ${''.padEnd(10)} gateway ${i.gateway} from ${i.gatewayFile}`);
    for (const r of i.routes) lines.push(`  ${''.padEnd(10)} route ${r}`);
    if (i.readings) {
      lines.push(`  ${''.padEnd(10)} NetworkManager reads: ${i.readings.networkmanager}`);
      lines.push(`  ${''.padEnd(10)} network-scripts reads: ${i.readings.networkScripts}`);
    }
    if (i.stack && s.stack && i.stack !== s.stack.name) lines.push(`  ${''.padEnd(10)} applied by ${STACK_LABEL[i.stack].replace(/ \(.*/, '')}: ${i.stackWhy}`);
  }
  if (s.warnings.length) {
    lines.push('', 'Warnings:');
    for (const w of s.warnings) lines.push(`  ${w.file ? `${w.file}${w.line ? `:${w.line}` : ''}: ` : ''}${w.message}`);
  }
  return lines.join('\n') + '\n';
}
