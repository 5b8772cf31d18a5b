/**
 * The latest quote per instrument of one streamed venue, shared by every streamed connector:
 * - day statistics (previous close, day high/low, volume, and the ticker's last price) arrive on
 *   their own channel (a ticker, a daily bar, a REST snapshot); they are kept per instrument and
 *   merged into every quote the venue's book or quote channel makes (`dayStats`, `publish`);
 * - the market-data socket dropping marks the quotes it carries stale (`down`): each kept quote is
 *   re-sent with `stale: true`, and quotes published while the feed is down stay stale; once the
 *   socket is back (`up`) the next fresh quote of an instrument clears its flag. Risk treats a
 *   stale quote as too old; the ticket marks the quote stale;
 * - it is the venue health's `quotes` feed (`feed`, `onFeedChange`): down while any instrument's
 *   feed is down, so the status bar says "<label> DOWN" for every streamed venue.
 * Venue-neutral: a connector feeds it its socket's state (`follow`) and its parsed frames.
 */
import { Decimal, parseDecimal, toStr, type DecimalString } from '../domain/money';
import type { Quote } from '../domain/order';
import type { FeedSource, FeedView } from '../api/venue-health';
import type { ResilientWs } from '../net/resilient-ws';

export interface LiveQuotesFeedOptions {
  /** What the trader reads in the status bar ("Binance market data"). */
  readonly label: string;
  /** UTC ms, for the feed's `since`. */
  readonly now: () => number;
}

/** What a ticker or daily bar adds to a quote. */
export type DayStats = Pick<Quote, 'last' | 'prevClose' | 'dayHigh' | 'dayLow' | 'volume'>;

const DAY_KEYS = ['last', 'prevClose', 'dayHigh', 'dayLow', 'volume'] as const;

type Raw = string | number | null | undefined;

/** A venue's ticker fields as day statistics: prices only above 0 (0 is a venue's "none yet"), a volume only when not negative; canonical decimals; anything unreadable left out. */
export function dayStatsFrom(raw: { last?: Raw; prevClose?: Raw; high?: Raw; low?: Raw; volume?: Raw }): DayStats {
  const read = (v: Raw, ok: (d: Decimal) => boolean): DecimalString | undefined => {
    const d = v === null || v === undefined ? undefined : parseDecimal(v);
    return d && ok(d) ? toStr(d) : undefined;
  };
  const price = (v: Raw) => read(v, (d) => d.gt(0));
  const out: { -readonly [K in keyof DayStats]: DecimalString | undefined } = {
    last: price(raw.last),
    prevClose: price(raw.prevClose),
    dayHigh: price(raw.high),
    dayLow: price(raw.low),
    volume: read(raw.volume, (d) => d.gte(0)),
  };
  return definedStats(out);
}

/** The day statistics a quote carries (only those it has). */
export function dayStatsOf(q: Partial<DayStats> | undefined): DayStats {
  return q ? definedStats(q) : {};
}

function definedStats(s: Partial<Record<keyof DayStats, DecimalString | undefined>>): DayStats {
  const out: Partial<Record<keyof DayStats, DecimalString>> = {};
  for (const k of DAY_KEYS) if (s[k] !== undefined) out[k] = s[k];
  return out;
}

export class LiveQuotes implements FeedSource {
  private readonly quotes = new Map<string, Quote>();
  private readonly stats = new Map<string, DayStats>();
  /** Every instrument's feed is down (one socket carries them all). */
  private allDown = false;
  /** Instruments whose own feed is down (a socket per instrument). */
  private readonly downIds = new Set<string>();

  private feedSince = 0;
  /** Followed sockets that dropped and are not open again yet (their quotes may already be fresh: see `follow`). */
  private readonly reopening = new Set<object>();
  private readonly feedWatchers = new Set<() => void>();

  constructor(
    private readonly emit: (q: Quote) => void,
    private readonly feedOpts: LiveQuotesFeedOptions = { label: 'market data', now: () => 0 },
  ) {}

  /** Up while no instrument's feed is down. */
  get feedUp(): boolean {
    return !this.allDown && this.downIds.size === 0 && this.reopening.size === 0;
  }

  /** The market-data feed as the venue health shows it (`quotes`). */
  feed(): FeedView {
    const label = this.feedOpts.label;
    const some = [...this.downIds].slice(0, 3).join(', ') + (this.downIds.size > 3 ? ', …' : '');
    const detail = this.feedUp
      ? `${label} streaming`
      : this.allDown || this.downIds.size === 0
        ? `${label} down; reconnecting, quotes marked stale`
        : `${label} down for ${this.downIds.size} instrument${this.downIds.size === 1 ? '' : 's'} (${some}); reconnecting, their quotes marked stale`;
    return { id: 'quotes', label, up: this.feedUp, since: this.feedSince, detail };
  }

