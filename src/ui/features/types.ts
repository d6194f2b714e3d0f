// One menu entry = one feature module exporting a Feature. The menu (src/ui/menu.ts) lists them
// explicitly; later features (test network, login/logout, shell, reboot) add one file and one line.
import type { Current } from '../../core.js';
import type { MenuItem } from '../../settings.js';
import type { UiContext } from '../view.js';

export interface Feature {
  /** Stable name, for logs and tests. */
  readonly id: string;
  /** The menu text. */
  readonly title: string;
  /** The letter that jumps to it in the menu (unique). */
  readonly key: string;
  /** Position in the menu, ascending. */
  readonly order: number;
  /** One line under the menu saying what it does. */
  readonly description: string;
  /** What it is set to now, shown under the menu while the entry is selected. */
  summary?(current: Current): readonly string[];
  /** Changes the machine or opens a shell: runs through requireAuth (src/ui/auth.ts). */
  readonly privileged: boolean;
  /** The vendor switch for this entry ([menu] in ttyconf.conf); always shown when absent. */
  readonly setting?: MenuItem;
  /** Shown only when this says so (e.g. Log out only while logged in). */
  visible?(ctx: UiContext): boolean;
  activate(ctx: UiContext): void | Promise<void>;
}
