// After the review: the progress line, "Keep these settings?", the result screen for every outcome,
// and the error boundary. The core's executePlan is replaced by fakes here (it has its own tests).
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan.js';
import type { CheckResult, ExecuteOptions, Outcome } from '../../src/transaction.js';
import { outcomeReport } from '../../src/ui/outcome.js';
import { plain } from '../../src/ui/text.js';
import type { Executor } from '../../src/ui/view.js';
import { treeDigest } from './helpers/files.js';
import { Headless, cleanUpAfterEach } from './helpers/headless.js';

let h: Headless | null = null;
cleanUpAfterEach();

const commit = { backupDir: 'var/lib/ttyconf/backups/20260101-000000-abcd', written: ['etc/hostname', 'etc/hosts'] };
const check = (name: string, passed: boolean, detail: string): CheckResult => ({
  name, passed, detail, required: true, status: passed ? 'passed' : 'failed',
});
const applied: Outcome = {
  kind: 'applied', commit, stack: 'nm', commands: ['hostnamectl set-hostname vm1: ok'], runs: [],
  checks: [check('hostname', true, 'wanted vm1, got vm1')], kept: 'confirmed', notes: [], log: '/var/log/ttyconf/job.log',
};
const rolledBack: Outcome = {
  kind: 'rolled-back', commit, stack: 'nm', reason: 'not confirmed within 30 s', commands: ['hostnamectl set-hostname vm1: ok'],
  runs: [], checks: [check('hostname', true, 'ok')], rollbackCommands: ['hostnamectl set-hostname localhost: ok'], rollbackRuns: [],
  rollbackChecks: [check('hostname', true, 'wanted localhost, got localhost')], restored: true, unrestoredFiles: [], notes: [], log: null,
};

/** Opens the hostname form, types a name and confirms the review. */
async function changeHostname(s: Headless, name = 'vm1'): Promise<void> {
  await s.press('Enter');
  await s.waitFor('Choose what to set up');
  await s.press('h', 'Enter');
  await s.waitFor('Letters, digits and hyphens');
  await s.press('C-u');
  await s.type(name);
  await s.press('Enter');
  await s.waitFor('Review changes');
  await s.press('y');
}

/** An executor that asks "Keep these settings?" once, records the answer and reports the outcome. */
function askingExecutor(seconds: number): { answers: boolean[]; execute: Executor } {
  const answers: boolean[] = [];
  const execute: Executor = async (_c, _p, opts) => {
    const keep = await opts.confirmKeep!(seconds, new AbortController().signal);
    answers.push(keep);
    return keep ? applied : rolledBack;
  };
  return { answers, execute };
}

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('progress and "Keep these settings?"', () => {
  it('shows the progress line while the core works, then the result', async () => {
    const gate = deferred<void>();
    let seen: ExecuteOptions | null = null;
    const execute: Executor = async (_c, _p, opts) => {
      seen = opts;
      opts.onProgress?.('Writing 2 file(s)...', { kind: 'phase', phase: 'write', message: 'Writing 2 file(s)...' });
      await gate.promise;
      return { kind: 'written', commit, notes: [] };
    };
    h = await Headless.startLoggedIn({ execute });
    await changeHostname(h);
    await h.waitFor('... Writing 2 file(s)...');
    expect(h.text()).toContain('Please wait');
    await h.press('Escape', 'q'); // ignored while writing
    expect(h.text()).toContain('... Writing 2 file(s)...');
    gate.resolve();
    await h.waitFor('Done: files written');
    expect(seen!.apply).toBe(false); // a tree, not the running system
    expect(h.flat()).toContain('The running system was not changed (the files are under');
  });

  it('counts down with Revert as the default answer; K keeps', async () => {
    const { answers, execute } = askingExecutor(30);
    h = await Headless.startLoggedIn({ execute });
    await changeHostname(h);
    await h.waitFor('Keep these settings? Reverting in');
    expect(h.text()).toMatch(/Keep these settings\? Reverting in (30|29|28) s\./);
    expect(h.isInverse('[ Revert (R) ]')).toBe(true);
    expect(h.isInverse('[ Keep (K) ]')).toBe(false);
    expect(h.lines()[23]).toMatch(/K\/Y Keep\s+R\/N\/Esc Revert now/);
    expect(h.text()).toContain('hostname: localhost.localdomain -> vm1');
    await h.press('k');
    await h.waitFor('Done: applied');
    expect(answers).toEqual([true]);
    const t = h.text();
    expect(t).toContain('You chose to keep them.');
    expect(t).toContain('hostnamectl set-hostname vm1: ok');
    expect(t).toContain('PASS  hostname: wanted vm1, got vm1');
  });

  it('Enter on the default answer reverts', async () => {
    const { answers, execute } = askingExecutor(30);
    h = await Headless.startLoggedIn({ execute });
    await changeHostname(h);
    await h.waitFor('Keep these settings?');
    await h.press('Enter');
    await h.waitFor('ROLLED BACK: not confirmed within 30 s.');
    expect(answers).toEqual([false]);
    expect(h.text()).toContain('The old settings are back');
    expect(h.text()).toContain('hostnamectl set-hostname localhost: ok');
  });

  it('no answer before the deadline reverts', async () => {
    const { answers, execute } = askingExecutor(1);
    h = await Headless.startLoggedIn({ execute });
    await changeHostname(h);
    await h.waitFor('Keep these settings?');
    await h.waitFor('ROLLED BACK', 15_000);
    expect(answers).toEqual([false]);
  });

  it('closes when the core stops asking (its signal aborts)', async () => {
    const execute: Executor = async (_c, _p, opts) => {
      const ac = new AbortController();
      const answer = opts.confirmKeep!(30, ac.signal);
      setTimeout(() => ac.abort(), 50);
      await answer;
      return rolledBack;
    };
    h = await Headless.startLoggedIn({ execute });
    await changeHostname(h);
    await h.waitFor('ROLLED BACK', 15_000);
  });

  it('leaving the UI during the question answers revert (one way out)', async () => {
    const answers: boolean[] = [];
    const execute: Executor = async (_c, _p, opts) => {
      answers.push(await opts.confirmKeep!(30, new AbortController().signal));
      return rolledBack;
    };
    h = await Headless.startLoggedIn({ execute });
    await changeHostname(h);
    await h.waitFor('Keep these settings?');
    await h.app.stop(0);
    expect(answers).toEqual([false]);
  });
});