  onFeedChange(cb: () => void): () => void {
    this.feedWatchers.add(cb);
    return () => this.feedWatchers.delete(cb);
  }

  /** Runs `change`; when it turned the feed down or up, stamps the time and tells the watchers. */
  private feedChange(change: () => void): void {
    const was = this.feedUp;
    change();
    if (was === this.feedUp) return;
    this.feedSince = this.feedOpts.now();
    for (const cb of [...this.feedWatchers]) cb();
  }

  get(instrumentId: string): Quote | undefined {
    return this.quotes.get(instrumentId);
  }

  /** True while the feed carrying the instrument is down. */
  isDown(instrumentId: string): boolean {
    return this.allDown || this.downIds.has(instrumentId);
  }

  /**
   * A fresh quote from the venue's book or quote channel: the day statistics kept for it are merged
   * in (its own fields win), it is stale only while its feed is down — unless it came from a REST
   * call (`rest`), which is fresh whatever the socket's state; kept, sent and returned.
   */
  publish(q: Quote, from: 'stream' | 'rest' = 'stream'): Quote {
    const { stale: _, ...fresh } = q;
    return this.keep({ ...this.stats.get(q.instrumentId), ...fresh, ...(from === 'stream' && this.isDown(q.instrumentId) ? { stale: true } : {}) });
  }

  /** A fresh part of a quote (a trade's last, a bid/ask change): merged over the quote kept, then published. */
  patch(instrumentId: string, part: Partial<Omit<Quote, 'instrumentId'>>, ts: number): Quote {
    const { stale: _, ...kept } = this.quotes.get(instrumentId) ?? { instrumentId };
    return this.publish({ ...kept, ...part, instrumentId, ts });
  }

  /**
   * Day statistics (a ticker, a daily bar, a snapshot): kept for the instrument's later quotes and
   * merged over what was kept. A quote kept takes them at once and is re-sent, keeping its time and
   * its stale flag (day figures do not make a bid or ask fresh). No quote is made of them alone: a
   * quote without a bid or ask would pass for a fresh one with no market.
   */
  dayStats(instrumentId: string, s: DayStats): Quote | undefined {
    const prev = this.quotes.get(instrumentId);
    if (Object.keys(s).length === 0) return prev;
    this.stats.set(instrumentId, { ...this.stats.get(instrumentId), ...s });
    return prev ? this.keep({ ...prev, ...s }) : undefined;
  }

  /** The feed of `ids` (every instrument when omitted) is down: each quote kept is re-sent stale. */
  down(ids?: Iterable<string>): void {
    const which = ids ? [...ids] : undefined;
    this.feedChange(() => {
      if (which) for (const id of which) this.downIds.add(id);
      else this.allDown = true;
    });
    for (const id of which ?? [...this.quotes.keys()]) {
      const q = this.quotes.get(id);
      if (q && !q.stale) this.keep({ ...q, stale: true });
    }
  }

  /** The feed of `ids` (every instrument when omitted) is back: the next fresh quote of each is not stale. */
  up(ids?: Iterable<string>): void {
    this.feedChange(() => {
      if (ids) for (const id of ids) this.downIds.delete(id);
      else {
        this.allDown = false;
        this.downIds.clear();
      }
    });
  }

  /**
   * Follows a market-data socket: when it drops (`reconnecting`) its quotes are marked stale; once
   * it connects again what it sends is fresh (a venue's book waits for the new connection's
   * snapshot before it publishes). Quotes turn fresh from `connecting` on, because a venue's
   * handshake can subscribe (and its snapshot arrive) before the socket reports itself open; the
   * feed as the status bar shows it stays down until `open`, so a run of failing reconnect
   * attempts reads as one outage, not a flicker. `ids`: the instruments it carries (every one
   * when omitted).
   */
  follow(ws: Pick<ResilientWs, 'on'>, ids?: () => Iterable<string>): void {
    ws.on('state', (e) => {
      if (e.state === 'reconnecting') {
        this.feedChange(() => this.reopening.add(ws));
        this.down(ids?.());
      } else if (e.state === 'connecting') this.up(ids?.());
      else if (e.state === 'open' || e.state === 'stopped') this.feedChange(() => this.reopening.delete(ws));
    });
  }

  /** Forgets everything (a connector stopped). */
  clear(): void {
    this.quotes.clear();
    this.stats.clear();
    this.feedChange(() => {
      this.downIds.clear();
      this.allDown = false;
      this.reopening.clear();
    });
  }

  private keep(q: Quote): Quote {
    this.quotes.set(q.instrumentId, q);
    this.emit(q);
    return q;
  }
}
