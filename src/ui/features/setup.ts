// Finish the setup: the first-boot wizard, when it was left before its review was written. It
// comes back at the step it was left on, with everything typed so far.
import { unfinishedSetup } from '../firstboot.js';
import type { Feature } from './types.js';

export const setupFeature: Feature = {
  id: 'setup',
  title: 'Finish the setup',
  key: 'f',
  order: 5,
  description: 'Back to the first-boot setup (hostname, network, DNS, one review) where you left it.',
  privileged: true,
  visible: (ctx) => unfinishedSetup(ctx) !== null,
  activate: (ctx) => unfinishedSetup(ctx)?.resume(),
};
