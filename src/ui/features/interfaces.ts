// Network interfaces: pick one (the list shows link state), then DHCP or a static address.
// Switching to static starts from the current values, including the ones DHCP handed out.
import type { Current } from '../../core.js';
import type { InterfaceStatus } from '../../status.js';
import { linkAddresses } from '../../model/live.js';
import { err, ok } from '../../model/result.js';
import { validateIp } from '../../model/validate.js';
import { type ChoiceField, type FormSpec, FormView, type TextField } from '../widgets/form.js';
import { ListView } from '../widgets/list.js';
import { openReview } from '../review.js';
import { addressText, inNaturalOrder, interfaceChoices, linkText, methodText } from '../statusView.js';
import { bold, line, wrap } from '../text.js';
import type { UiContext } from '../view.js';
import type { Feature } from './types.js';
import { ipv6Fields } from './interfacesIpv6.js';
import { indentedName, vlanIdField, vlanListActions } from './interfacesVlan.js';
import { underParents } from '../../statusVlan.js';

export interface IpPrefill {
  readonly method: 'dhcp' | 'static';
  readonly address: string;
  readonly gateway: string;
}

/** The form's starting values: the configured static address, or what DHCP handed out. */
export function ipPrefill(c: Current, device: string): IpPrefill {
  const i = c.status.interfaces.find((x) => x.name === device);
  const live = linkAddresses(c.live, device)[0];
  const liveText = live ? `${live.address}/${live.prefix}` : '';
  const liveGateway = c.live.defaultRoute?.dev === device ? c.live.defaultRoute.via : '';
  if (i?.method === 'static') {
    return { method: 'static', address: i.addresses[0] ?? liveText, gateway: i.gateway ?? liveGateway };
  }
  return { method: 'dhcp', address: liveText, gateway: liveGateway };
}

export function interfaceForm(ctx: UiContext, device: string): FormView {
  const start = ipPrefill(ctx.current(), device);
  const v6 = ipv6Fields(ctx.current(), device);
  const vlan = vlanIdField(ctx.current(), device);
  const method: ChoiceField = {
    kind: 'choice',
    id: 'method',
    label: 'Method',
    options: [
      { value: 'dhcp', label: 'DHCP', key: 'd' },
      { value: 'static', label: 'Static', key: 's' },
    ],
    value: start.method,
  };
  const isStatic = (): boolean => method.value === 'static';
  const text = (id: string, label: string, value: string, hint: string): TextField => ({
    kind: 'text', id, label, value, hint, maxLength: 40, enabled: isStatic, disabledNote: value ? '(from DHCP; Static starts from it)' : undefined,
  });
  const spec: FormSpec = {
    title: `Interface ${device}`,
    intro: () => {
      const c = ctx.current();
      const i = c.status.interfaces.find((x) => x.name === device);
      if (!i) return [line(`${device}: no longer present`)];
      const gw = i.gateway ?? (c.live.defaultRoute?.dev === device ? c.live.defaultRoute.via : null);
      return [
        line(bold(device), `   link ${linkText(i.link)}   MAC ${i.mac ?? '-'}`),
        line(`Now: ${methodText(i.method)}${i.method === 'dhcp' ? ', lease' : ','} ${addressText(i)}${gw ? `, gateway ${gw}` : ''}`),
        line(i.file ? `File: ${i.file}${i.store === 'keyfile' ? ' (keyfile)' : ''}` : 'No configuration file yet: one will be created.'),
        ...vlan.intro.map((t) => line(t)),
        // Read-only (a profile ttyconf cannot write or NetworkManager ignores): say why, in full.
        ...(i.readOnly ? wrap(`Read-only: ${i.readOnly}`, 76).map((t) => line(bold(t))) : []),
      ];
    },
    fields: [
      ...vlan.fields,
      method,
      text('address', 'Address', start.address, 'e.g. 192.0.2.10/24'),
      text('netmask', 'Netmask', '', 'if no /prefix above'),
      text('gateway', 'Gateway', start.gateway, 'optional'),
      ...v6.fields,
    ],
    submit: (v) => {
      const r6 = v6.change(v);
      const rv = vlan.change(v);
      const r = v.get('method') === 'dhcp'
        ? validateIp({ device, method: 'dhcp' })
        : validateIp({
            device,
            method: 'static',
            address: v.get('address') ?? '',
            netmask: v.get('netmask') || undefined,
            gateway: v.get('gateway') || undefined,
          });
      if (!r.ok || !r6.ok || !rv.ok) return err([...(rv.ok ? [] : rv.error), ...(r.ok ? [] : r.error), ...(r6.ok ? [] : r6.error)]);
      // IPv4 as it was and an IPv6 change: only the IPv6 change (IPv4 is not applied again).
      const hasFile = ctx.current().status.interfaces.find((x) => x.name === device)?.file != null;
      const v4Same = hasFile && v.get('method') === start.method && (start.method === 'dhcp'
        || (v.get('address') === start.address && !v.get('netmask') && v.get('gateway') === start.gateway));
      // A new VLAN ID alone re-tags the VLAN; IPv4 as it was is not applied again beside it.
      const retag = rv.value ? [rv.value] : [];
      if (v4Same && (r6.value || rv.value)) return ok([...retag, ...(r6.value ? [r6.value] : [])]);
      return ok([...retag, r.value, ...(r6.value ? [r6.value] : [])]);
    },
    fieldOf: (e) => (['address', 'netmask', 'gateway'].includes(e.field) ? e.field : v6.fieldOf(e) ?? vlan.fieldOf(e)),
    next: (changes) => openReview(ctx, changes),
  };
  return new FormView(ctx, spec);
}

/** The interfaces the vendor did not hide, eth2 before eth10, each VLAN under its parent. */
export function shownInterfaces(ctx: UiContext): InterfaceStatus[] {
  return underParents(inNaturalOrder(ctx.current().status.interfaces.filter((i) => !ctx.hidden(i.name))));
}

/** The list's columns, a VLAN's name indented under its parent. */
function choices(ctx: UiContext): { header: string; labels: string[] } {
  const list = shownInterfaces(ctx);
  return interfaceChoices(list, (i) => indentedName(list, i));
}

export function interfaceList(ctx: UiContext): ListView {
  return new ListView({
    title: 'Network interfaces',
    intro: [line('Choose the interface to configure:'), []],
    header: [bold(`  ${choices(ctx).header}`)],
    items: () => {
      const list = shownInterfaces(ctx);
      const { labels } = choices(ctx);
      // A letter jumps to an interface by its name, not by the indent in front of a VLAN.
      return list.map((i, k) => ({ label: labels[k]!, hotkey: i.name[0], select: () => ctx.open(interfaceForm(ctx, i.name)) }));
    },
    back: () => ctx.back(),
    selectWord: 'Edit',
    actions: vlanListActions(ctx, () => shownInterfaces(ctx)),
  });
}

export const interfacesFeature: Feature = {
  id: 'interfaces',
  title: 'Network interfaces',
  key: 'n',
  order: 10,
  description: 'DHCP or a static IPv4 address, netmask and gateway, and IPv6 (off, auto, DHCPv6 or static), for one interface; VLANs.',
  privileged: true,
  setting: 'ip',
  summary: (c) => inNaturalOrder(c.status.interfaces).map((i) => `${i.name}: ${linkText(i.link)}, ${methodText(i.method)} ${addressText(i)}`),
  activate: (ctx) => ctx.open(interfaceList(ctx)),
};
