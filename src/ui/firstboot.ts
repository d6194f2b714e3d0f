// The first boot of an armed image, after the first screen: set the root password, then the setup
// wizard (hostname, network, DNS, one review of all three, apply). The core removes the first-boot
// marker once root has a password, so a restart in the middle of the wizard shows the normal
// console, which has the same forms.
import { PASSWORD_MAX, PASSWORD_MIN } from '../model/password.js';
import type { Change } from '../model/types.js';
import type { FieldError } from '../model/fieldError.js';
import { ok } from '../model/result.js';
import { isLocalhostName } from '../model/hostname.js';
import { dnsForm } from './features/dns.js';
import { hostnameForm } from './features/hostname.js';
import { interfaceForm } from './features/interfaces.js';
import { FormView, type TextField } from './widgets/form.js';
import { type Key, isChar } from './keys.js';
import { ListView } from './widgets/list.js';
import { openReview } from './review.js';
import { interfaceChoices } from './statusView.js';
import { shownInterfaces } from './features/interfaces.js';
import { type KeyHelp, type Line, bold, line, wrap } from './text.js';
import type { Frame, Size, UiContext, View } from './view.js';

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
    // Enter is this screen's own (it saves the password): the form never submits.
    this.form = new FormView(ctx, { title: this.title, intro: () => [], fields: [this.password, this.confirmation], submit: () => ok([]), next: () => null });
  }

  render(size: Size): Frame {
    const head: Line[] = [];
    const para = (t: string, b = false): void => wrap(t, size.width).forEach((w) => head.push(b ? [bold(w)] : line(w)));
    para('Welcome. This is the first start of this machine and root has no password yet.', true);
    para('Choose the root password: it is needed at this console for every change, and to log in.');
    para(`It must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters of printable ASCII (letters, digits, punctuation, space), typed twice.`);
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

/** The wizard left before its review was written, per console: the menu offers to finish it. */
const unfinished = new WeakMap<UiContext, Wizard>();

export function unfinishedSetup(ctx: UiContext): Wizard | null {
  return unfinished.get(ctx) ?? null;
}

/**
 * The setup after the first password: hostname (1/4), one interface (2/4), DNS (3/4), one review of
 * all three (4/4). Every step is kept, so Esc goes one step back with what was typed; Esc on the
 * first step asks whether to leave; a wizard left unfinished is offered in the menu until its
 * review is written.
 */
export class Wizard {
  readonly changes = new Map<string, readonly Change[]>();
  private hostForm: FormView | null = null;
  private list: ListView | null = null;
  private readonly ifForms = new Map<string, FormView>();
  private dnsForm: FormView | null = null;
  /** The interface chosen in step 2; null: left as they are. */
  private device: string | null = null;
  /** The step on screen, to come back to. */
  private at: () => void = () => this.hostname();

  constructor(readonly ctx: UiContext) {
    unfinished.set(ctx, this);
  }

  all(): Change[] {
    return ['hostname', 'ip', 'dns'].flatMap((k) => [...(this.changes.get(k) ?? [])]);
  }

  /** Back to the step that was on screen when the wizard was left. */
  resume(): void {
    this.at();
  }

  private show(view: View, at: () => void): void {
    this.at = at;
    this.ctx.replace(view);
  }

  private step(name: string, then: () => void): (changes: readonly Change[]) => FieldError[] | null {
    return (changes) => {
      this.changes.set(name, changes);
      then();
      return null;
    };
  }

  /** Leaving asks first; the values stay for the menu's "Finish the setup". */
  leave(): void {
    const back = this.at;
    this.ctx.replace(new LeaveSetupView(() => this.ctx.home(), back));
  }

  hostname(): void {
    this.hostForm ??= (() => {
      const f = hostnameForm(this.ctx);
      const field = f.spec.fields[0]!;
      return new FormView(this.ctx, {
        ...f.spec,
        title: 'Setup 1/4: Hostname',
        intro: () => {
          const lines = [...f.spec.intro()];
          if (isLocalhostName(field.value.trim())) {
            lines.push([bold(`! ${field.value.trim()} is not a name for this machine: choose a real one. Other machines find it by this name, and /etc/hosts gets no line for a localhost name.`)]);
          }
          return lines;
        },
        next: this.step('hostname', () => this.interfaces()),
        cancel: () => this.leave(),
      });
    })();
    this.show(this.hostForm, () => this.hostname());
  }

  interfaces(): void {
    const ctx = this.ctx;
    this.list ??= new ListView({
      title: 'Setup 2/4: Network',
      intro: [line('Choose the interface to set up, or the last line to leave them as they are:'), []],
      header: [bold(`  ${interfaceChoices(shownInterfaces(ctx)).header}`)],
      items: () => {
        const list = shownInterfaces(ctx);
        const { labels } = interfaceChoices(list);
        return [
          ...list.map((i, k) => ({ label: labels[k]!, select: () => this.interface(i.name) })),
          {
            label: '(leave the interfaces as they are)',
            hotkey: '-',
            select: () => {
              this.changes.delete('ip');
              this.device = null;
              this.dns();
            },
          },
        ];
      },
      back: () => this.hostname(),
      selectWord: 'Choose',
    });
    this.show(this.list, () => this.interfaces());
  }

  interface(device: string): void {
    let form = this.ifForms.get(device);
    if (!form) {
      const f = interfaceForm(this.ctx, device);
      form = new FormView(this.ctx, {
        ...f.spec,
        title: `Setup 2/4: Interface ${device}`,
        next: this.step('ip', () => {
          this.device = device;
          this.dns();
        }),
        cancel: () => this.interfaces(),
      });
      this.ifForms.set(device, form);
    }
    this.show(form, () => this.interface(device));
  }

  dns(): void {
    this.dnsForm ??= (() => {
      const f = dnsForm(this.ctx);
      return new FormView(this.ctx, {
        ...f.spec,
        title: 'Setup 3/4: DNS',
        next: (changes) => {
          this.changes.set('dns', changes);
          return openReview(this.ctx, this.all(), {
            title: 'Setup 4/4: Review changes',
            onWrite: () => unfinished.delete(this.ctx),
          });
        },
        cancel: () => (this.device !== null ? this.interface(this.device) : this.interfaces()),
      });
    })();
    this.show(this.dnsForm, () => this.dns());
  }
}

/** "Leave the setup?" Y leaves (the menu offers it again), N or Esc goes back to the step. */
export class LeaveSetupView implements View {
  readonly title = 'Leave the setup?';

  constructor(private readonly leave: () => void, private readonly stay: () => void) {}

  render(size: Size): Frame {
    const lines: Line[] = [];
    const para = (t: string, b = false): void => wrap(t, size.width).forEach((w) => lines.push(b ? [bold(w)] : line(w)));
    para('Leave the setup? Nothing has been written yet.', true);
    lines.push([]);
    para('Y leaves it. What you typed is kept: "Finish the setup" in the menu brings you back to this step until the setup is written.');
    para('N or Esc goes back to the step you were on.');
    return { lines };
  }

  help(): KeyHelp {
    return [['Y', 'Leave the setup'], ['N/Esc', 'Back to the step']];
  }

  key(k: Key): void {
    if (isChar(k, 'y')) this.leave();
    else if (isChar(k, 'n') || k.name === 'escape' || k.name === 'backspace') this.stay();
  }
}

/** After the password: set up the network now, or later from the menu. */
export class WizardStartView implements View {
  readonly title = 'Setup';
  private readonly wizard: Wizard;

  constructor(private readonly ctx: UiContext) {
    this.wizard = new Wizard(ctx);
  }

  render(size: Size): Frame {
    const lines: Line[] = [];
    const para = (t: string, b = false): void => wrap(t, size.width).forEach((w) => lines.push(b ? [bold(w)] : line(w)));
    para('The root password is set and you are logged in as root.', true);
    lines.push([]);
    para('Next: the hostname (Setup 1/4), one network interface (2/4), DNS (3/4). You review all three together before anything is written (4/4). Esc goes one step back.');
    lines.push([]);
    para('Enter or Y starts. S skips for now: "Finish the setup" in the menu starts it later.');
    return { lines };
  }

  help(): KeyHelp {
    return [['Enter/Y', 'Start'], ['S/Esc', 'Later']];
  }

  key(k: Key): void {
    if (k.name === 'enter' || isChar(k, 'y')) this.wizard.hostname();
    else if (isChar(k, 's') || k.name === 'escape') this.ctx.home();
  }
}
