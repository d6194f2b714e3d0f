// The VLAN keys of an ifcfg file: what NetworkManager and network-scripts read from them, a new VLAN
// profile as NetworkManager writes one, and the edit of the ID.
//
// NetworkManager's ifcfg-rh reads VLAN_ID, else the number after the last "." of DEVICE (or after
// "vlan"), and PHYSDEV, else what comes before that ".". CentOS 7's ifup (initscripts 9.49) does not
// read VLAN_ID at all: it takes VID when the file sets it, else the number in DEVICE. So ttyconf
// writes VID beside VLAN_ID, always equal, and both readers create the same VLAN whatever its name.
import type { VlanConfig } from '../model/vlan.js';
import type { ShellVarsFile } from './shellVars.js';

/** The keys that say what VLAN a profile makes (ttyconf's review shows them as one line). */
export const IFCFG_VLAN_KEYS = /^(VLAN|VLAN_ID|VID|PHYSDEV)$/;

const TRUE = /^(yes|true|t|y|1)$/i;

/** The VLAN a profile makes, as NetworkManager reads it; undefined when it is not a VLAN profile. */
export function readIfcfgVlan(doc: ShellVarsFile, device: string): VlanConfig | undefined {
  const isVlan = TRUE.test(doc.get('VLAN') ?? '') || (doc.get('TYPE') ?? '').toLowerCase() === 'vlan';
  if (!isVlan) return undefined;
  const dot = device.lastIndexOf('.');
  const fromName = dot > 0 ? /^[0-9]{1,4}$/.exec(device.slice(dot + 1))?.[0] : /^vlan([0-9]{1,4})$/.exec(device)?.[1];
  const idText = doc.get('VLAN_ID') || fromName;
  const id = idText !== undefined && /^[0-9]+$/.test(idText) ? Number(idText) : NaN;
  const parent = doc.get('PHYSDEV') || (dot > 0 ? device.slice(0, dot) : '');
  if (!Number.isInteger(id) || parent === '') return undefined;
  return { parent, id };
}

/** A new VLAN profile, in the order NetworkManager writes one; IPv4 and IPv6 off until set. */
export function newIfcfgVlan(doc: ShellVarsFile, name: string, vlan: VlanConfig, uuid: string): void {
  doc.set('VLAN', 'yes');
  doc.set('TYPE', 'Vlan');
  doc.set('PHYSDEV', vlan.parent);
  doc.set('VLAN_ID', String(vlan.id));
  doc.set('VID', String(vlan.id));
  doc.set('DEVICE', name);
  doc.set('NAME', name, { quote: true });
  doc.set('UUID', uuid);
  doc.set('ONBOOT', 'yes');
  doc.set('BOOTPROTO', 'none');
  doc.set('IPV6INIT', 'no');
}

/** A new ID for the VLAN (and its parent stated, so the name no longer has to say it). */
export function editIfcfgVlanId(doc: ShellVarsFile, vlan: VlanConfig): void {
  doc.set('VLAN', 'yes');
  doc.set('PHYSDEV', vlan.parent);
  doc.set('VLAN_ID', String(vlan.id));
  doc.set('VID', String(vlan.id));
}
