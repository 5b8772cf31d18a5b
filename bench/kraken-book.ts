/**
 * Kraken WS v2 `book` messages/s with the checksum verified on every message, on one generated
 * stream (depth 100, BTC/USD precision: price 1 dp, qty 8 dp; each frame carries the CRC32 computed
 * by the emulator's independent implementation). ccxt: ccxt.pro kraken's own `handleOrderBook`
 * with its checksum option on — its formatter expects strings but ccxt's parsed levels are numbers,
 * so a shim formats them at the pair's precision (bench-only; ccxt's CRC32 comparison is unchanged).
 * Ours: the connector's path, frame text → `KrakenBook.read` → `apply` (exact scaled integers,
 * checksum). JSON.parse alone is the floor any JSON-based consumer pays.
 */
import { bestSeconds, bookDigest, ccxtDigest, numericLevels, rates, type CcxtBook } from './book-harness';
import { KrakenBook } from '../src-main/engine/venues/kraken/kraken-book';
import { SeededRandom } from '../src-main/engine/ports/random';
import { bookChecksum } from '../test/emulators/kraken/checksum';

const MESSAGES = 50_000;
const DEPTH = 100;
const PRICE_DP = 1;
const QTY_DP = 8;

const px = (ticks: number): string => (ticks / 10).toFixed(PRICE_DP);
const qty = (r: SeededRandom): string => ((r.int(500_000_000) + 1) / 1e8).toFixed(QTY_DP);

interface Stream {
  readonly messages: string[];
  readonly levels: number;
}

/** Levels of one side, best first, truncated to DEPTH. */
function top(side: Map<number, string>, bids: boolean): [number, string][] {
  return [...side].sort((x, y) => (bids ? y[0] - x[0] : x[0] - y[0])).slice(0, DEPTH);
}

const frame = (type: string, bids: [number, string][], asks: [number, string][], checksum: number): string => {
  const side = (ls: [number, string][]) => `[${ls.map(([p, q]) => `{"price":${px(p)},"qty":${q}}`).join(',')}]`;
  return `{"channel":"book","type":"${type}","data":[{"symbol":"BTC/USD","bids":${side(bids)},"asks":${side(asks)},"checksum":${checksum},"timestamp":"2026-12-04T15:00:00.000000Z"}]}`;
};

export function generate(seed = 7, n = MESSAGES): Stream {
  const r = new SeededRandom(seed);
  let mid = 450_000; // 45000.0
  let bids = new Map<number, string>();
  let asks = new Map<number, string>();
  for (let i = 1; i <= DEPTH; i++) {
    bids.set(mid - i, qty(r));
    asks.set(mid + i, qty(r));
  }
  const sum = () =>
    bookChecksum(
      top(asks, false)
        .slice(0, 10)
        .map(([p, q]) => ({ price: px(p), qty: q })),
      top(bids, true)
        .slice(0, 10)
        .map(([p, q]) => ({ price: px(p), qty: q })),
    );
  const messages = [frame('snapshot', top(bids, true), top(asks, false), sum())];
  let levels = 0;
  for (let m = 1; m < n; m++) {
    const b: [number, string][] = [];
    const a: [number, string][] = [];
    const changes = 1 + r.int(4);
    for (let k = 0; k < changes; k++) {
      const bid = r.next() < 0.5;
      const off = 1 + Math.floor(-Math.log(1 - r.next()) * 8);
      const p = bid ? mid - off : mid + off;
      const side = bid ? bids : asks;
      const out = bid ? b : a;
      if (side.has(p) && r.next() < 0.3) {
        side.delete(p);
        out.push([p, (0).toFixed(QTY_DP)]);
      } else {
        const q = qty(r);
        side.set(p, q);
        out.push([p, q]);
      }
    }
    if (r.next() < 0.02) mid += r.next() < 0.5 ? -1 : 1;
    // Kraken keeps the subscribed depth: levels pushed out are dropped without a qty-0 message.
    bids = new Map(top(bids, true));
    asks = new Map(top(asks, false));
    levels += b.length + a.length;
    messages.push(frame('update', b, a, sum()));
  }
  return { messages, levels };
}

interface CcxtKraken {
  options: Record<string, unknown>;
  orderbooks: Record<string, CcxtBook>;
  handleOrderBook(client: unknown, message: unknown): void;
  formatNumber(v: unknown): string;
}

export const cases: Record<string, () => Promise<Record<string, number | string>>> = {
  parse: async () => {
    const s = generate();
    console.error(`kraken-book: ${s.messages.length} messages, ${s.levels} level changes, depth ${DEPTH}`);
    let sink = 0;
    const secs = await bestSeconds(() => {
      for (const m of s.messages) sink += (JSON.parse(m) as { data: { checksum: number }[] }).data[0]!.checksum & 1;
    });
    return { ...rates(s.messages.length, secs), sink };
  },
  ccxt: async () => {
    const s = generate();
    const ns = await import('ccxt');
    const ccxt = ((ns as unknown as { default?: unknown }).default ?? ns) as { pro: { kraken: new (o: unknown) => CcxtKraken } };
    const ex = new ccxt.pro.kraken({ options: { watchOrderBook: { checksum: true } } });
    const format = ex.formatNumber.bind(ex);
    let k = 0;
    // Called price, qty, price, qty… for the top 10 asks then bids: each at the pair's precision.
    ex.formatNumber = (v: unknown) => format(typeof v === 'number' ? v.toFixed(k++ % 2 === 0 ? PRICE_DP : QTY_DP) : v);
    let rejected = 0;
    const client = { subscriptions: {}, resolve: () => undefined, reject: () => rejected++ };
    const secs = await bestSeconds(() => {
      for (const m of s.messages) ex.handleOrderBook(client, JSON.parse(m));
    });
    if (rejected > 0) throw new Error(`ccxt rejected ${rejected} checksums`);
    return { ...rates(s.messages.length, secs), book: ccxtDigest(ex.orderbooks['BTC/USD']!) };
  },
  ours: async () => {
    const s = generate();
    let book = new KrakenBook('BTC/USD', PRICE_DP, QTY_DP, DEPTH);
    const secs = await bestSeconds(() => {
      book = new KrakenBook('BTC/USD', PRICE_DP, QTY_DP, DEPTH);
      for (const m of s.messages) if (book.apply(book.read(m)!) !== 'ok') throw new Error('our checksum disagreed with the stream');
    });
    const d = book.book.depth(DEPTH);
    return { ...rates(s.messages.length, secs), book: bookDigest(numericLevels(d.bids), numericLevels(d.asks)) };
  },
};
