// The login dialog, opened by requireAuth at the moment of an action. User name (root by default)
// and password (shown as `*`); refusals in words; after a failure a "Wait N s" countdown during
// which nothing is checked. Enter logs in and the action continues; Esc cancels it.
import { LOGIN_PASSWORD_MAX, TOO_LONG } from '../model/password.js';
import { ok } from '../model/result.js';
import type { Key } from './keys.js';
import { type KeyHelp, type Line, bold, line, wrap } from './text.js';
import type { ConsoleSetup, Frame, Screens, Size, UiAuth, View } from './view.js';
import { FormView, type TextField } from './widgets/form.js';

export class LoginView implements View {
  readonly title = 'Log in';
  readonly user: TextField = { kind: 'text', id: 'user', label: 'User name', value: 'root', maxLength: 32, width: 24 };
  // One character over the longest password a login takes, to know it was longer; a paste beyond
  // that costs nothing more per character (widgets/form.ts drops it at once).
  readonly password: TextField = { kind: 'text', id: 'password', label: 'Password', value: '', maxLength: LOGIN_PASSWORD_MAX + 1, width: 24, mask: true };
  private readonly form: FormView;
  private message: string | null = null;
  private waitUntil = 0;
  private timer: NodeJS.Timeout | null = null;
  private checking = false;
  private done = false;

  constructor(
    private readonly ctx: Screens & Pick<ConsoleSetup, 'settings'>,
    private readonly auth: UiAuth,
    private readonly resolve: (ok: boolean) => void,
    private readonly why?: string,
  ) {
    this.form = new FormView(ctx, {
      title: this.title,
      intro: () => [],
      fields: [this.user, this.password],
      submit: () => ok([]),
      // Enter is this dialog's own (attempt): the form never submits.
      next: () => null,
    });
    this.form.focused = 1;
    // A delay left by an earlier failure (also from before a restart) shows at once.
    void auth.msUntilNextAttempt().then((ms) => this.startWait(ms), () => undefined);
  }

  private group(): string | null {
    return this.ctx.settings.login.group;
  }

  private remaining(): number {
    return Math.max(0, Math.ceil((this.waitUntil - Date.now()) / 1000));
  }

  private startWait(ms: number): void {
    if (ms <= 0 || this.done) return;
    this.waitUntil = Date.now() + ms;
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => {
      if (this.remaining() <= 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
      this.ctx.redraw();
    }, 250);
    this.timer.unref?.();
    this.ctx.redraw();
  }

  render(size: Size): Frame {
    const head: Line[] = [];
    const para = (t: string, b = false): void => wrap(t, size.width).forEach((w) => head.push(b ? [bold(w)] : line(w)));
    para(this.why ?? 'This changes the machine: log in first.');
    const group = this.group();
    para(group ? `Enter the root password, or your own if you are in the group ${group}.` : 'Enter the root password.');
    head.push([]);
    const body = this.form.render(size);
    const lines: Line[] = [...head, ...body.lines, []];
    if (this.checking) para('Checking the password...');
    if (this.tooLong()) wrap(`! ${TOO_LONG} Ctrl-U clears it.`, size.width).forEach((w) => lines.push([bold(w)]));
    const left = this.remaining();
    // One countdown only: the live one below replaces the seconds the refusal was worded with.
    const said = this.message && left > 0
      ? this.message.replace(/\s*(Try again in \d+ s\.|Wait \d+ s before trying again\.)$/, '')
      : this.message;
    if (said) wrap(`! ${said}`, size.width).forEach((w) => lines.push([bold(w)]));
    if (left > 0) lines.push([bold(`Wait ${left} s before trying again.`)]);
    const shift = head.length;
    return {
      lines,
      focusRow: (body.focusRow ?? 0) + shift,
      cursor: body.cursor ? { row: body.cursor.row + shift, col: body.cursor.col } : undefined,
    };
  }

  help(): KeyHelp {
    return [['Enter', 'Log in'], ['Tab', 'Field'], ['Esc', 'Cancel'], ['Ctrl-U', 'Clear']];
  }

  key(k: Key): void {
    if (this.checking) return;
    if (k.name === 'escape') return this.finish(false);
    if (k.name === 'enter') return this.attempt();
    this.form.key(k);
  }

  private tooLong(): boolean {
    return this.password.value.length > LOGIN_PASSWORD_MAX;
  }

  private attempt(): void {
    // Refused at once, and not counted as an attempt: no password this long can be right.
    if (this.tooLong()) return;
    if (this.form.focused === 0 || this.password.value === '') {
      this.form.focused = 1;
      this.message = this.password.value === '' ? 'Type the password, then Enter.' : null;
      return;
    }
    if (this.remaining() > 0) return;
    const user = this.user.value.trim() || 'root';
    const password = this.password.value;
    this.checking = true;
    this.message = null;
    this.ctx.run(async () => {
      try {
        const r = await this.auth.login(user, password);
        if (this.done) return;
        this.password.value = '';
        switch (r.kind) {
          case 'ok':
            this.finish(true);
            return;
          case 'denied':
          case 'wait':
            this.message = r.message;
            this.startWait(r.waitMs);
            return;
          case 'cannot':
            this.message = r.message;
            return;
        }
      } finally {
        this.checking = false;
        this.ctx.redraw();
      }
    });
  }

  private finish(okay: boolean): void {
    if (this.done) return;
    this.done = true;
    if (this.timer) clearInterval(this.timer);
    this.ctx.close(this);
    this.resolve(okay);
  }

  /** Closed from outside (idle lock, error, quit): the action does not run. */
  closed(): void {
    if (this.done) return;
    this.done = true;
    if (this.timer) clearInterval(this.timer);
    this.resolve(false);
  }
}
