// Whether this process runs in a network or UTS namespace of its own (ip netns exec, unshare), as
// opposed to the machine's: under --root other than / ttyconf only changes what such a namespace
// holds, never the host it runs on. When unsure, the answer is "not private" (the safe side).
import { readdirSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type NamespaceKind = 'net' | 'uts';

/** The kernel's fixed inode number of the initial UTS namespace (Linux >= 3.8). */
const INIT_UTS_INO = 0xeffffffe;

function namedNetnsInodes(): Set<number> {
  const out = new Set<number>();
  for (const dir of ['/run/netns', '/var/run/netns']) {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names) {
      try {
        out.add(statSync(join(dir, n)).ino);
      } catch {
        /* vanished */
      }
    }
  }
  return out;
}

/**
 * True when our namespace differs from PID 1's. Where PID 1's cannot be read (some sandboxes): a
 * network namespace counts as private when it is a named one (`ip netns add`), a UTS namespace when
 * it is not the kernel's initial one.
 */
export function inPrivateNamespace(kind: NamespaceKind): boolean {
  let ours: string;
  try {
    ours = readlinkSync(`/proc/self/ns/${kind}`);
  } catch {
    return false;
  }
  try {
    return ours !== readlinkSync(`/proc/1/ns/${kind}`);
  } catch {
    /* PID 1 not readable: fall back below */
  }
  try {
    const ino = statSync(`/proc/self/ns/${kind}`).ino;
    return kind === 'uts' ? ino !== INIT_UTS_INO : namedNetnsInodes().has(ino);
  } catch {
    return false;
  }
}
