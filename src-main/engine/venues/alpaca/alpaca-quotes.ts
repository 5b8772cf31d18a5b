/**
 * Quotes for Alpaca instruments: the stock and crypto streams (subscribed on first use, the
 * watchlist at start), seeded from the latest-quotes REST call because the streams send changes only.
 */
import type { Instrument } from '../../domain/instrument';
import type { Quote } from '../../domain/order';
import type { AlpacaKeys } from './alpaca-auth';
import type { AlpacaSettings } from './alpaca-config';
import type { AlpacaInstruments } from './alpaca-instruments';
import type { AlpacaRest, WireQuote } from './alpaca-rest';
import { DataStream, type DataDayBar, type DataQuote } from './alpaca-stream';

export interface QuoteSink {
  quote(q: Quote): void;
  degraded(message: string): void;
}

export class AlpacaQuotes {
  private readonly quotes = new Map<string, Quote>();
  /** Today's high, low and volume per instrument (the `dailyBars` channel): Alpaca's quotes carry none. */
  private readonly days = new Map<string, Pick<Quote, 'dayHigh' | 'dayLow' | 'volume'>>();
  private streams: DataStream[] = [];

  constructor(
    private readonly name: string,
    private readonly settings: AlpacaSettings,
    private readonly insts: AlpacaInstruments,
    private readonly rest: AlpacaRest,
    private readonly keys: () => AlpacaKeys,
    private readonly now: () => number,
    private readonly sink: () => QuoteSink | undefined,
  ) {}

  start(): void {
    if (this.streams.length > 0) return;
    const onQuote = (q: DataQuote): void => {
      const inst = this.insts.find(q.symbol);
      if (!inst) return;
      const quote: Quote = { instrumentId: inst.id, bid: String(q.bid), ask: String(q.ask), bidSize: String(q.bidSize), askSize: String(q.askSize), ts: q.ts, ...this.days.get(inst.id) };
      this.quotes.set(inst.id, quote);
      this.sink()?.quote(quote);
    };
    const onDayBar = (b: DataDayBar): void => {
      const inst = this.insts.find(b.symbol);
      if (!inst) return;
      const day = { dayHigh: String(b.high), dayLow: String(b.low), volume: String(b.volume) };
      this.days.set(inst.id, day);
      const q = this.quotes.get(inst.id);
      if (q) this.quotes.set(inst.id, { ...q, ...day });
    };
    const onError = (m: string): void => this.sink()?.degraded(`Alpaca market data: ${m}`);
    this.streams = [
      new DataStream(this.settings.dataStreamUrl, `${this.name} stocks`, this.keys, onQuote, onError, onDayBar),
      new DataStream(this.settings.cryptoStreamUrl, `${this.name} crypto`, this.keys, onQuote, onError, onDayBar),
    ];
    for (const s of this.settings.watchlist) this.watch(s);
  }

  stop(): void {
    for (const s of this.streams) s.stop();
  }

  get(instrumentId: string): Quote | undefined {
    this.watch(instrumentId);
    return this.quotes.get(instrumentId);
  }

  /** The watchlist's current quotes, once (the streams only send what changes). */
  async seed(): Promise<void> {
    const insts = this.settings.watchlist.map((s) => this.insts.find(s)).filter((i): i is Instrument => i !== undefined);
    for (const [sym, q] of Object.entries(await this.latest(insts))) {
      const inst = this.insts.find(sym);
      if (inst && !this.quotes.has(inst.id)) this.quotes.set(inst.id, this.fromRest(inst, q));
    }
  }

  async snapshot(instrumentId: string): Promise<Quote | undefined> {
    const inst = this.insts.find(instrumentId);
    const q = inst ? (await this.latest([inst]))[inst.venueSymbol] : undefined;
    if (!inst || !q) return undefined;
    const quote = this.fromRest(inst, q);
    this.quotes.set(inst.id, quote);
    return quote;
  }

  private latest(insts: readonly Instrument[]): Promise<Record<string, WireQuote>> {
    const crypto = insts.filter((i) => i.assetClass === 'crypto_spot').map((i) => i.venueSymbol);
    const stocks = insts.filter((i) => i.assetClass !== 'crypto_spot').map((i) => i.venueSymbol);
    return this.rest.latestQuotes(stocks, crypto, this.settings.feed);
  }

  private fromRest(inst: Instrument, q: WireQuote): Quote {
    return { instrumentId: inst.id, bid: String(q.bp), ask: String(q.ap), bidSize: String(q.bs), askSize: String(q.as), ts: this.now(), ...this.days.get(inst.id) };
  }

  private watch(symbolOrId: string): void {
    const inst = this.insts.find(symbolOrId);
    const stream = inst ? this.streams[inst.assetClass === 'crypto_spot' ? 1 : 0] : undefined;
    if (!inst || !stream) return;
    stream.watch(inst.venueSymbol);
    if (stream.ws.state === 'idle') stream.start();
  }
}
