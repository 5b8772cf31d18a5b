/**
 * The REST poll's cadence: a round every `fastMs` while nothing else carries orders and fills, every
 * `slowMs` (a reconcile) while the ccxt.pro streams are live, and back to `fastMs` the moment they
 * drop (the next round comes at once when it is already due by the fast cadence). Never two rounds
 * at once; all timing on injectable timers.
 */
import type { TimerHandle, Timers } from '../../ports/clock';

export interface CcxtPollerOptions {
  readonly timers: Timers;
  readonly fastMs: number;
  readonly slowMs: number;
  /** One round; its errors are the caller's to report (they never stop the poller). */
  readonly round: () => Promise<void>;
  readonly streamsLive: () => boolean;
}

export class CcxtPoller {
  private timer: TimerHandle | undefined;
  private running = false;
  private stopped = true;
  private lastEnd = 0;

  constructor(private readonly o: CcxtPollerOptions) {}

  /** The interval the next round waits, as things stand. */
  interval(): number {
    return this.o.streamsLive() ? Math.max(this.o.slowMs, this.o.fastMs) : this.o.fastMs;
  }

  start(): void {
    this.stopped = false;
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.clear();
  }

  /** The streams' health changed: the pending round is rescheduled by the new cadence. */
  streamsChanged(): void {
    if (this.stopped || this.running) return;
    this.clear();
    this.schedule();
  }

  private clear(): void {
    if (this.timer) this.o.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.stopped) return;
    const wait = Math.max(0, this.lastEnd + this.interval() - this.o.timers.now());
    this.timer = this.o.timers.setTimeout(() => void this.run(), wait);
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      await this.o.round().catch(() => undefined);
    } finally {
      this.running = false;
      this.lastEnd = this.o.timers.now();
    }
    this.schedule();
  }
}
