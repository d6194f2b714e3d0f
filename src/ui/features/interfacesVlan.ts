// VLANs on the interface list: A adds one (a form: parent, VLAN ID, name), D deletes the selected
// one (straight to the review, which names the file that goes), and a VLAN's own interface form
// has a VLAN ID field that re-tags it. Every path ends in the review, as for any change.
import type { Current } from '../../core.js';
import type { FieldError } from '../../model/fieldError.js';
import { formatPlanError } from '../../model/planError.js';
import { type Result, err, ok } from '../../model/result.js';
import { type VlanChange, defaultVlanName, validateVlanAdd, validateVlanId } from '../../model/vlan.js';
import type { InterfaceStatus } from '../../status.js';
import { vlanDepth } from '../../statusVlan.js';
import { vlanParentErrors } from '../../planVlan.js';
import { interfaceNameErrors } from '../../model/ifname.js';
import { openReview } from '../review.js';
import { line, wrap } from '../text.js';
import type { UiContext } from '../view.js';
import { type FormSpec, FormView, type TextField } from '../widgets/form.js';
import type { ListAction } from '../widgets/list.js';

/** The interface's name as the lists show it: a VLAN indented under its parent. */
export function indentedName(list: readonly InterfaceStatus[], i: InterfaceStatus): string {
  return '  '.repeat(vlanDepth(list, i.name)) + i.name;
}

/** Where a new VLAN goes by default: the selected interface, or the parent of the selected VLAN. */
function parentFor(i: InterfaceStatus | undefined): string {
  return i?.vlan?.parent ?? i?.name ?? '';
}

export function vlanAddForm(ctx: UiContext, parent: string): FormView {
  const text = (id: string, label: string, value: string, hint: string, maxLength: number): TextField => ({ kind: 'text', id, label, value, hint, maxLength, width: 16 });
  const fields = [
    text('parent', 'Parent', parent, 'the interface it is tagged on', 15),
    text('vlanid', 'VLAN ID', '', '1 to 4094', 4),
    text('name', 'Name', '', 'empty: PARENT.ID', 15),
  ];
  const spec: FormSpec = {
    title: 'Add a VLAN',
    intro: () => [
      line('A VLAN interface tagged on a parent interface. It starts with IPv4'),
      line('and IPv6 off: choose it in the list afterwards to give it addresses.'),
      line(`New profiles here: ${ctx.current().snapshot.state.newStore.store === 'keyfile' ? 'NetworkManager keyfiles' : 'ifcfg files'}.`),
    ],
    fields,
    submit: (v) => {
      const parentText = (v.get('parent') ?? '').trim();
      const r = validateVlanAdd({ parent: parentText, id: v.get('vlanid') ?? '', name: v.get('name') ?? '' });
      if (r.ok) return ok([r.value]);
      // Every error at once: a parent that does not exist is said beside a bad ID or name.
      const c = ctx.current();
      const parent = interfaceNameErrors(parentText, 'parent').length ? [] : vlanParentErrors(c.snapshot.state, c.live, parentText);
      return err([...parent, ...r.error]);
    },
    fieldOf: (e) => (e.field === 'parent' ? 'parent' : e.field === 'vlan id' ? 'vlanid' : e.field === 'vlan name' ? 'name' : null),
    next: (changes) => openReview(ctx, changes),
  };
  return new FormView(ctx, spec);
}

/** A and D on the interface list; `shown` is the list as drawn. */
export function vlanListActions(ctx: UiContext, shown: () => readonly InterfaceStatus[]): ListAction[] {
  return [
    { key: 'a', word: 'Add VLAN', run: (k) => ctx.open(vlanAddForm(ctx, parentFor(shown()[k]))) },
    {
      key: 'd',
      word: 'Delete VLAN',
      run: (k) => {
        const i = shown()[k];
        if (!i?.vlan) {
          ctx.notify(`${i?.name ?? 'Nothing'} is not a VLAN: D deletes the selected VLAN`, 'problem');
          return;
        }
        const errors = openReview(ctx, [{ kind: 'vlan-del', name: i.name }]);
        if (errors?.length) ctx.notify(formatPlanError(errors[0]!), 'problem');
      },
    },
  ];
}

/** The VLAN ID field of a VLAN's interface form (none for another interface) and the change it makes. */
export function vlanIdField(c: Current, device: string): {
  fields: TextField[];
  /** The re-tag, null when the ID is the one it has. */
  change: (v: ReadonlyMap<string, string>) => Result<VlanChange | null, FieldError[]>;
  fieldOf: (e: FieldError) => string | null;
  intro: string[];
} {
  const vlan = c.status.interfaces.find((x) => x.name === device)?.vlan;
  if (!vlan) return { fields: [], change: () => ok(null), fieldOf: () => null, intro: [] };
  const now = String(vlan.id);
  const name = device === defaultVlanName(vlan.parent, vlan.id) ? '' : ` (its name is ${device})`;
  return {
    fields: [{ kind: 'text', id: 'vlanid', label: 'VLAN ID', value: now, hint: `1 to 4094, on ${vlan.parent}`, maxLength: 4, width: 16 }],
    change: (v) => {
      const typed = (v.get('vlanid') ?? '').trim();
      if (typed === now) return ok(null);
      const r = validateVlanId(device, typed);
      return r.ok ? ok(r.value) : r;
    },
    fieldOf: (e) => (e.field === 'vlan id' ? 'vlanid' : null),
    intro: wrap(`VLAN ${vlan.id} on ${vlan.parent}${name}; a new ID re-creates the link.`, 76),
  };
}
