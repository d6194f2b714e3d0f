// /etc/hosts and /etc/hostname. ttyconf owns one line of /etc/hosts, marked with a comment.

export const HOSTS_MARK = '# ttyconf';

export function parseHostnameFile(text: string): string | null {
  const line = text.split('\n').map((l) => l.replace(/#.*/, '').trim()).find((l) => l !== '');
  return line ?? null;
}

export function hostnameFileText(name: string): string {
  return `${name}\n`;
}

/** Names for the managed line: the full name, then its first label when it has a domain. */
function namesFor(hostname: string): string[] {
  const short = hostname.split('.')[0]!;
  return short !== hostname ? [hostname, short] : [hostname];
}

/**
 * Sets the managed line `<ip> <fqdn> [<short>] # ttyconf`, replacing an earlier managed line, and
 * leaves every other line (the localhost lines among them) as it was.
 */
export function editHosts(text: string, hostname: string, address: string): string {
  const line = `${address}\t${namesFor(hostname).join(' ')}\t${HOSTS_MARK}`;
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const i = lines.findIndex((l) => l.trimEnd().endsWith(HOSTS_MARK));
  if (i >= 0) lines[i] = line;
  else lines.push(line);
  return lines.join('\n') + '\n';
}

export function managedHostsLine(text: string): { address: string; names: string[] } | null {
  const l = text.split('\n').find((x) => x.trimEnd().endsWith(HOSTS_MARK));
  if (!l) return null;
  const [address, ...names] = l.replace(HOSTS_MARK, '').trim().split(/\s+/);
  return address ? { address, names } : null;
}

/** Removes the managed line, leaving every other line as it was. */
export function removeManagedHostsLine(text: string): string {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n').filter((l) => !l.trimEnd().endsWith(HOSTS_MARK));
  return lines.length ? lines.join('\n') + '\n' : '';
}
