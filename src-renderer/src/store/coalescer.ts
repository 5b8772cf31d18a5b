/**
 * Buffers engine events and hands them to the store at most once per animation frame.
 *
 * At 5,000 quote updates/s a per-event store update would re-render faster than the screen can
 * show; one batch per frame keeps tick-to-screen under a frame. Events with a conflation key
 * (quotes, positions, balances, venue states — "latest wins" by nature) replace an older pending
 * event with the same key; orders, fills and notices are never dropped and keep engine order.
 */
import type { EngineEvent } from '../../../src-main/engine/api/events';
import { conflationKey } from '../../../src-main/engine/api/events';

/** Schedules `cb` for the next frame; returns a function that cancels it. */
export type FrameScheduler = (cb: () => void) => () => void;

export class EventCoalescer {
  /** Pending events in arrival order; a conflated-away slot is left `undefined`, so order holds. */
  private slots: Array<EngineEvent | undefined> = [];
  private readonly slotByKey = new Map<string, number>();
  private cancelFrame: (() => void) | undefined;
  private held = false;
  private live = 0;

  constructor(
    private readonly sink: (events: EngineEvent[]) => void,
    private readonly schedule: FrameScheduler,
  ) {}

  push(events: readonly EngineEvent[]): void {
    for (const e of events) {
      const key = conflationKey(e);
      if (key !== undefined) {
        const prev = this.slotByKey.get(key);
        if (prev !== undefined) {
          this.slots[prev] = undefined;
          this.live--;
        }
        this.slotByKey.set(key, this.slots.length);
      }
      this.slots.push(e);
      this.live++;
    }
    this.request();
  }

  /** Keep buffering but stop delivering (while a snapshot is being fetched). */
  hold(): void {
    this.held = true;
    this.cancelFrame?.();
    this.cancelFrame = undefined;
  }

  /** Resume delivery; whatever was buffered goes out on the next frame. */
  release(): void {
    this.held = false;
    this.request();
  }

  /** Number of events waiting (after conflation). */
  get pending(): number {
    return this.live;
  }

  /** Delivers everything pending now, regardless of frames or hold. */
  flush(): void {
    this.cancelFrame?.();
    this.cancelFrame = undefined;
    if (this.live === 0) {
      this.slots = [];
      this.slotByKey.clear();
      return;
    }
    const batch: EngineEvent[] = [];
    for (const e of this.slots) if (e !== undefined) batch.push(e);
    this.slots = [];
    this.slotByKey.clear();
    this.live = 0;
    this.sink(batch);
  }

  dispose(): void {
    this.cancelFrame?.();
    this.cancelFrame = undefined;
    this.slots = [];
    this.slotByKey.clear();
    this.live = 0;
  }

  private request(): void {
    if (this.held || this.cancelFrame || this.live === 0) return;
    this.cancelFrame = this.schedule(() => {
      this.cancelFrame = undefined;
      if (!this.held) this.flush();
    });
  }
}
