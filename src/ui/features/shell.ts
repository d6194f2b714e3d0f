// Local shell: root's login shell on this terminal, with the UI put away; the UI comes back when the
// shell exits. Only after login, only for root, only where the vendor allows it ([menu] shell).
// The idle timeout applies inside (TMOUT); a shell that ran that long locks the session on return.
import type { Feature } from './types.js';

export const shellFeature: Feature = {
  id: 'shell',
  title: 'Local shell',
  key: 'l',
  order: 50,
  description: 'A root shell on this console. Type "exit" to come back here.',
  privileged: true,
  setting: 'shell',
  activate: async (ctx) => {
    // No shell without a password, whatever the settings say.
    if (!ctx.settings.login.required) {
      ctx.notify('No local shell: this console needs no login ([login] required = no)');
      return;
    }
    if (ctx.sessionUser() !== 'root') {
      ctx.notify('The local shell is for root only: log out and log in as root');
      return;
    }
    const idle = ctx.settings.login.idleTimeoutSec;
    const r = await ctx.suspend(() => ctx.system.shell(idle));
    if (r.failedToStart) ctx.notify(`The shell could not start: ${r.failedToStart}`);
    // TMOUT ends an idle shell; the idle time was spent there, so the session ends too.
    if (idle > 0 && r.durationMs >= idle * 1000) ctx.lock('The shell ended after the idle timeout: logged out');
  },
};
