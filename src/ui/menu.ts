// The menu: every feature, listed explicitly. A later feature (test network, log in and out, local
// shell, reboot) is one file under features/ and one line here.
import { requireAuth } from './auth.js';
import { dnsFeature } from './features/dns.js';
import { hostnameFeature } from './features/hostname.js';
import { interfacesFeature } from './features/interfaces.js';
import type { Feature } from './features/types.js';
import { ListView } from './list.js';
import { line, wrap } from './text.js';
import type { UiContext } from './view.js';

export const FEATURES: readonly Feature[] = [interfacesFeature, dnsFeature, hostnameFeature]
  .slice()
  .sort((a, b) => a.order - b.order);

export function activate(ctx: UiContext, f: Feature): void {
  ctx.run(async () => {
    if (f.privileged) await requireAuth(() => f.activate(ctx));
    else await f.activate(ctx);
  });
}

export function menuView(ctx: UiContext, features: readonly Feature[] = FEATURES): ListView {
  return new ListView({
    title: 'Menu',
    intro: [line('Choose what to set up:'), []],
    items: () => features.map((f) => ({ label: f.title, hotkey: f.key, select: () => activate(ctx, f) })),
    showHotkeys: true,
    footer: (i) => {
      const f = features[i];
      if (!f) return [];
      const now = f.summary?.(ctx.current()) ?? [];
      return [[], ...wrap(f.description, 74).map((t) => line(t)), ...(now.length ? [[], ...now.flatMap((t) => wrap(t, 72).map((w) => line(`  ${w}`)))] : [])];
    },
    back: () => ctx.back(),
  });
}
