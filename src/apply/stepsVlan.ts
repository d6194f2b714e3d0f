// Pure: what to run to take a VLAN from one state to another (created, re-tagged, deleted), per
// stack. The same function serves the change (before -> after) and its rollback (after -> before).
//   NetworkManager:  nmcli connection load FILE, then up (by UUID) or delete.
//   network-scripts: ifup / ifdown of the VLAN's ifcfg file (ifup creates the VLAN link).
//   iproute2:        ip link add link PARENT name NAME type vlan id ID / ip link del.
import { formatCidr } from '../model/types.js';
import type { StackName } from '../model/stack.js';
import type { VlanConfig } from '../model/vlan.js';
import type { Cmd, Step } from './step.js';
import type { IfaceTarget } from '../model/target.js';
import type { Timeouts } from './types.js';

export interface VlanDevicePlan {
  readonly name: string;
  readonly stack: StackName;
  /** Absolute path of the profile file. */
  readonly file: string;
  /** The profile's UUID (NetworkManager brings it up, or deletes it, by UUID). */
  readonly uuid: string | null;
  readonly from: VlanConfig | null;
  readonly to: VlanConfig | null;
  /** iproute2: the IPv4 settings of a VLAN it (re)creates (its profile's). */
  readonly target: IfaceTarget;
  /** The link to remove ran DHCP: its client is stopped first (ifdown cannot once the file is gone). */
  readonly fromDhcp: boolean;
}

const cmd = (file: string, args: readonly string[], timeoutMs: number): Cmd => ({ file, args, timeoutMs });
const step = (purpose: string, tries: Cmd[], optional = false): Step => ({ purpose, tries, optional });

function linkDel(v: VlanDevicePlan, t: Timeouts, why: string): Step {
  // Optional: the link may already be gone (never created, or removed by ifdown or NetworkManager);
  // the check afterwards says whether it is.
  return step(`${why} ${v.name}`, [cmd('ip', ['link', 'del', 'dev', v.name], t.commandMs)], true);
}

/** network-scripts and iproute2: the DHCP client of a link about to go (NetworkManager stops its own). */
function stopDhcp(v: VlanDevicePlan, t: Timeouts): Step[] {
  if (!v.from || !v.fromDhcp) return [];
  // ifup-eth starts dhclient with this pid file; a plain `dhclient -r` finds the one iproute2 started.
  const args = v.stack === 'network-scripts' ? ['-r', '-pf', `/var/run/dhclient-${v.name}.pid`, v.name] : ['-r', v.name];
  return [step(`stop the DHCP client on ${v.name}`, [cmd('dhclient', args, t.commandMs)], true)];
}

function nmSteps(v: VlanDevicePlan, t: Timeouts): Step[] {
  const wait = String(Math.max(1, Math.ceil(t.activateMs / 1000) - 5));
  if (!v.to) {
    const tries = v.uuid ? [cmd('nmcli', ['connection', 'delete', 'uuid', v.uuid], t.commandMs)] : [];
    return [
      step(`delete the profile of ${v.name}`, [...tries, cmd('nmcli', ['connection', 'reload'], t.commandMs)]),
      linkDel(v, t, 'remove the VLAN link'),
    ];
  }
  const up = v.uuid
    ? cmd('nmcli', ['--wait', wait, 'connection', 'up', 'uuid', v.uuid], t.activateMs)
    : cmd('nmcli', ['--wait', wait, 'device', 'connect', v.name], t.activateMs);
  const out = [step(`load the profile of ${v.name}`, [cmd('nmcli', ['connection', 'load', v.file], t.commandMs)])];
  if (v.from) {
    if (v.uuid) out.push(step(`take ${v.name} down`, [cmd('nmcli', ['connection', 'down', 'uuid', v.uuid], t.commandMs)], true));
    out.push(linkDel(v, t, 'remove the old VLAN link'));
  }
  out.push(step(`activate ${v.name}`, [up]));
  return out;
}

function legacySteps(v: VlanDevicePlan, t: Timeouts): Step[] {
  const down = step(`take ${v.name} down`, [cmd('ifdown', [v.name], t.commandMs * 2)], true);
  if (!v.to) return [down, ...stopDhcp(v, t), linkDel(v, t, 'remove the VLAN link')];
  const out: Step[] = [];
  if (v.from) out.push(down, ...stopDhcp(v, t), linkDel(v, t, 'remove the old VLAN link'));
  out.push(step(`bring ${v.name} up with its profile`, [cmd('ifup', [v.name], t.activateMs)]));
  return out;
}

function iproute2Steps(v: VlanDevicePlan, t: Timeouts): Step[] {
  const out: Step[] = [...stopDhcp(v, t)];
  if (v.from) out.push(linkDel(v, t, v.to ? 'remove the old VLAN link' : 'remove the VLAN link'));
  if (!v.to) return out;
  const { parent, id } = v.to;
  out.push(
    step(`create ${v.name} (VLAN ${id} on ${parent})`, [cmd('ip', ['link', 'add', 'link', parent, 'name', v.name, 'type', 'vlan', 'id', String(id)], t.commandMs)]),
    step(`set ${v.name} up`, [cmd('ip', ['link', 'set', 'dev', v.name, 'up'], t.commandMs)]),
  );
  const target = v.target;
  if (target.method === 'static') {
    for (const a of target.addresses) out.push(step(`set ${formatCidr(a)} on ${v.name}`, [cmd('ip', ['-4', 'addr', 'replace', formatCidr(a), 'dev', v.name], t.commandMs)]));
    // The default route through the VLAN went with its old link.
    if (target.gateway) out.push(step(`route the default route via ${target.gateway}`, [cmd('ip', ['-4', 'route', 'replace', 'default', 'via', target.gateway, 'dev', v.name], t.commandMs)]));
  } else if (target.method === 'dhcp') {
    out.push(step(`get a DHCP lease on ${v.name}`, [cmd('dhclient', ['-1', v.name], t.activateMs)]));
  }
  return out;
}

/** The steps for each VLAN, in order. */
export function vlanSteps(vlans: readonly VlanDevicePlan[], t: Timeouts): Step[] {
  return vlans.flatMap((v) => (v.stack === 'nm' ? nmSteps(v, t) : v.stack === 'network-scripts' ? legacySteps(v, t) : iproute2Steps(v, t)));
}
