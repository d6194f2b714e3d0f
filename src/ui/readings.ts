// The readings the screens show: the latest reading of the machine, kept through a failed one (the
// status says why), one reading at a time, a full one before a change may be planned.
import type { Current } from '../core.js';
import { type Settings, isInterfaceHidden } from '../settings.js';
import { detail, shortMessage } from './errors.js';
import type { Machine } from './machine.js';
import type { Readings } from './view.js';

export interface ReadingsHost {
  readonly machine: Pick<Machine, 'read'>;
  readonly settings: () => Settings | undefined;
  readonly stopping: () => boolean;
  readonly redraw: () => void;
  readonly logError: (text: string) => void;
}

export class LatestReadings implements Readings {
  private cur: Current | null = null;
  private failed: string | null = null;
  private reading: Promise<void> | null = null;

  constructor(private readonly host: ReadingsHost) {}

  /** The first reading: `first` when it was started already (main.ts), else a reading now. */
  start(first?: Promise<Current>): Promise<void> {
    return this.readWith(() => first ?? this.host.machine.read(false, this.cur));
  }

  /** The latest reading, or null when none could be made yet. */
  latest(): Current | null {
    return this.cur;
  }

  /** Why the last reading failed, if it did. */
  error(): string | null {
    return this.failed;
  }

  current(): Current {
    if (!this.cur) throw new Error(`the network settings could not be read${this.failed ? `: ${this.failed}` : ''}`);
    return this.cur;
  }

  refresh(): Promise<void> {
    if (this.host.stopping()) return Promise.resolve();
    return this.readWith(() => this.host.machine.read(false, this.cur)).then(() => this.host.redraw());
  }

  readFully(): void {
    if (this.host.stopping()) return;
    void (this.reading ?? Promise.resolve()).then(() => this.readWith(() => this.host.machine.read(true, this.cur))).then(() => this.host.redraw());
  }

  hidden(name: string): boolean {
    const settings = this.host.settings();
    return settings ? isInterfaceHidden(settings, name) : false;
  }

  /** One reading at a time; a failure keeps the last good reading and says why. */
  private readWith(source: () => Promise<Current>): Promise<void> {
    this.reading ??= (async () => {
      try {
        this.cur = await source();
        this.failed = null;
      } catch (e) {
        this.failed = shortMessage(e);
        this.host.logError(`ttyconf: reading the settings failed: ${detail(e)}\n`);
      } finally {
        this.reading = null;
      }
    })();
    return this.reading;
  }
}
