// What the console reads, and when: the status screen's readings run no program (no nmcli, no ip:
// an idle console spawns nothing); opening a menu entry starts a full reading, with who is in charge.
import { describe, expect, it } from 'vitest';
import { Headless, cleanUpAfterEach } from './helpers/headless.js';

let h: Headless | null = null;
cleanUpAfterEach();

describe('readings', () => {
  it('the status is read without the stack; a menu entry reads it fully, and later refreshes keep it', async () => {
    h = await Headless.start();
    await h.waitFor('Search domains');
    expect(h.app.readings.current().stack).toBeNull();
    await h.press('Enter');
    await h.waitFor('Choose what to set up');
    expect(h.app.readings.current().stack).toBeNull();
    await h.press('h', 'Enter');
    for (let i = 0; i < 100 && h.app.readings.current().stack === null; i++) await new Promise((r) => setTimeout(r, 20));
    expect(h.app.readings.current().stack).toMatchObject({ name: 'iproute2', source: 'root' });
    await h.app.readings.refresh();
    expect(h.app.readings.current().stack).toMatchObject({ name: 'iproute2', source: 'root' });
  });
});
