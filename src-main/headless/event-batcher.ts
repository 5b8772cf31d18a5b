/**
 * Coalesces engine events for one receiver (a window over IPC, a browser over the bridge).
 *
 * Why: the Paper source alone can emit thousands of quotes a second, but a screen only needs the
 * newest quote per instrument once a frame. Conflatable events (see `conflationKey`) keep only the
 * newest per key; every other event (orders, fills, notices) is kept and sent in engine order.
 * While the receiver is slow (`canSend()` false) we keep conflating instead of queueing, so memory
 * stays bounded by the number of instruments, not by the tick rate.
 */
import { conflationKey, type EngineEvent } from '../engine/api/events';

export interface EventBatcherOptions {
  /** Minimum gap between two sends. 16 ms ≈ one animation frame. */
  readonly intervalMs: number;
  readonly send: (events: EngineEvent[]) => void;
  /** False while the receiver is congested; events stay pending and keep conflating. */
  readonly canSend?: () => boolean;
  /**
   * Non-conflatable events still pending past this bound mean the receiver is stuck; it is better to
   * drop the receiver (it reconnects and reloads a snapshot) than to grow without limit.
   */
  readonly maxPending?: number;
  readonly onOverflow?: () => void;
  readonly now?: () => number;
}

export interface EventBatcher {
  push(event: EngineEvent): void;
  /** Sends whatever is pending now, if the receiver can take it. */
  flush(): void;
  readonly pendingCount: number;
  close(): void;
}

export function createEventBatcher(opts: EventBatcherOptions): EventBatcher {
  const now = opts.now ?? (() => Date.now());
  const maxPending = opts.maxPending ?? 100_000;
  // Slots are nulled when a newer event with the same key arrives, so survivors keep engine order.
  let pending: Array<EngineEvent | null> = [];
  let live = 0;
  const slotByKey = new Map<string, number>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastSend = -Infinity;
  let closed = false;

  const schedule = () => {
    if (timer || closed || live === 0) return;
    const wait = Math.max(0, opts.intervalMs - (now() - lastSend));
    timer = setTimeout(() => {
      timer = undefined;
      flush();
    }, wait);
  };

  const flush = () => {
    if (closed || live === 0) return;
    if (opts.canSend && !opts.canSend()) {
      // Try again a frame later; meanwhile quotes keep replacing each other in place.
      lastSend = now();
      schedule();
      return;
    }
    const batch: EngineEvent[] = [];
    for (const e of pending) if (e) batch.push(e);
    pending = [];
    live = 0;
    slotByKey.clear();
    lastSend = now();
    opts.send(batch);
  };

  return {
    push(event) {
      if (closed) return;
      const key = conflationKey(event);
      if (key !== undefined) {
        const slot = slotByKey.get(key);
        if (slot !== undefined) {
          pending[slot] = null;
          live--;
        }
        slotByKey.set(key, pending.length);
      }
      pending.push(event);
      live++;
      // Tombstones accumulate when one key is replaced many times while congested; compact them.
      if (pending.length > 2 * live + 1024) compact();
      if (live > maxPending) {
        opts.onOverflow?.();
        return;
      }
      schedule();
    },
    flush,
    get pendingCount() {
      return live;
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending = [];
      live = 0;
      slotByKey.clear();
    },
  };

  function compact() {
    const next: EngineEvent[] = [];
    slotByKey.clear();
    for (const e of pending) {
      if (!e) continue;
      const key = conflationKey(e);
      if (key !== undefined) slotByKey.set(key, next.length);
      next.push(e);
    }
    pending = next;
  }
}
