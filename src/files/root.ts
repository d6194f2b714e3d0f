import { isAbsolute, join, resolve } from 'node:path';

/** Every path ttyconf touches, under one root prefix (`--root DIR`, default `/`). */
export const PATHS = {
  networkScripts: 'etc/sysconfig/network-scripts',
  sysconfigNetwork: 'etc/sysconfig/network',
  resolvConf: 'etc/resolv.conf',
  hostname: 'etc/hostname',
  hosts: 'etc/hosts',
  backups: 'var/lib/ttyconf/backups',
  sysClassNet: 'sys/class/net',
} as const;

export class Root {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  get isSystem(): boolean {
    return this.dir === '/';
  }

  /** Absolute path of a root-relative path such as `etc/hostname`. */
  path(rel: string): string {
    if (isAbsolute(rel)) throw new Error(`internal: path ${rel} must be relative to the root`);
    return join(this.dir, rel);
  }

  /** Root-relative form of an absolute path inside the root. */
  relative(abs: string): string {
    const prefix = this.dir.endsWith('/') ? this.dir : this.dir + '/';
    if (!abs.startsWith(prefix)) throw new Error(`path ${abs} is outside the root ${this.dir}`);
    return abs.slice(prefix.length);
  }
}
