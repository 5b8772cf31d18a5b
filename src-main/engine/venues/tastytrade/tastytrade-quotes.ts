/**
 * tastytrade quotes: the DXLink feed (tastytrade-dxlink) behind the connector's `quote(id)`. Keeps a
 * map streamer symbol → instrument id, subscribes every instrument it is told about (the client
 * resubscribes them all after a reconnect), and keeps the latest Quote per instrument: bid, ask and
 * sizes from Quote events, `last` from Trade events, `ts` from the injected clock. DXLink being down
 * is reported as the venue's `quotes` feed (never as a venue error), and every quote kept is re-sent
 * marked stale; the next event for an instrument after the feed is back makes its quote fresh
 * (market/live-quotes, as for every streamed venue).
 */
import type { FeedView } from '../../api/venue-health';
import type { Quote } from '../../domain/order';
import { LiveQuotes } from '../../market/live-quotes';
import type { Clock, Timers } from '../../ports/clock';
import { TastytradeDxlink } from './tastytrade-dxlink';

export interface TastytradeQuotesOptions {
  quoteToken: () => Promise<{ token: string; 'dxlink-url': string; 'expires-at'?: string | null }>;
  clock: Clock;
  timers: Timers;
  onQuote(q: Quote): void;
  onState?(up: boolean, detail: string): void;
  onProblem?(detail: string): void;
  backoff?: { initialMs?: number; maxMs?: number };
}

/** A token without an expiry is renewed after a day (tastytrade's quote tokens last 24 h). */
const DEFAULT_TOKEN_TTL_MS = 24 * 3_600_000;

export class TastytradeQuotes {
  private readonly idOf = new Map<string, string>();
  private readonly live: LiveQuotes;
  private dx?: TastytradeDxlink;
  private up = false;
  private since = 0;
  private detail = 'DXLink quotes not started';

  constructor(private readonly o: TastytradeQuotesOptions) {
    this.live = new LiveQuotes((q) => o.onQuote(q));
  }

  start(): void {
    if (this.dx) return;
    this.detail = 'DXLink quotes connecting';
    this.dx = new TastytradeDxlink({
      quoteToken: async () => {
        const t = await this.o.quoteToken();
        const exp = t['expires-at'] ? Date.parse(t['expires-at']) : NaN;
        return { token: t.token, url: t['dxlink-url'], expiresAtMs: Number.isFinite(exp) ? exp : this.o.clock.now() + DEFAULT_TOKEN_TTL_MS };
      },
      clock: this.o.clock,
      timers: this.o.timers,
      ...(this.o.backoff ? { backoff: this.o.backoff } : {}),
      onQuote: (s, q) => this.update(s, { bid: q.bid, ask: q.ask, bidSize: q.bidSize, askSize: q.askSize }),
      onTrade: (s, t) => this.update(s, { last: t.price }),
      onState: (state, detail) => {
        const was = this.up;
        this.up = state === 'up';
        if (was !== this.up) this.since = this.o.clock.now();
        this.detail = this.up ? 'DXLink quotes streaming' : `DXLink quotes down (${detail}); reconnecting, quotes marked stale`;
        if (was && !this.up) this.live.down();
        else if (this.up) this.live.up();
        this.o.onState?.(this.up, this.detail);
      },
      ...(this.o.onProblem ? { onProblem: this.o.onProblem } : {}),
    });
    this.dx.subscribe([...this.idOf.keys()]);
    this.dx.start();
  }

  async stop(): Promise<void> {
    const dx = this.dx;
    this.dx = undefined;
    await dx?.stop();
    this.up = false;
    this.detail = 'DXLink quotes stopped';
  }

  /** Instrument id → streamer symbol pairs; new ones are subscribed. */
  track(pairs: Iterable<readonly [string, string]>): void {
    const fresh: string[] = [];
    for (const [id, streamer] of pairs) {
      if (this.idOf.get(streamer) === id) continue;
      this.idOf.set(streamer, id);
      fresh.push(streamer);
    }
    if (fresh.length > 0) this.dx?.subscribe(fresh);
  }

  quote(instrumentId: string): Quote | undefined {
    return this.live.get(instrumentId);
  }

  status(): { up: boolean; detail: string } {
    return { up: this.up, detail: this.detail };
  }

  /** DXLink as the venue health's `quotes` feed. */
  feed(): FeedView {
    return { id: 'quotes', label: 'DXLink quotes', up: this.up, since: this.since, detail: this.detail };
  }

  private update(streamer: string, part: Partial<Omit<Quote, 'instrumentId' | 'ts'>>): void {
    const instrumentId = this.idOf.get(streamer);
    if (instrumentId) this.live.patch(instrumentId, part, this.o.clock.now());
  }
}
