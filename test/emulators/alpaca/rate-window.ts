/** Alpaca's per-key request budget: `limit` per fixed minute, reported in X-RateLimit-* headers. */
export class RateWindow {
  private start = 0;
  private used = 0;

  constructor(
    private readonly limit: number,
    private readonly now: () => number,
  ) {}

  take(): { ok: boolean; limit: number; remaining: number; resetS: number } {
    const t = this.now();
    if (t - this.start >= 60_000) {
      this.start = t;
      this.used = 0;
    }
    const ok = this.used < this.limit;
    if (ok) this.used++;
    return { ok, limit: this.limit, remaining: this.limit - this.used, resetS: Math.ceil((this.start + 60_000) / 1000) };
  }
}
