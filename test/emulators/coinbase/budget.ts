/** Coinbase's per-key request budgets (coinbase.md "limits"): at most `limit` requests in any 1 s, else 429. */
export class SecondBudget {
  private readonly times: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly now: () => number,
  ) {}

  take(): boolean {
    const t = this.now();
    while (this.times.length > 0 && t - this.times[0]! >= 1000) this.times.shift();
    if (this.times.length >= this.limit) return false;
    this.times.push(t);
    return true;
  }
}

/** The 429 body Coinbase sends (captured; an HTML page has been seen too). */
export const RATE_LIMITED = { status: 429, body: { errors: [{ id: 'rate_limit_exceeded', message: 'Too many requests' }] } };
