/**
 * Binance's request-weight rules on the emulator (rest-api.md "LIMITS"): every answer carries
 * `X-MBX-USED-WEIGHT-1m`; a request over the limit gets 429 with `Retry-After` (the handler does
 * not run); coming back before Retry-After is an automated IP ban, 418 with `Retry-After`, and a
 * ban answers every request with 418 until it ends. The window (1 minute) and the ban length can
 * be shortened from the control API for tests.
 */
import type { BinanceAnswer } from './errors';

export class WeightGate {
  limit = 6000;
  windowMs = 60_000;
  banMs = 120_000;
  private window = 0;
  private usedWeight = 0;
  private limitedUntil = 0;
  private bannedUntil = 0;
  /** Requests refused with 418 (a client that did not back off). */
  bans = 0;

  constructor(private readonly now: () => number) {}

  get used(): number {
    this.roll();
    return this.usedWeight;
  }

  private roll(): void {
    const w = Math.floor(this.now() / this.windowMs);
    if (w !== this.window) {
      this.window = w;
      this.usedWeight = 0;
    }
  }

  /** Weight used by someone else on the same IP (another program). */
  use(weight: number): void {
    this.roll();
    this.usedWeight += weight;
  }

  ban(ms: number): void {
    this.bannedUntil = this.now() + ms;
  }

  private retryAfter(until: number): Record<string, string> {
    return { 'Retry-After': String(Math.max(1, Math.ceil((until - this.now()) / 1000))) };
  }

  /** The refusal for a request of weight `w`, or undefined (the weight is then counted). */
  admit(w: number): BinanceAnswer | undefined {
    this.roll();
    const now = this.now();
    if (now < this.limitedUntil && now >= this.bannedUntil) this.bannedUntil = now + this.banMs;
    if (now < this.bannedUntil) {
      this.bans++;
      const msg = `Way too much request weight used; IP banned until ${this.bannedUntil}. Please use WebSocket Streams for live updates to avoid bans.`;
      return { status: 418, headers: this.retryAfter(this.bannedUntil), body: { code: -1003, msg } };
    }
    if (this.usedWeight + w > this.limit) {
      this.limitedUntil = (this.window + 1) * this.windowMs;
      const msg = `Too much request weight used; current limit is ${this.limit} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.`;
      return { status: 429, headers: this.retryAfter(this.limitedUntil), body: { code: -1003, msg } };
    }
    this.usedWeight += w;
    return undefined;
  }

  stamp(a: BinanceAnswer): BinanceAnswer {
    return { ...a, headers: { ...(a.headers ?? {}), 'X-MBX-USED-WEIGHT-1m': String(this.used) } };
  }
}
