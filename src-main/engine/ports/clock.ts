/**
 * Time and timers as one port. Time is UTC milliseconds inside the engine. Every component takes a
 * Clock (or Timers, when it schedules work: refills, half-open probes, reconnects, heartbeats) so
 * tests can drive minutes of wall time in microseconds and every state change is reproducible.
 */
export interface Clock {
  now(): number;
}

export type TimerHandle = { readonly id: number } | ReturnType<typeof setTimeout>;

export interface Timers extends Clock {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemClock: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // A pending refill or reconnect must never keep a CLI process or a test runner alive.
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

interface Pending {
  readonly id: number;
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

/** A clock plus timers that only move when a test moves them. */
export class ManualClock implements Timers {
  private t: number;
  private nextId = 1;
  private seq = 0;
  private pending: Pending[] = [];

  constructor(start: number = Date.UTC(2026, 0, 5, 15, 0, 0)) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  /** Jumps to `ms`; timers due on the way fire, and a jump back fires none. */
  set(ms: number): void {
    if (ms > this.t) this.advance(ms - this.t);
    else this.t = ms;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const h = { id: this.nextId++ };
    this.pending.push({ id: h.id, at: this.t + Math.max(0, ms), seq: this.seq++, fn });
    return h;
  }

  clearTimeout(handle: TimerHandle): void {
    const id = (handle as { id: number }).id;
    this.pending = this.pending.filter((p) => p.id !== id);
  }

  /** Moves time forward, firing due timers in order; timers scheduled by callbacks fire too if due. */
  advance(ms: number): number {
    const end = this.t + ms;
    for (let next = this.takeDue(end); next; next = this.takeDue(end)) next.fn();
    this.t = end;
    return this.t;
  }

  /**
   * Moves time forward one due timer at a time, letting promise continuations run after each,
   * so code resumed by a timer observes the exact time it fired at.
   */
  async advanceAsync(ms: number): Promise<void> {
    const end = this.t + ms;
    await flushMicrotasks();
    for (let next = this.takeDue(end); next; next = this.takeDue(end)) {
      next.fn();
      await flushMicrotasks();
    }
    this.t = end;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /** Removes and returns the earliest timer due by `end` (ties in scheduling order), moving time to it. */
  private takeDue(end: number): Pending | undefined {
    let next: Pending | undefined;
    for (const p of this.pending) {
      if (p.at <= end && (!next || p.at < next.at || (p.at === next.at && p.seq < next.seq))) next = p;
    }
    if (!next) return undefined;
    this.pending = this.pending.filter((p) => p !== next);
    this.t = Math.max(this.t, next.at);
    return next;
  }
}

export async function flushMicrotasks(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

export function sleep(timers: Timers, ms: number): Promise<void> {
  return new Promise((resolve) => timers.setTimeout(resolve, ms));
}
