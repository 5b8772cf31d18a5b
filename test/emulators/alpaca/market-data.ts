/**
 * Market-data REST (`data.alpaca.markets`): latest stock and crypto quotes, crypto order books, and
 * snapshots — `GET /v2/stocks/snapshots?symbols=` answers `{SYM: {latestTrade, latestQuote,
 * minuteBar, dailyBar, prevDailyBar}}` (no wrapper), `GET /v1beta3/crypto/us/snapshots?symbols=`
 * the same rows under `snapshots` (the official JS SDK's getSnapshots / getCryptoSnapshots).
 */
import type { KitRequest, KitResponse } from '../kit';
import type { EmuQuote, Quotes } from './quotes';
import type { DayBar } from './streams';

/** The bars a snapshot shows for a symbol: today's so far and the previous session's. */
export interface SnapshotBars {
  today(symbol: string, q: EmuQuote): DayBar;
  previous(symbol: string): DayBar;
}

type Route = [string, string, (r: KitRequest) => KitResponse];

const wire = (q: EmuQuote) => ({ ap: Number(q.ask), as: Number(q.size), ax: 'V', bp: Number(q.bid), bs: Number(q.size), bx: 'V', c: ['R'], t: new Date(q.ts).toISOString(), z: 'C' });
const cryptoWire = (q: EmuQuote) => ({ ap: Number(q.ask), as: Number(q.size), bp: Number(q.bid), bs: Number(q.size), t: new Date(q.ts).toISOString() });

const bar = (b: DayBar, t: number) => ({ t: new Date(t).toISOString(), o: b.o, h: b.h, l: b.l, c: b.c, v: b.v, n: Math.max(1, Math.round(b.v / 100)), vw: (b.h + b.l + b.c) / 3 });
const DAY_MS = 86_400_000;

function snapshot(symbol: string, q: EmuQuote, bars: SnapshotBars, crypto: boolean) {
  const today = bars.today(symbol, q);
  const dayStart = Math.floor(q.ts / DAY_MS) * DAY_MS;
  const trade = crypto
    ? { t: new Date(q.ts).toISOString(), p: Number(q.last), s: Number(q.size), tks: 'B', i: 1 }
    : { t: new Date(q.ts).toISOString(), x: 'V', p: Number(q.last), s: 100, c: ['@'], i: 1, z: 'C' };
  const last = Number(q.last);
  return {
    latestTrade: trade,
    latestQuote: crypto ? cryptoWire(q) : wire(q),
    minuteBar: bar({ o: last, h: last, l: last, c: last, v: Number(q.size) }, Math.floor(q.ts / 60_000) * 60_000),
    dailyBar: bar(today, dayStart),
    prevDailyBar: bar(bars.previous(symbol), dayStart - DAY_MS),
  };
}

export function marketDataRoutes(quotes: Quotes, now: () => number, bars: SnapshotBars): Route[] {
  const known = (s: string): boolean => quotes.symbols().includes(s);
  const many = (r: KitRequest, f: (q: EmuQuote, symbol: string) => unknown): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const s of (r.query.get('symbols') ?? '').split(',').filter(known)) out[s] = f(quotes.get(s), s);
    return out;
  };
  return [
    [
      'GET',
      '/v2/stocks/:symbol/quotes/latest',
      (r) =>
        known(r.params['symbol']!)
          ? { status: 200, body: { symbol: r.params['symbol'], quote: wire(quotes.get(r.params['symbol']!)) } }
          : { status: 404, body: { code: 40410000, message: 'symbol not found' } },
    ],
    ['GET', '/v2/stocks/quotes/latest', (r) => ({ status: 200, body: { quotes: many(r, wire) } })],
    ['GET', '/v2/stocks/snapshots', (r) => ({ status: 200, body: many(r, (q, sym) => snapshot(sym, q, bars, false)) })],
    ['GET', '/v1beta3/crypto/us/snapshots', (r) => ({ status: 200, body: { snapshots: many(r, (q, sym) => snapshot(sym, q, bars, true)) } })],
    ['GET', '/v1beta3/crypto/us/latest/quotes', (r) => ({ status: 200, body: { quotes: many(r, cryptoWire) } })],
    [
      'GET',
      '/v1beta3/crypto/us/latest/orderbooks',
      (r) => ({
        status: 200,
        body: { orderbooks: many(r, (q) => ({ a: [{ p: Number(q.ask), s: Number(q.size) }], b: [{ p: Number(q.bid), s: Number(q.size) }], t: new Date(now()).toISOString() })) },
      }),
    ],
  ];
}
