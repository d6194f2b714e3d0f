// After the first screen: what a killed ttyconf left half-way (undone by the core), and the first
// boot of an armed image: set the root password, then the setup wizard (hostname, network, DNS, one
// review of all three, apply). The core removes the first-boot marker once root has a password, so
// a restart in the middle of the wizard shows the normal console, which has the same forms.
import { type Outcome, recoveryLine } from '../apply/types.js';
import type { Change } from '../model/types.js';
import type { FieldError } from '../model/fieldError.js';
import { ok } from '../model/result.js';
import { dnsForm } from './features/dns.js';
import { hostnameForm } from './features/hostname.js';
import { interfaceForm } from './features/interfaces.js';
import { FormView, type TextField } from './form.js';
import { type Key, isChar } from './keys.js';
import { ListView } from './list.js';
import { openReview } from './review.js';
import { addressText, linkText, methodText } from './statusView.js';
import { type KeyHelp, type Line, bold, line, padRight, wrap } from './text.js';
import type { Frame, Size, UiContext, View } from './view.js';

/** One warning line per change that was undone at start-up. */
export function recoveryLines(outcomes: readonly Outcome[]): string[] {
  return outcomes.map(recoveryLine);
}

/** Called once after the first screen. */
export async function startFirstBoot(ctx: UiContext): Promise<void> {
  const state = await ctx.system.firstBoot();
  if (state.kind === 'ask') {
    // The wizard ends in a change: read who is in charge meanwhile.
    ctx.readFully();
    ctx.open(new FirstPasswordView(ctx));
  }
}

/** "Set the root password": two masked fields; cannot be skipped (the image builder asked for it). */
export class FirstPasswordView implements View {
  readonly title = 'Set the root password';
  readonly password: TextField = { kind: 'text', id: 'password', label: 'New password', value: '', maxLength: 256, width: 30, mask: true };
  readonly confirmation: TextField = { kind: 'text', id: 'confirmation', label: 'Again', value: '', maxLength: 256, width: 30, mask: true };
  private readonly form: FormView;
  private message: string | null = null;
  private checking = false;

  constructor(private readonly ctx: UiContext) {
    this.form = new FormView(ctx, { title: this.title, intro: () => [], fields: [this.password, this.confirmation], submit: () => ok([]) });
  }

  render(size: Size): Frame {
    const head: Line[] = [];
    const para = (t: string, b = false): void => wrap(t, size.width).forEach((w) => head.push(b ? [bold(w)] : line(w)));
    para('Welcome. This is the first start of this machine and root has no password yet.', true);
    para('Choose the root password: it is needed at this console for every change, and to log in.');
    head.push([]);
    const body = this.form.render(size);
    const lines = [...head, ...body.lines, []];
    if (this.checking) lines.push(line('Saving the password...'));
    if (this.message) wrap(`! ${this.message}`, size.width).forEach((w) => lines.push([bold(w)]));
    return { lines, focusRow: (body.focusRow ?? 0) + head.length, cursor: body.cursor ? { row: body.cursor.row + head.length, col: body.cursor.col } : undefined };
  }

  help(): KeyHelp {
    return [['Tab', 'Field'], ['Enter', 'Save'], ['Ctrl-U', 'Clear']];
  }

  key(k: Key): void {
    if (this.checking) return;
    if (k.name === 'escape') {
      this.message = 'The root password must be set first.';
      return;
    }
    if (k.name !== 'enter') return this.form.key(k);
    if (this.form.focused === 0 && this.confirmation.value === '') {
      this.form.focused = 1;
      return;
    }
    this.checking = true;
    this.message = null;
    const pw = this.password.value;
    this.ctx.run(async () => {
      try {
        const r = await this.ctx.system.setFirstPassword(pw, this.confirmation.value);
        if (r.ok) {
          // The person who just chose it is logged in as root.
          await (await this.ctx.auth()).login('root', pw);
          this.ctx.replace(new WizardStartView(this.ctx));
          return;
        }
        if (r.error.kind === 'invalid') {
          this.form.errors = r.error.errors;
          this.form.focused = r.error.errors.some((e) => e.field === 'password') ? 0 : 1;
        } else {
          this.form.errors = [];
          this.message = r.error.message;
        }
        this.password.value = '';
        this.confirmation.value = '';
      } finally {
        this.checking = false;
        this.ctx.redraw();
      }
    });
  }
}

/** Collects the wizard's changes; the last step reviews them all at once. */
class Wizard {
  readonly changes = new Map<string, readonly Change[]>();

  constructor(readonly ctx: UiContext) {}

  all(): Change[] {
    return ['hostname', 'ip', 'dns'].flatMap((k) => [...(this.changes.get(k) ?? [])]);
  }

  step(name: string, then: () => void): (changes: readonly Change[]) => FieldError[] | null {
    return (changes) => {
      this.changes.set(name, changes);
      then();
      return null;
    };
  }

  hostname(): void {
    const f = hostnameForm(this.ctx);
    this.ctx.replace(new FormView(this.ctx, { ...f.spec, title: 'Setup 1/4: Hostname', next: this.step('hostname', () => this.interfaces()) }));
  }

  interfaces(): void {
    const ctx = this.ctx;
    this.ctx.replace(new ListView({
      title: 'Setup 2/4: Network',
      intro: [line('Choose the interface to set up, or the last line to leave them as they are:'), []],
      items: () => [
        ...ctx.current().status.interfaces.filter((i) => !ctx.hidden(i.name)).map((i) => ({
          label: `${padRight(i.name, 10)} ${padRight(linkText(i.link), 11)} ${padRight(methodText(i.method), 7)} ${addressText(i)}`,
          select: () => {
            const f = interfaceForm(ctx, i.name);
            ctx.replace(new FormView(ctx, { ...f.spec, title: `Setup 2/4: Interface ${i.name}`, next: this.step('ip', () => this.dns()) }));
          },
        })),
        { label: '(leave the interfaces as they are)', hotkey: '-', select: () => { this.changes.delete('ip'); this.dns(); } },
      ],
      back: () => this.hostname(),
      selectWord: 'Choose',
    }));
  }

  dns(): void {
    const f = dnsForm(this.ctx);
    this.ctx.replace(new FormView(this.ctx, {
      ...f.spec,
      title: 'Setup 3/4: DNS',
      next: (changes) => {
        this.changes.set('dns', changes);
        return openReview(this.ctx, this.all());
      },
    }));
  }
}

/** After the password: set up the network now, or later from the menu. */
export class WizardStartView implements View {
  readonly title = 'Setup';

  constructor(private readonly ctx: UiContext) {}

  render(size: Size): Frame {
    const lines: Line[] = [];
    const para = (t: string, b = false): void => wrap(t, size.width).forEach((w) => lines.push(b ? [bold(w)] : line(w)));
    para('The root password is set and you are logged in as root.', true);
    lines.push([]);
    para('Next: the hostname, then one network interface, then DNS. You review all three together before anything is written (step 4/4).');
    lines.push([]);
    para('Enter or Y starts. S skips: everything is also in the menu later.');
    return { lines };
  }

  help(): KeyHelp {
    return [['Enter/Y', 'Start'], ['S/Esc', 'Skip']];
  }

  key(k: Key): void {
    if (k.name === 'enter' || isChar(k, 'y')) new Wizard(this.ctx).hostname();
    else if (isChar(k, 's') || k.name === 'escape') this.ctx.home();
  }
}
