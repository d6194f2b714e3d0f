// After the first screen: undo what a killed ttyconf left half-way (the status screen lists each
// change undone), then the first boot of an armed image (firstboot.ts).
import type { Machine } from './machine.js';
import type { UiContext } from './view.js';

export interface StartupOptions {
  /** Undo changes a killed ttyconf left half-way. */
  readonly recover: boolean;
  /** The first-boot password and wizard when the image is armed. */
  readonly firstBoot: boolean;
  /** Shows the lines that say what was undone (warnings on the status screen). */
  readonly recovered: (lines: readonly string[]) => void;
}

export async function afterFirstScreen(ctx: UiContext, machine: Pick<Machine, 'recover'>, opts: StartupOptions): Promise<void> {
  if (opts.recover) {
    const lines = await machine.recover();
    if (lines.length) {
      opts.recovered(lines);
      await ctx.refresh();
    }
  }
  if (opts.firstBoot) {
    const { startFirstBoot } = await import('./firstboot.js');
    await startFirstBoot(ctx);
  }
}
