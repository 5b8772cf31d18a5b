/**
 * Kraken's dead-man switch (CancelAllOrdersAfter), opt-in: while connected, the timer is re-armed
 * every quarter of its length, so if Tradeport or the machine dies Kraken cancels every open order
 * when it runs out. A deliberate disconnect disarms it (timeout 0); a lost connection leaves it
 * running, which is the point.
 */
import { systemClock, type TimerHandle, type Timers } from '../../ports/clock';

export interface DeadManState {
  readonly armed: boolean;
  /** When Kraken will cancel everything unless refreshed (UTC ms), as it last said. */
  readonly triggerAt?: number;
  readonly lastError?: string;
}

export class KrakenDeadMan {
  private timer: TimerHandle | undefined;
  private st: DeadManState = { armed: false };
  private running = false;

  constructor(
    private readonly seconds: number,
    private readonly arm: (timeout: number) => Promise<{ triggerTime: string }>,
    private readonly changed: (s: DeadManState) => void,
    private readonly timers: Timers = systemClock,
  ) {}

  get enabled(): boolean {
    return this.seconds > 0;
  }

  state(): DeadManState {
    return this.st;
  }

  /** Connected: arm now and keep refreshing. */
  start(): void {
    if (!this.enabled || this.running) return;
    this.running = true;
    void this.refresh();
  }

  /** The connection dropped: stop refreshing, and leave Kraken's timer to run out. */
  pause(): void {
    this.running = false;
    this.clear();
  }

  /** A deliberate stop: no more refreshes, and Kraken's timer is disarmed. */
  async disarm(): Promise<void> {
    this.pause();
    if (!this.enabled || !this.st.armed) return;
    try {
      await this.arm(0);
      this.set({ armed: false });
    } catch (e) {
      this.set({ ...this.st, lastError: `could not disarm: ${(e as Error).message}` });
    }
  }

  private clear(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async refresh(): Promise<void> {
    if (!this.running) return;
    try {
      const r = await this.arm(this.seconds);
      const at = Date.parse(r.triggerTime);
      this.set({ armed: true, ...(Number.isFinite(at) ? { triggerAt: at } : {}) });
    } catch (e) {
      this.set({ ...this.st, lastError: (e as Error).message });
    }
    if (!this.running) return;
    this.clear();
    this.timer = this.timers.setTimeout(() => void this.refresh(), Math.max(1_000, (this.seconds * 1000) / 4));
  }

  private set(s: DeadManState): void {
    this.st = s;
    this.changed(s);
  }
}
