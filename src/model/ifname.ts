// Which names ttyconf may configure as an interface: what the kernel takes as a name, and what the
// readers of ifcfg files take as a profile (an ifcfg-NAME that initscripts and NetworkManager skip
// would be written and then never used).
import { type FieldError, fieldError } from './fieldError.js';

/** File names that initscripts (rc.d/init.d/functions) and NetworkManager's ifcfg-rh plugin skip. */
export const IGNORED_IFCFG_SUFFIX = /(\.bak|~|\.orig|\.rej|\.rpmnew|\.rpmorig|\.rpmsave|\.old|\.augnew|\.augtmp|;[0-9a-f]{8})$/i;

/**
 * A demo or test tree describes the running kernel in sys/class/net/ttyconf-* files (the default
 * routes, system/links.ts): entries of sys/class/net that are no link.
 */
export function isDemoKernelFile(name: string): boolean {
  return name.startsWith('ttyconf-');
}

/** IFNAMSIZ - 1. */
const KERNEL_MAX = 15;

export function interfaceNameErrors(name: string, field = 'device'): FieldError[] {
  const no = (rule: string): FieldError[] => [fieldError(field, name, rule)];
  if (name === '') return no('is empty');
  if (Buffer.byteLength(name) > KERNEL_MAX) return no(`is ${Buffer.byteLength(name)} bytes long; the kernel takes at most ${KERNEL_MAX} in an interface name`);
  const kernelRefuses = /[/:\s]/.exec(name);
  if (kernelRefuses || name === '.' || name === '..') {
    return no(`${kernelRefuses ? `contains ${JSON.stringify(kernelRefuses[0])}` : 'is "." or ".."'}: the kernel refuses "/", ":", white space, "." and ".." as interface names`);
  }
  if (name === 'lo') return no('is the loopback interface, which ttyconf does not configure');
  const ignored = IGNORED_IFCFG_SUFFIX.exec(name);
  if (ignored) return no(`ends in "${ignored[0]}": initscripts and NetworkManager skip an ifcfg file named so`);
  if (name.includes('-range')) return no('contains "-range": initscripts reads ifcfg-DEV-range* as an address range, not an interface');
  if (name.startsWith('-')) return no('starts with "-", which programs such as ip and ifup would read as an option');
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) return no('is not an interface name ttyconf writes: use letters, digits, ".", "_" and "-"');
  return [];
}
