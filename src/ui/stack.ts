// The stack of screens: the status screen at the bottom, never removed; the top one has the keys.
import type { View } from './view.js';

export class ViewStack {
  private readonly views: View[];

  /** `onCloseError`: a screen's closed() threw while the stack was being emptied; the rest still close. */
  constructor(bottom: View, private readonly onCloseError: (e: unknown) => void) {
    this.views = [bottom];
  }

  get depth(): number {
    return this.views.length;
  }

  top(): View {
    return this.views[this.views.length - 1]!;
  }

  /** A change is being written or awaits "Keep?" on some screen. */
  busy(): boolean {
    return this.views.some((v) => v.busy === true);
  }

  push(view: View): void {
    this.views.push(view);
  }

  /** Replaces the top screen (pushes over the status screen). */
  replace(view: View): void {
    if (this.views.length === 1) return this.push(view);
    const old = this.views.pop()!;
    this.views.push(view);
    old.closed?.();
  }

  /** Closes the top screen; false when only the status screen is left. */
  pop(): boolean {
    if (this.views.length === 1) return false;
    this.views.pop()!.closed?.();
    return true;
  }

  /** Closes this screen wherever it is; false when it is not open (or is the status screen). */
  remove(view: View): boolean {
    const i = this.views.indexOf(view);
    if (i <= 0) return false;
    this.views.splice(i, 1);
    view.closed?.();
    return true;
  }

  /** Closes every screen above the first `depth`. */
  popTo(depth: number): void {
    while (this.views.length > depth) {
      const v = this.views.pop()!;
      try {
        v.closed?.();
      } catch (e) {
        this.onCloseError(e);
      }
    }
  }
}
