// The menu: every feature, listed explicitly, filtered by the vendor settings ([menu]) and by the
// session (Log out only while logged in). A later feature is one file under features/ and one line here.
import { requireAuth } from './auth.js';
import { dnsFeature } from './features/dns.js';
import { hostnameFeature } from './features/hostname.js';
import { interfacesFeature } from './features/interfaces.js';
import { logoutFeature } from './features/logout.js';
import { rebootFeature, shutdownFeature } from './features/power.js';
import { setupFeature } from './features/setup.js';
import { shellFeature } from './features/shell.js';
import { testFeature } from './features/test.js';
import { resetFeature } from './features/reset.js';
import { restoreFeature } from './features/restore.js';
import type { Feature } from './features/types.js';
import { ListView } from './widgets/list.js';
import { line, wrap } from './text.js';
import type { Size, UiContext } from './view.js';
import { type BorderChars, bodySize, compose } from './frame.js';

export const FEATURES: readonly Feature[] = [
  setupFeature, interfacesFeature, dnsFeature, hostnameFeature, testFeature, shellFeature, rebootFeature, shutdownFeature, logoutFeature,
  restoreFeature, resetFeature,
].slice().sort((a, b) => a.order - b.order);

/** The entries shown now. */
export function visibleFeatures(ctx: UiContext, features: readonly Feature[] = FEATURES): Feature[] {
  return features.filter((f) => (f.setting ? ctx.settings.menu[f.setting] : true) && (f.visible?.(ctx) ?? true));
}

export function activate(ctx: UiContext, f: Feature): void {
  // A change may be planned from here on: read who is in charge while the admin logs in and types.
  ctx.readFully();
  ctx.run(async () => {
    if (f.privileged) await requireAuth(ctx, () => f.activate(ctx));
    else await f.activate(ctx);
  });
}

export function menuView(ctx: UiContext, features: readonly Feature[] = FEATURES): ListView {
  return new ListView({
    title: 'Menu',
    intro: [line('Choose what to set up:'), []],
    items: () => visibleFeatures(ctx, features).map((f) => ({ label: f.title, hotkey: f.key, select: () => activate(ctx, f) })),
    showHotkeys: true,
    footer: (i) => {
      const f = visibleFeatures(ctx, features)[i];
      if (!f) return [];
      const now = f.summary?.(ctx.current()) ?? [];
      return [[], ...wrap(f.description, 74).map((t) => line(t)), ...(now.length ? [[], ...now.flatMap((t) => wrap(t, 72).map((w) => line(`  ${w}`)))] : [])];
    },
    back: () => ctx.back(),
  });
}

/** Runs the menu's code once, composing its screen without showing it, so the first key after the
 *  status screen runs code V8 has already compiled. */
export function warmUp(ctx: UiContext, size: Size, border: BorderChars): void {
  const v = menuView(ctx);
  compose(size, { headerLeft: '', headerRight: '', title: v.title, help: v.help(), notice: null, border }, v.render(bodySize(size)), 0);
}
