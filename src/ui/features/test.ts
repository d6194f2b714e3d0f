// Test network (like the DCUI's Test Management Network): the checks that follow an apply, run on the
// current settings, plus a ping to an address the user types. Changes nothing, so no login.
import { pingTargetErrors } from '../../model/pingTarget.js';
import type { CheckResult } from '../../apply/types.js';
import { err, ok } from '../../model/result.js';
import { FormView } from '../widgets/form.js';
import { type Key, isChar } from '../keys.js';
import { Pager } from '../widgets/pager.js';
import { type KeyHelp, type Line, bold, line, wrap } from '../text.js';
import type { Frame, MachineAccess, Readings, Screens, Size, UiContext, View } from '../view.js';
import type { Feature } from './types.js';

export function tag(c: CheckResult): string {
  return c.status === 'passed' ? 'PASS' : c.status === 'skipped' ? 'SKIP' : 'FAIL';
}

export class TestResultView implements View {
  readonly title = 'Test network';
  private results: readonly CheckResult[] | null = null;
  /** The checks decided so far in this run, in the order they finished, with their elapsed time. */
  private finished: { readonly check: CheckResult; readonly ms: number }[] = [];
  private runId = 0;
  private failed: string | null = null;
  private startedAt = 0;
  private tookMs = 0;
  private ticker: NodeJS.Timeout | null = null;
  private readonly pager = new Pager();

  constructor(private readonly ctx: Screens & Pick<Readings, 'current'> & Pick<MachineAccess, 'onSystem' | 'system'>, private readonly ping: string | undefined) {
    this.start();
  }

  private running(): boolean {
    return !this.results && !this.failed;
  }

  private start(): void {
    this.results = null;
    this.failed = null;
    this.finished = [];
    const id = ++this.runId;
    this.startedAt = Date.now();
    // The seconds count while the checks run (they can take 10 s): the screen is not stuck.
    this.ticker = setInterval(() => this.ctx.redraw(), 1000);
    this.ticker.unref?.();
    this.ctx.run(async () => {
      try {
        this.results = await this.ctx.system.testNetwork(this.ctx.current(), this.ping, (check, ms) => {
          if (id !== this.runId) return;
          this.finished.push({ check, ms });
          this.ctx.redraw();
        });
      } catch (e) {
        this.failed = e instanceof Error ? e.message : String(e);
      } finally {
        this.tookMs = Date.now() - this.startedAt;
        this.stopTicker();
      }
      this.ctx.redraw();
    });
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
  }

  closed(): void {
    this.stopTicker();
  }

  render(size: Size): Frame {
    const lines: Line[] = [];
    const para = (t: string, indent = '', b = false): void =>
      wrap(t, size.width - indent.length).forEach((x, k) => lines.push(b ? [bold((k ? ' '.repeat(indent.length) : indent) + x)] : line((k ? ' '.repeat(indent.length) : indent) + x)));
    if (this.failed) para(`! The test could not run: ${this.failed}`, '', true);
    else if (!this.results) {
      const s = Math.floor((Date.now() - this.startedAt) / 1000);
      para(`Testing the network${this.ping ? ` and pinging ${this.ping}` : ''}... ${s} s (up to about 15 s)`, '', true);
      if (this.finished.length) lines.push([]);
      for (const { check, ms } of this.finished) this.checkLines(lines, check, size.width, `  (${(ms / 1000).toFixed(1)} s)`);
    } else {
      const bad = this.results.filter((c) => c.status === 'failed').length;
      const took = `in ${(this.tookMs / 1000).toFixed(1)} s`;
      para(bad ? `! ${bad} of ${this.results.length} checks FAILED (${took})` : `All ${this.results.length} checks passed or were skipped (${took})`, '', true);
      lines.push([]);
      for (const c of this.results) this.checkLines(lines, c, size.width);
      if (!this.ctx.onSystem) {
        lines.push([]);
        para('Note: the settings come from the files under --root; the checks look at this machine\'s running network.');
      }
    }
    return { lines: this.pager.view(lines, size.height) };
  }

  private checkLines(lines: Line[], c: CheckResult, width: number, suffix = ''): void {
    const t = `${tag(c)}  ${c.name}: ${c.detail}${suffix}`;
    wrap(t, width - 6).forEach((x, k) => lines.push(k === 0 ? (c.status === 'failed' ? [bold(x)] : line(x)) : line(`      ${x}`)));
  }

  help(): KeyHelp {
    if (this.running()) return [['Esc', 'Back to status (the test stops showing)']];
    return [['R', 'Run again'], ['Enter/Esc', 'Back to status']];
  }

  key(k: Key): void {
    if (this.pager.key(k)) return;
    if (isChar(k, 'r') && !this.running()) this.start();
    else if (k.name === 'enter' || k.name === 'escape' || k.name === 'backspace') this.ctx.home();
  }
}

export function testForm(ctx: UiContext): FormView {
  let ping = '';
  return new FormView(ctx, {
    title: 'Test network',
    intro: () => [
      line('Checks each configured interface, the default gateway and the DNS servers.'),
      line('Optionally type one more address or host name to ping. This changes nothing.'),
    ],
    submitWord: 'Run test',
    writes: false,
    fields: [{ kind: 'text', id: 'ping', label: 'Also ping', value: '', width: 64, maxLength: 253, hint: 'optional' }],
    submit: (v) => {
      ping = (v.get('ping') ?? '').trim();
      const errors = ping ? pingTargetErrors(ping) : [];
      return errors.length ? err(errors) : ok([]);
    },
    next: () => {
      ctx.replace(new TestResultView(ctx, ping || undefined));
      return null;
    },
  });
}

export const testFeature: Feature = {
  id: 'test',
  title: 'Test network',
  key: 't',
  order: 40,
  description: 'Check the interfaces, gateway and DNS servers, and ping an address you choose. Changes nothing.',
  privileged: false,
  setting: 'test',
  activate: (ctx) => ctx.open(testForm(ctx)),
};
