// Log out: ends the session at once (also ends by itself after the idle timeout).
import type { Feature } from './types.js';

export const logoutFeature: Feature = {
  id: 'logout',
  title: 'Log out',
  key: 'o',
  order: 90,
  description: 'End the session: the next change asks for the password again.',
  privileged: false,
  visible: (ctx) => ctx.sessionUser() !== null,
  activate: (ctx) => ctx.lock('Logged out'),
};
