// A tagged peer inside a guest, for VLAN steps: a network namespace `tagged` holding one end of a
// veth pair with a VLAN on it, so that the guest's main namespace has a link (`lab0`) on which only
// frames tagged with the right id reach an address that answers. Everything is made from the test
// shell with iproute2; no packet leaves the guest.

/** Runs one command on the guest's test shell and resolves with its output (fails the test on an error). */
export type GuestSh = (cmd: string, timeoutMs?: number) => Promise<string>;

export interface TaggedPeer {
  /** The guest-side end of the veth pair, in the main namespace: the VLAN's parent. */
  readonly parent: string;
  /** The namespace that holds the peer. */
  readonly netns: string;
  /** The VLAN id the peer's address is on. */
  readonly id: number;
  /** The peer's address (answers ping on VLAN `id` only) and an address for the guest's side. */
  readonly peer: string;
  readonly local: string;
  readonly prefix: number;
}

/**
 * Loads 8021q, makes the namespace `tagged` with a veth pair (`lab0` in the main namespace, up and
 * without an address; `lab0p` in `tagged`) and VLAN `lab0p.100` with 10.100.0.1/24 there.
 * Idempotent: an earlier peer is removed first.
 */
export async function taggedPeer(sh: GuestSh): Promise<TaggedPeer> {
  const p: TaggedPeer = { parent: 'lab0', netns: 'tagged', id: 100, peer: '10.100.0.1', local: '10.100.0.2', prefix: 24 };
  const inNs = `ip -n ${p.netns}`;
  await sh([
    'modprobe 8021q',
    `{ ip netns del ${p.netns} 2>/dev/null; ip link del ${p.parent} 2>/dev/null; true; }`,
    `ip netns add ${p.netns}`,
    `ip link add ${p.parent} type veth peer name ${p.parent}p netns ${p.netns}`,
    `${inNs} link set lo up`,
    `${inNs} link set ${p.parent}p up`,
    `${inNs} link add link ${p.parent}p name ${p.parent}p.${p.id} type vlan id ${p.id}`,
    `${inNs} addr add ${p.peer}/${p.prefix} dev ${p.parent}p.${p.id}`,
    `${inNs} link set ${p.parent}p.${p.id} up`,
    `ip link set ${p.parent} up`,
  ].join(' && '));
  return p;
}

/** Removes the peer (the namespace, and the veth pair with it). */
export async function removeTaggedPeer(sh: GuestSh, p: TaggedPeer): Promise<void> {
  await sh(`ip netns del ${p.netns}; ip link del ${p.parent} 2>/dev/null; true`);
}
