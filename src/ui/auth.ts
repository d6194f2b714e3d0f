// The one gate in front of every privileged action (opening a change form, writing a plan, the
// shell, reboot). As in xsconsole, the password is asked at the moment of the action, and then the
// action continues. The app checks again before it applies a change or acts on the machine
// (assertUnlocked in app.ts).
import { LoginView } from './login.js';
import type { ConsoleSetup, Screens, SessionControl, UiAuth } from './view.js';

/** What asking for the login needs. */
export type AuthContext = Screens & Pick<SessionControl, 'auth' | 'authIfLoaded'> & Pick<ConsoleSetup, 'settings'>;

export type Privileged<T> = () => T | Promise<T>;

/** Opens the login dialog; resolves true once logged in, false when cancelled or closed. */
export function askLogin(ctx: AuthContext, auth: UiAuth, why?: string): Promise<boolean> {
  return new Promise((resolve) => ctx.open(new LoginView(ctx, auth, resolve, why)));
}

/**
 * Runs `action` once the user is logged in (asking now if needed); resolves undefined when they
 * are not (the dialog was cancelled, the session locked): the action did not run.
 */
export async function requireAuth<T>(ctx: AuthContext, action: Privileged<T>, why?: string): Promise<T | undefined> {
  // Logged in already: the action runs at once (in the same tick, so keys typed right behind the
  // one that chose it reach the screen it opens).
  const loaded = ctx.authIfLoaded();
  if (loaded?.isUnlocked()) return await action();
  const auth = loaded ?? (await ctx.auth());
  if (!auth.isUnlocked() && !(await askLogin(ctx, auth, why))) return undefined;
  return await action();
}
