/**
 * Quotes for Alpaca instruments: the stock and crypto streams (quotes and daily bars, subscribed on
 * first use, the watchlist at start). The streams send changes only, so every symbol subscribed is
 * seeded from Alpaca's snapshots (alpaca-snapshots.ts) — the touch, the last price, today's
 * high/low/volume and the previous close — in one batched request per asset class through the data
 * limiter. A failed snapshot is logged and shown as degraded; streaming goes on without it. A
 * stream's socket dropping marks its quotes stale until its next quote (market/live-quotes).
 */
import type { Instrument } from '../../domain/instrument';
import type { Quote } from '../../domain/order';
import type { FeedSource } from '../../api/venue-health';
import { dayStatsFrom, LiveQuotes } from '../../market/live-quotes';
import type { AlpacaKeys } from './alpaca-auth';
import type { AlpacaSettings } from './alpaca-config';
import type { AlpacaInstruments } from './alpaca-instruments';
import type { AlpacaRest } from './alpaca-rest';
import { fromSnapshot, type WireSnapshot } from './alpaca-snapshots';
import { DataStream, type DataDayBar, type DataQuote } from './alpaca-stream';

export interface QuoteSink {
  quote(q: Quote): void;
  degraded(message: string): void;
}

export class AlpacaQuotes {
  private readonly live: LiveQuotes;
  private streams: DataStream[] = [];
  /** Instruments subscribed whose snapshot is still to be asked for (asked together, once the current task ends). */
  private readonly unseeded = new Map<string, Instrument>();
  private seeding: Promise<void> | undefined;
  /** The last snapshot failure, until a snapshot succeeds. */
  private problem: string | undefined;

  constructor(
    private readonly name: string,
    private readonly settings: AlpacaSettings,
    private readonly insts: AlpacaInstruments,
    private readonly rest: AlpacaRest,
    private readonly keys: () => AlpacaKeys,
    private readonly now: () => number,
    private readonly sink: () => QuoteSink | undefined,
  ) {
    this.live = new LiveQuotes((q) => this.sink()?.quote(q), { label: 'Alpaca market data', now });
  }

  /** Both data sockets as the venue health's `quotes` feed. */
  get quotesFeed(): FeedSource {
    return this.live;
  }

  start(): void {
    if (this.streams.length > 0) return;
    const onQuote = (q: DataQuote): void => {
      const inst = this.insts.find(q.symbol);
      if (inst) this.live.publish({ instrumentId: inst.id, bid: String(q.bid), ask: String(q.ask), bidSize: String(q.bidSize), askSize: String(q.askSize), ts: q.ts });
    };
    const onDayBar = (b: DataDayBar): void => {
      const inst = this.insts.find(b.symbol);
      if (inst) this.live.dayStats(inst.id, dayStatsFrom({ last: b.close, high: b.high, low: b.low, volume: b.volume }));
    };
    const onError = (m: string): void => this.sink()?.degraded(`Alpaca market data: ${m}`);
    this.streams = [
      new DataStream(this.settings.dataStreamUrl, `${this.name} stocks`, this.keys, onQuote, onError, onDayBar),
      new DataStream(this.settings.cryptoStreamUrl, `${this.name} crypto`, this.keys, onQuote, onError, onDayBar),
    ];
    for (const s of this.streams) this.live.follow(s.ws, () => s.watched().flatMap((sym) => this.insts.find(sym)?.id ?? []));
    for (const s of this.settings.watchlist) this.watch(s);
  }

  stop(): void {
    for (const s of this.streams) s.stop();
  }

  get(instrumentId: string): Quote | undefined {
    this.watch(instrumentId);
    return this.live.get(instrumentId);
  }

  /** Waits for the snapshots of what is subscribed so far (the watchlist at start); what failed, if anything. */
  async seed(): Promise<string | undefined> {
    while (this.seeding) await this.seeding;
    return this.problem;
  }

  /** A fresh quote from the venue now (risk asks for one when the kept one is missing, stale or old). */
  async snapshot(instrumentId: string): Promise<Quote | undefined> {
    const inst = this.insts.find(instrumentId);
    if (!inst) return undefined;
    const snap = (await this.snapshots([inst]))[inst.venueSymbol];
    return snap ? this.apply(inst, snap, true) : undefined;
  }

  /** One request for instruments of one asset class. */
  private snapshots(insts: readonly Instrument[]): Promise<Record<string, WireSnapshot>> {
    const symbols = insts.map((i) => i.venueSymbol);
    return insts[0]?.assetClass === 'crypto_spot' ? this.rest.cryptoSnapshots(symbols) : this.rest.stockSnapshots(symbols, this.settings.feed);
  }

  /**
   * A snapshot's day statistics go into the kept quote; its touch (or, with no touch, its last
   * trade) becomes the quote when none was streamed yet, or when asked for (`fresh`: a REST answer is fresh whatever the socket's state).
   */
  private apply(inst: Instrument, wire: WireSnapshot, fresh: boolean): Quote | undefined {
    const { touch, day } = fromSnapshot(wire);
    const kept = this.live.dayStats(inst.id, day);
    // Out of hours a side can be empty: the last trade and the day figures still make a quote.
    if ((kept && !fresh) || (!touch && day.last === undefined)) return kept;
    return this.live.publish({ instrumentId: inst.id, ...touch, ts: this.now() }, fresh ? 'rest' : 'stream');
  }

  /** Asks for the snapshots of every instrument subscribed since the last ask: one request per asset class. */
  private seedSoon(): void {
    if (this.seeding) return;
    this.seeding = Promise.resolve()
      .then(async () => {
        while (this.unseeded.size > 0) {
          const all = [...this.unseeded.values()];
          this.unseeded.clear();
          const crypto = all.filter((i) => i.assetClass === 'crypto_spot');
          await Promise.all([all.filter((i) => i.assetClass !== 'crypto_spot'), crypto].filter((b) => b.length > 0).map((b) => this.seedBatch(b)));
        }
      })
      .finally(() => {
        this.seeding = undefined;
        if (this.unseeded.size > 0) this.seedSoon();
      });
  }

  private async seedBatch(batch: readonly Instrument[]): Promise<void> {
    try {
      const snaps = await this.snapshots(batch);
      for (const inst of batch) {
        const s = snaps[inst.venueSymbol];
        if (s) this.apply(inst, s, false);
      }
      this.problem = undefined;
    } catch (e) {
      this.problem = `Alpaca snapshots for ${batch.map((i) => i.symbol).join(', ')} failed (${(e as Error).message}); their day figures wait for the stream`;
      console.warn(`[${this.name}] ${this.problem}`);
      this.sink()?.degraded(this.problem);
    }
  }

  private watch(symbolOrId: string): void {
    const inst = this.insts.find(symbolOrId);
    const stream = inst ? this.streams[inst.assetClass === 'crypto_spot' ? 1 : 0] : undefined;
    if (!inst || !stream) return;
    if (!stream.watched().includes(inst.venueSymbol)) {
      this.unseeded.set(inst.id, inst);
      this.seedSoon();
    }
    stream.watch(inst.venueSymbol);
    if (stream.ws.state === 'idle') stream.start();
  }
}
