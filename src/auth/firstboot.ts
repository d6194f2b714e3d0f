// First boot of a fresh image: ask for a root password when root has none.
// A mode of the console, not a unit of its own: whichever console ttyconf runs on (tty1, ttyS0)
// shows it, without a second unit competing for the terminal. It needs all three of:
//   - the marker /var/lib/ttyconf/firstboot, which image builders create with
//     `ttyconf console firstboot --root IMAGE` (so installing ttyconf on a running machine whose
//     root has no password never lets the next person at the console claim it);
//   - [firstboot] enabled = yes in the vendor settings (the default);
//   - root's password field is unset ("", "!!", "!", "*"), not locked or set.
// When root has a password (set by any means), the marker is removed and the mode ends.
import * as fs from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Root } from '../files/root.js';
import { type Result, err, ok } from '../model/result.js';
import type { Settings } from '../settings.js';
import type { Runner } from '../system/run.js';
import type { AuthLogger } from './log.js';
import { type SetPasswordError, setPassword } from './password.js';
import { classifyHash, readShadow } from './shadow.js';

export const FIRSTBOOT_MARKER = 'var/lib/ttyconf/firstboot';

export type FirstBoot =
  /** Show the "set the root password" screen before anything else. */
  | { readonly kind: 'ask' }
  /** Nothing to do; `why` is for the log. */
  | { readonly kind: 'no'; readonly why: string };

/** True for a password field that means "never set" (as opposed to locked or set). */
export function isUnsetHash(field: string): boolean {
  const s = classifyHash(field);
  return s.kind === 'empty' || s.kind === 'no-password';
}

export async function firstBootState(root: Root, settings: Settings): Promise<FirstBoot> {
  const marked = await fs.access(root.path(FIRSTBOOT_MARKER)).then(() => true, () => false);
  if (!marked) return { kind: 'no', why: 'not armed' };
  if (!settings.firstboot.enabled) return { kind: 'no', why: 'turned off in ttyconf.conf' };
  const shadow = await readShadow(root);
  if (!shadow.ok) return { kind: 'no', why: shadow.error };
  const rootEntry = shadow.value.find((e) => e.user === 'root');
  if (rootEntry && isUnsetHash(rootEntry.hash)) return { kind: 'ask' };
  await finishFirstBoot(root);
  return { kind: 'no', why: 'root has a password' };
}

/** Sets root's first password (only while root still has none) and ends first-boot mode. */
export async function setFirstRootPassword(
  root: Root,
  password: string,
  confirmation: string,
  opts: { readonly log: AuthLogger; readonly where: string; readonly run?: Runner },
): Promise<Result<void, SetPasswordError>> {
  const r = await setPassword(root, 'root', password, confirmation, { onlyIf: isUnsetHash, ...(opts.run ? { run: opts.run } : {}) });
  if (!r.ok) return r;
  await opts.log({ kind: 'password-set', user: 'root', where: opts.where, why: 'first boot' });
  await finishFirstBoot(root);
  return ok(undefined);
}

export async function finishFirstBoot(root: Root): Promise<void> {
  await fs.rm(root.linkPath(FIRSTBOOT_MARKER), { force: true });
}

/** Arms first-boot mode in an image (idempotent); false when it already was. */
export async function armFirstBoot(root: Root): Promise<Result<boolean, string>> {
  const abs = root.path(FIRSTBOOT_MARKER);
  try {
    await fs.mkdir(dirname(abs), { recursive: true, mode: 0o755 });
    await fs.writeFile(abs, 'Ask for a root password on the first boot (ttyconf; removed once root has one).\n', { flag: 'wx', mode: 0o644 });
    return ok(true);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return ok(false);
    return err(`cannot create /${FIRSTBOOT_MARKER}: ${(e as Error).message}`);
  }
}
