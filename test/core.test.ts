import { describe, expect, it } from 'vitest';
import { openRoot, readCurrent } from '../src/core.js';
import type { Runner } from '../src/system/run.js';

const recording = (calls: string[]): Runner => async (file, args) => {
  calls.push([file, ...args].join(' '));
  return { command: [file, ...args], exitCode: 1, stdout: '', stderr: '', timedOut: false, failedToStart: null, durationMs: 0 };
};

describe('readCurrent on the running system', () => {
  it('asks nmcli who is in charge by default', async () => {
    const calls: string[] = [];
    await readCurrent(openRoot('/'), { run: recording(calls) });
    expect(calls.some((c) => c.startsWith('nmcli'))).toBe(true);
  });
  it('with detectStack: false (the console first paint) runs only ip, never nmcli', async () => {
    const calls: string[] = [];
    const c = await readCurrent(openRoot('/'), { run: recording(calls), detectStack: false });
    expect(c.stack).toBeNull();
    expect(calls.every((x) => x.startsWith('ip '))).toBe(true);
  });
});
