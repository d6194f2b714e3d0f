// VLAN interfaces (802.1Q): the types, and the validation of what was typed (every error at once,
// each naming the field, the value and the rule). The checks that need the machine (the parent
// exists, the name and the ID are free) are made by the plan (planVlan.ts). Pure.
import { type FieldError, fieldError } from './fieldError.js';
import { interfaceNameErrors } from './ifname.js';
import { type Result, err, ok } from './result.js';

/** What makes an interface a VLAN: the interface it is tagged on, and the tag. */
export interface VlanConfig {
  readonly parent: string;
  /** 1..4094. */
  readonly id: number;
}

/** A VLAN to create, to re-tag, or to delete. */
export type VlanChange =
  | { readonly kind: 'vlan-add'; readonly name: string; readonly vlan: VlanConfig }
  | { readonly kind: 'vlan-id'; readonly name: string; readonly id: number }
  | { readonly kind: 'vlan-del'; readonly name: string };

export const VLAN_ID_MIN = 1;
export const VLAN_ID_MAX = 4094;

/** The name the kernel and NetworkManager give a VLAN by default: PARENT.ID. */
export function defaultVlanName(parent: string, id: number | string): string {
  return `${parent}.${id}`;
}

export function formatVlan(v: VlanConfig): string {
  return `VLAN ${v.id} on ${v.parent}`;
}

/** A VLAN ID as typed -> the number, or the error naming the rule it breaks. */
export function parseVlanId(text: string, field = 'vlan id'): Result<number, FieldError> {
  const t = text.trim();
  if (!/^[0-9]+$/.test(t)) return err(fieldError(field, text, `is not a VLAN ID: use a whole number from ${VLAN_ID_MIN} to ${VLAN_ID_MAX}`));
  const n = Number(t);
  if (n === 0) return err(fieldError(field, text, `is reserved (0 marks priority-only frames, no VLAN): use ${VLAN_ID_MIN} to ${VLAN_ID_MAX}`));
  if (n === 4095) return err(fieldError(field, text, `is reserved by 802.1Q: use ${VLAN_ID_MIN} to ${VLAN_ID_MAX}`));
  if (n > VLAN_ID_MAX) return err(fieldError(field, text, `is out of range: a VLAN ID is ${VLAN_ID_MIN} to ${VLAN_ID_MAX}`));
  if (t.length > 1 && t.startsWith('0')) return err(fieldError(field, text, 'has a leading zero: write the ID in plain decimal'));
  return ok(n);
}

export interface VlanAddInput {
  readonly parent: string;
  readonly id: string;
  /** Empty or absent: PARENT.ID. */
  readonly name?: string;
}

export function validateVlanAdd(input: VlanAddInput): Result<VlanChange, FieldError[]> {
  const errors: FieldError[] = [];
  const parent = input.parent.trim();
  errors.push(...interfaceNameErrors(parent, 'parent'));
  const id = parseVlanId(input.id);
  if (!id.ok) errors.push(id.error);
  const given = input.name?.trim() ?? '';
  const name = given || defaultVlanName(parent, input.id.trim());
  const nameErrors = interfaceNameErrors(name, 'vlan name');
  // PARENT.ID too long for the kernel: say so, and how to get round it.
  if (!given && nameErrors.length && parent !== '' && id.ok) errors.push(...nameErrors.map((e) => ({ ...e, rule: `${e.rule} (the default name PARENT.ID: give a shorter one with --name)` })));
  else if (given) errors.push(...nameErrors);
  if (given && name === parent) errors.push(fieldError('vlan name', name, 'is the parent\'s own name: a VLAN needs a name of its own'));
  if (errors.length || !id.ok) return err(errors);
  return ok({ kind: 'vlan-add', name, vlan: { parent, id: id.value } });
}

export function validateVlanId(name: string, idText: string): Result<VlanChange, FieldError[]> {
  const errors: FieldError[] = [...interfaceNameErrors(name.trim(), 'vlan name')];
  const id = parseVlanId(idText);
  if (!id.ok) errors.push(id.error);
  if (errors.length || !id.ok) return err(errors);
  return ok({ kind: 'vlan-id', name: name.trim(), id: id.value });
}

export function validateVlanDel(name: string): Result<VlanChange, FieldError[]> {
  const errors = interfaceNameErrors(name.trim(), 'vlan name');
  return errors.length ? err(errors) : ok({ kind: 'vlan-del', name: name.trim() });
}
