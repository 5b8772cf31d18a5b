/**
 * Orders per sliding window, per venue account (and per strategy instance): the runaway-loop guard
 * behind `max_orders_per_minute`.
 *
 * Exact sliding window (a timestamp per order, not fixed buckets) so "61 orders in any 60 s" is
 * caught even when they straddle a bucket edge. Timestamps sit in a per-key ring buffer, so
 * record() and count() are amortised O(1) and memory is bounded by `maxPerKey`.
 */
import type { Clock } from '../ports/clock';

/**
 * A key per venue account, whoever sends (the UI, the CLI and any bridge client share it: a client
 * names itself in its hello, so a per-client count could be multiplied at will). A strategy
 * instance, named by the engine, counts apart so a runaway loop cannot lock the trader out.
 */
export function rateKey(account: string, strategyId?: string): string {
  return strategyId ? `${account}|strategy:${strategyId}` : account;
}

class Ring {
  private buf: number[];
  private head = 0;
  size = 0;
  constructor(capacity: number) {
    this.buf = new Array<number>(Math.min(capacity, 16));
  }
  push(t: number, cap: number): void {
    if (this.size === this.buf.length) {
      if (this.size >= cap) {
        // Saturated: drop the oldest. The count stays at `cap`, which already exceeds any sane limit.
        this.head = (this.head + 1) % this.buf.length;
        this.size--;
      } else {
        this.grow(Math.min(cap, this.buf.length * 2));
      }
    }
    this.buf[(this.head + this.size) % this.buf.length] = t;
    this.size++;
  }
  /** Drops timestamps at or before `cutoff`. */
  evict(cutoff: number): void {
    while (this.size > 0 && this.buf[this.head]! <= cutoff) {
      this.head = (this.head + 1) % this.buf.length;
      this.size--;
    }
  }
  oldest(): number | undefined {
    return this.size > 0 ? this.buf[this.head] : undefined;
  }
  private grow(capacity: number): void {
    const next = new Array<number>(capacity);
    for (let i = 0; i < this.size; i++) next[i] = this.buf[(this.head + i) % this.buf.length]!;
    this.buf = next;
    this.head = 0;
  }
}

export interface OrderRateOptions {
  readonly clock: Clock;
  /** Window length; one minute for `max_orders_per_minute`. */
  readonly windowMs?: number;
  /** Timestamps kept per key. Far above any sensible limit; bounds memory for a loop that ignores refusals. */
  readonly maxPerKey?: number;
}

export class OrderRateCounter {
  private readonly clock: Clock;
  private readonly windowMs: number;
  private readonly maxPerKey: number;
  private readonly rings = new Map<string, Ring>();

  constructor(opts: OrderRateOptions) {
    this.clock = opts.clock;
    this.windowMs = opts.windowMs ?? 60_000;
    this.maxPerKey = opts.maxPerKey ?? 10_000;
    if (!(this.windowMs > 0)) throw new Error('OrderRateCounter: windowMs must be positive');
    if (!(Number.isInteger(this.maxPerKey) && this.maxPerKey >= 1)) throw new Error('OrderRateCounter: maxPerKey must be a positive integer');
  }

  /** Records one order now and returns how many the key has placed in the window, this one included. */
  record(key: string): number {
    const now = this.clock.now();
    let ring = this.rings.get(key);
    if (!ring) {
      ring = new Ring(this.maxPerKey);
      this.rings.set(key, ring);
    }
    ring.evict(now - this.windowMs);
    ring.push(now, this.maxPerKey);
    return ring.size;
  }

  /** Orders the key placed in the last window, not counting one about to be placed. */
  count(key: string): number {
    const ring = this.rings.get(key);
    if (!ring) return 0;
    ring.evict(this.clock.now() - this.windowMs);
    if (ring.size === 0) this.rings.delete(key);
    return ring.size;
  }

  /** Milliseconds until the key's count drops by one (0 if it has nothing in the window): "try again in N s". */
  msUntilSlot(key: string): number {
    const ring = this.rings.get(key);
    if (!ring) return 0;
    const now = this.clock.now();
    ring.evict(now - this.windowMs);
    const oldest = ring.oldest();
    return oldest === undefined ? 0 : Math.max(0, oldest + this.windowMs - now);
  }

  /** Forgets idle keys; call now and then (e.g. once a minute) so finished strategies do not linger. */
  sweep(): void {
    const cutoff = this.clock.now() - this.windowMs;
    for (const [key, ring] of this.rings) {
      ring.evict(cutoff);
      if (ring.size === 0) this.rings.delete(key);
    }
  }

  clear(key?: string): void {
    if (key === undefined) this.rings.clear();
    else this.rings.delete(key);
  }

  get keys(): number {
    return this.rings.size;
  }
}
