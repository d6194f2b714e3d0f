// The VLAN part of the status: which interfaces are VLANs, and the order that lists each VLAN under
// its parent (the `show` text, the status screen and the interface list all use it). Pure.
import type { VlanConfig } from './model/vlan.js';

/**
 * The interfaces in their order, each VLAN moved right under its parent (VLANs of one parent by
 * ID); a VLAN whose parent is not listed stays where it was.
 */
export function underParents<T extends { readonly name: string; readonly vlan: VlanConfig | null }>(list: readonly T[]): T[] {
  const names = new Set(list.map((i) => i.name));
  const placed = (i: T): boolean => i.vlan !== null && names.has(i.vlan.parent) && i.vlan.parent !== i.name;
  const out: T[] = [];
  const visit = (i: T, seen: Set<string>): void => {
    if (seen.has(i.name)) return;
    seen.add(i.name);
    out.push(i);
    const children = list.filter((c) => placed(c) && c.vlan!.parent === i.name).sort((a, b) => a.vlan!.id - b.vlan!.id || a.name.localeCompare(b.name));
    for (const c of children) visit(c, seen);
  };
  const seen = new Set<string>();
  for (const i of list) if (!placed(i)) visit(i, seen);
  // A loop of VLANs (each the parent of the next) has no top: listed as they came.
  for (const i of list) if (!seen.has(i.name)) visit(i, seen);
  return out;
}

/** How deep under parents an interface sits (0: not a VLAN of a listed interface). */
export function vlanDepth(list: readonly { readonly name: string; readonly vlan: VlanConfig | null }[], name: string): number {
  let depth = 0;
  const seen = new Set<string>();
  for (let i = list.find((x) => x.name === name); i?.vlan && !seen.has(i.name); i = list.find((x) => x.name === i!.vlan!.parent)) {
    seen.add(i.name);
    if (!list.some((x) => x.name === i!.vlan!.parent)) break;
    depth++;
  }
  return depth;
}

/** `VLAN 100 on eth0`, or null. */
export function vlanText(v: VlanConfig | null): string | null {
  return v ? `VLAN ${v.id} on ${v.parent}` : null;
}
