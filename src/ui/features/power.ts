// Reboot and Shut down, each behind a Y/N confirmation; `systemctl reboot|poweroff` through the core
// (src/system/power.ts). Under --root DIR nothing is run: the tree is not this machine.
import type { PowerAction } from '../../system/power.js';
import { type Key, isChar } from '../keys.js';
import { type KeyHelp, type Line, bold, line, wrap } from '../text.js';
import type { Frame, MachineAccess, Screens, Size, View } from '../view.js';
import type { Feature } from './types.js';

const WORDS: Record<PowerAction, { verb: string; ing: string; title: string }> = {
  reboot: { verb: 'Reboot', ing: 'Rebooting', title: 'Reboot' },
  poweroff: { verb: 'Shut down', ing: 'Shutting down', title: 'Shut down' },
};

export class PowerView implements View {
  readonly title: string;
  private state: { kind: 'ask' } | { kind: 'busy' } | { kind: 'said'; text: string; done: boolean } = { kind: 'ask' };

  constructor(private readonly ctx: Screens & Pick<MachineAccess, 'onSystem' | 'system'>, readonly action: PowerAction) {
    this.title = WORDS[action].title;
  }

  render(size: Size): Frame {
    const w = WORDS[this.action];
    const lines: Line[] = [];
    const para = (t: string, b = false): void => wrap(t, size.width).forEach((x) => lines.push(b ? [bold(x)] : line(x)));
    if (this.state.kind === 'ask') {
      para(`${w.verb} the machine now?`, true);
      lines.push([]);
      para(this.action === 'reboot'
        ? 'Everything running on it stops and it starts again; the console comes back after the boot.'
        : 'Everything running on it stops and it powers off; someone must start it again.');
      if (!this.ctx.onSystem) {
        lines.push([]);
        para('Note: ttyconf is working on a tree of files here (--root), so nothing will be run.');
      }
    } else if (this.state.kind === 'busy') para(`${w.ing}...`, true);
    else para(this.state.text, !this.state.done);
    return { lines };
  }

  help(): KeyHelp {
    if (this.state.kind === 'ask') return [['Y', WORDS[this.action].verb], ['N/Esc', 'Back']];
    if (this.state.kind === 'busy') return [['Please wait', '']];
    return [['Enter/Esc', 'Back to status']];
  }

  key(k: Key): void {
    if (this.state.kind === 'ask') {
      if (isChar(k, 'y')) this.go();
      else if (isChar(k, 'n') || k.name === 'escape' || k.name === 'backspace') this.ctx.back();
      return;
    }
    if (this.state.kind === 'said' && (k.name === 'enter' || k.name === 'escape' || k.name === 'backspace')) this.ctx.home();
  }

  private go(): void {
    this.state = { kind: 'busy' };
    this.ctx.run(async () => {
      const r = await this.ctx.system.power(this.action);
      const w = WORDS[this.action];
      this.state = r.kind === 'started' ? { kind: 'said', text: `${w.ing}: systemd accepted "${r.command}".`, done: true }
        : r.kind === 'refused' ? { kind: 'said', text: `Not done: ${r.reason}.`, done: false }
          : { kind: 'said', text: `${w.verb} failed: ${r.reason}`, done: false };
      this.ctx.redraw();
    });
  }
}

function powerFeature_(action: PowerAction, key: string, order: number, description: string): Feature {
  return {
    id: action,
    title: WORDS[action].title,
    key,
    order,
    description,
    privileged: true,
    setting: 'power',
    activate: (ctx) => ctx.open(new PowerView(ctx, action)),
  };
}

export const rebootFeature = powerFeature_('reboot', 'r', 60, 'Restart the machine (asks first).');
export const shutdownFeature = powerFeature_('poweroff', 's', 61, 'Power the machine off (asks first).');