describe('error boundary', () => {
  it('an unexpected error shows a short message, returns to the status screen, and logs the details', async () => {
    const execute: Executor = async () => {
      throw new Error('boom in the core\n    at somewhere (file.js:1:1)');
    };
    h = await Headless.startLoggedIn({ execute });
    const before = treeDigest(h.rootDir);
    await changeHostname(h);
    await h.waitFor('Unexpected error: boom in the core');
    const t = h.text();
    expect(t).toContain('Enter/M Menu');
    expect(t).not.toContain('at somewhere');
    expect(h.errors.join('')).toContain('at somewhere (file.js:1:1)');
    expect(treeDigest(h.rootDir)).toBe(before);
    // The UI still works.
    await h.press('Enter');
    await h.waitFor('Choose what to set up');
  });
});

describe('result screen text for every outcome', () => {
  const plan: Plan = {
    changes: [], edits: [], actions: [], dns: { servers: [], required: false }, notes: ['a note'], rollbackLimits: [],
    summary: [{ field: 'hostname', old: 'localhost', new: 'vm1' }],
  };
  const text = (o: Outcome, reason: string | null = null): { title: string; body: string } => {
    const r = outcomeReport(plan, o, reason, 76);
    return { title: r.title, body: r.lines.map(plain).join(' ').replace(/\s+/g, ' ') };
  };

  it('unchanged', () => {
    expect(text({ kind: 'unchanged' }).title).toBe('Nothing changed');
    expect(text({ kind: 'unchanged' }).body).toContain('Nothing was written');
  });

  it('not-applied says nothing was written and why', () => {
    const r = text({ kind: 'not-applied', reason: 'another change is in progress' });
    expect(r.title).toBe('Not done');
    expect(r.body).toContain('NOT DONE: another change is in progress.');
    expect(r.body).toContain('No file was written');
  });

  it('write-failed, restored and not restored', () => {
    let r = text({ kind: 'write-failed', error: { file: 'etc/hosts', cause: 'ENOSPC', restored: true, unrestored: [] } });
    expect(r.title).toBe('FAILED: not written');
    expect(r.body).toContain('FAILED: could not write etc/hosts: ENOSPC');
    expect(r.body).toContain('Every file is as it was before');
    r = text({ kind: 'write-failed', error: { file: 'etc/hosts', cause: 'EIO', restored: false, unrestored: ['etc/hostname'] } });
    expect(r.body).toContain('could not be restored');
    expect(r.body).toContain('etc/hostname');
  });

  it('written, with the reason the system was left alone', () => {
    const r = text({ kind: 'written', commit, notes: ['resolv.conf left to NetworkManager'] }, 'ttyconf was started with --no-apply');
    expect(r.title).toBe('Done: files written');
    expect(r.body).toContain('(ttyconf was started with --no-apply)');
    expect(r.body).toContain('etc/hostname');
    expect(r.body).toContain(`Backup of the old files: ${commit.backupDir}`);
    expect(r.body).toContain('hostname: localhost -> vm1');
    expect(r.body).toContain('Note: resolv.conf left to NetworkManager.');
  });

  it('applied and rolled back, with failures in words', () => {
    expect(text(applied).title).toBe('Done: applied');
    expect(text(applied).body).toContain('Full log: /var/log/ttyconf/job.log');
    const bad: Outcome = { ...rolledBack, restored: false, unrestoredFiles: ['etc/hosts'], checks: [check('gateway 192.0.2.1', false, 'no answer')] } as Outcome;
    const r = text(bad);
    expect(r.title).toBe('FAILED: rollback incomplete');
    expect(r.body).toContain('FAIL gateway 192.0.2.1: no answer');
    expect(r.body).toContain('not restored: etc/hosts');
  });
});
