// The [vlan] group of a NetworkManager keyfile: what NetworkManager reads from it, a new VLAN profile
// as NetworkManager writes one, and the edit of the ID. Only `[vlan] id` (and `parent`) change; the
// flags, priority maps and the rest stay.
import type { VlanConfig } from '../model/vlan.js';
import type { KeyFile } from './keyfile.js';

/** `type=vlan` (NetworkManager's name for 802.1Q profiles). */
export function isVlanKeyfile(doc: KeyFile): boolean {
  return doc.get('connection', 'type')?.trim() === 'vlan';
}

/** A UUID: `[vlan] parent` may name the parent's profile instead of its interface. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The VLAN of a vlan keyfile, or undefined (not a VLAN, or its parent is named by profile UUID or MAC
 * only: ttyconf does not follow that). A missing `id` is NetworkManager's default, 0.
 */
export function readKeyfileVlan(doc: KeyFile): VlanConfig | undefined {
  if (!isVlanKeyfile(doc)) return undefined;
  const parent = doc.get('vlan', 'parent')?.trim() ?? '';
  const idText = doc.get('vlan', 'id')?.trim() ?? '0';
  if (parent === '' || UUID.test(parent) || !/^[0-9]+$/.test(idText)) return undefined;
  return { parent, id: Number(idText) };
}

/** The interface NetworkManager gives a VLAN profile without interface-name: PARENT.ID. */
export function keyfileVlanDevice(doc: KeyFile): string | null {
  const v = readKeyfileVlan(doc);
  return v ? `${v.parent}.${v.id}` : null;
}

/** A new VLAN profile as NetworkManager itself writes one: IPv4 and IPv6 off until set. */
export function newVlanKeyfileText(name: string, vlan: VlanConfig, uuid: string): string {
  return [
    '[connection]',
    `id=${name}`,
    `uuid=${uuid}`,
    'type=vlan',
    `interface-name=${name}`,
    'autoconnect=true',
    '',
    '[ethernet]',
    '',
    '[vlan]',
    'flags=1',
    `id=${vlan.id}`,
    `parent=${vlan.parent}`,
    '',
    '[ipv4]',
    'method=disabled',
    '',
    '[ipv6]',
    'addr-gen-mode=stable-privacy',
    'method=ignore',
    '',
    '[proxy]',
    '',
  ].join('\n');
}

/**
 * A new ID for the VLAN `name`. A keyfile without interface-name lets NetworkManager name the link
 * PARENT.ID, so a new ID would rename it: the name it has now is written down first.
 */
export function editKeyfileVlanId(doc: KeyFile, vlan: VlanConfig, name: string): void {
  if (!doc.get('connection', 'interface-name')) doc.set('connection', 'interface-name', name);
  doc.set('vlan', 'id', String(vlan.id));
  doc.set('vlan', 'parent', vlan.parent);
}
