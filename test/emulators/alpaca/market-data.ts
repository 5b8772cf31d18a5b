/** Market-data REST (`data.alpaca.markets`): latest stock and crypto quotes, crypto order books. */
import type { KitRequest, KitResponse } from '../kit';
import type { EmuQuote, Quotes } from './quotes';

type Route = [string, string, (r: KitRequest) => KitResponse];

const wire = (q: EmuQuote) => ({ ap: Number(q.ask), as: Number(q.size), ax: 'V', bp: Number(q.bid), bs: Number(q.size), bx: 'V', c: ['R'], t: new Date(q.ts).toISOString(), z: 'C' });
const cryptoWire = (q: EmuQuote) => ({ ap: Number(q.ask), as: Number(q.size), bp: Number(q.bid), bs: Number(q.size), t: new Date(q.ts).toISOString() });

export function marketDataRoutes(quotes: Quotes, now: () => number): Route[] {
  const known = (s: string): boolean => quotes.symbols().includes(s);
  const many = (r: KitRequest, f: (q: EmuQuote) => unknown): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const s of (r.query.get('symbols') ?? '').split(',').filter(known)) out[s] = f(quotes.get(s));
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
