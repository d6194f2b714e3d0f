// Which DNS settings count: the name servers the resolver reads from /etc/resolv.conf, or the
// DNS1..3/DOMAIN of a profile that whoever writes resolv.conf copies there. Pure.
import type { FilesState, Profile } from './state.js';
import type { DnsConfig } from './types.js';

/** glibc reads at most this many `nameserver` lines (MAXNS). */
export const RESOLVER_MAX_SERVERS = 3;

export interface ShownDns extends DnsConfig {
  /** Where the values come from: resolv.conf (what the resolver uses) or the profile's DNSn/DOMAIN. */
  readonly from: 'resolv.conf' | 'profile';
}

/**
 * The profile's DNSn/DOMAIN count where resolv.conf is regenerated from the profiles (NetworkManager
 * owns it), or where it only points elsewhere (a symlink, systemd-resolved's stub) or says nothing;
 * everywhere else resolv.conf itself is what the resolver uses, and the status and the DNS form start
 * from it.
 */
export function shownDns(state: FilesState, profile: Profile | undefined): ShownDns {
  const r = state.resolv;
  const resolvSays = r.servers.length > 0 || r.search.length > 0;
  const fromProfiles = r.owner === 'networkmanager' || r.owner === 'symlink' || r.owner === 'systemd-resolved' || !resolvSays;
  if (profile && profile.dns.length && fromProfiles) {
    return { servers: profile.dns, search: profile.domains.length ? profile.domains : r.search, from: 'profile' };
  }
  return { servers: r.servers, search: r.search, from: 'resolv.conf' };
}

const same = (a: readonly string[], b: readonly string[]): boolean => a.join(' ') === b.join(' ');
const list = (xs: readonly string[]): string => (xs.length ? xs.join(' ') : '(none)');

/** Who writes resolv.conf, in words. */
export function resolvWriter(state: FilesState): string {
  const r = state.resolv;
  switch (r.owner) {
    case 'networkmanager': return 'NetworkManager writes it from the profiles';
    case 'dhclient': return 'dhclient-script wrote it from the DHCP lease';
    case 'systemd-resolved': return 'systemd-resolved';
    case 'symlink': return 'a symlink: whatever it points to';
    case 'missing': return 'missing';
    case 'file': return r.nmLeavesAlone
      ? `nobody rewrites it from the profiles (NetworkManager: ${r.nmLeavesAlone})`
      : 'a plain file';
  }
}

/** A warning when resolv.conf and the profile's DNSn/DOMAIN disagree, saying which one counts. */
export function dnsMismatch(state: FilesState, profile: Profile | undefined): string | null {
  if (!profile || (profile.dns.length === 0 && profile.domains.length === 0)) return null;
  const r = state.resolv;
  if (r.owner === 'missing' || r.owner === 'symlink' || r.owner === 'systemd-resolved') return null;
  const serversDiffer = profile.dns.length > 0 && !same(profile.dns, r.servers);
  const searchDiffers = profile.domains.length > 0 && !same(profile.domains, r.search);
  if (!serversDiffer && !searchDiffers) return null;
  const what = [
    serversDiffer ? `servers ${list(r.servers)} (${profile.file} says ${list(profile.dns)})` : null,
    searchDiffers ? `search ${list(r.search)} (${profile.file} says ${list(profile.domains)})` : null,
  ].filter(Boolean).join(', ');
  const counts = shownDns(state, profile).from === 'resolv.conf'
    ? `the resolver uses resolv.conf: ${resolvWriter(state)}`
    : 'NetworkManager writes the profile\'s servers there when it next activates it';
  return `resolv.conf lists ${what}; ${counts}`;
}
