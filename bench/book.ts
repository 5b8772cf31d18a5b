/**
 * Order-book updates/s on a recorded-shape Binance depth-diff stream: JSON.parse alone (the
 * floor a JSON.parse-based consumer pays), ccxt's order book driven by ccxt's own binance
 * handler, and ours as a connector runs it: frame text in → `BinanceBookSync.onMessage` (the
 * depthUpdate fast path, U/u sequencing, exact scaled-integer book) → book out. Our previous
 * path (JSON.parse + string levels) is measured too, as `ours_json_msgs_per_s`. All see the same strings.
 */
import { bestSeconds, bookDigest, ccxtDigest, numericLevels, rates, type CcxtBook } from './book-harness';
import { BinanceBookSync, type DepthDiff } from '../src-main/engine/venues/binance/binance-book-sync';
import { OrderBook } from '../src-main/engine/market/order-book';
import { SeededRandom } from '../src-main/engine/ports/random';

const MESSAGES = 200_000;

interface Stream {
  snapshot: { lastUpdateId: number; bids: [string, string][]; asks: [string, string][] };
  messages: string[];
  levels: number;
  deletes: number;
}

/** Binance prints prices and quantities with 8 decimals; so do we. */
const px = (ticks: number): string => (ticks / 100).toFixed(2) + '000000';
const qty = (r: SeededRandom): string =>
  (r.int(5_000_000) + 1)
    .toString()
    .padStart(6, '0')
    .replace(/^(\d*)(\d{5})$/, (_m, a: string, b: string) => `${a || '0'}.${b}000`);

export function generate(seed = 42, n = MESSAGES): Stream {
  const r = new SeededRandom(seed);
  let mid = 3_000_000; // 30000.00 in ticks
  const bids = new Map<number, string>();
  const asks = new Map<number, string>();
  for (let i = 1; i <= 1000; i++) {
    bids.set(mid - i, qty(r));
    asks.set(mid + i, qty(r));
  }
  const snapshot = {
    lastUpdateId: 1_000_000,
    bids: [...bids].map(([p, q]) => [px(p), q] as [string, string]),
    asks: [...asks].map(([p, q]) => [px(p), q] as [string, string]),
  };
  let u = snapshot.lastUpdateId;
  const messages: string[] = [];
  let levels = 0;
  let deletes = 0;
  let E = 1_767_600_000_000;
  for (let m = 0; m < n; m++) {
    const b: [string, string][] = [];
    const a: [string, string][] = [];
    // The mid drifts; levels it crosses are deleted on the side it moves into, as on a real book.
    const step = r.next() < 0.1 ? (r.next() < 0.5 ? -1 : 1) : 0;
    mid += step;
    if (step > 0 && asks.has(mid)) {
      asks.delete(mid);
      a.push([px(mid), '0.00000000']);
      deletes++;
    }
    if (step < 0 && bids.has(mid)) {
      bids.delete(mid);
      b.push([px(mid), '0.00000000']);
      deletes++;
    }
    const changes = 5 + r.int(11); // 5–15, ~10 on average
    for (let k = 0; k < changes; k++) {
      const bid = r.next() < 0.5;
      // Most activity near the top, a long tail deeper in the book.
      const off = 1 + Math.floor(-Math.log(1 - r.next()) * 40);
      const p = bid ? mid - off : mid + off;
      const side = bid ? bids : asks;
      const out = bid ? b : a;
      if (side.has(p) && r.next() < 0.3) {
        side.delete(p);
        out.push([px(p), '0.00000000']);
        deletes++;
      } else {
        const q = qty(r);
        side.set(p, q);
        out.push([px(p), q]);
      }
    }
    levels += b.length + a.length;
    const U = u + 1;
    u = U + r.int(3);
    E += 100;
    messages.push(JSON.stringify({ e: 'depthUpdate', E, s: 'BTCUSDT', U, u, b, a }));
  }
  return { snapshot, messages, levels, deletes };
}

function oursDigest(book: OrderBook): string {
  const d = book.depth(Number.MAX_SAFE_INTEGER);
  return bookDigest(numericLevels(d.bids), numericLevels(d.asks));
}

/** Runs our sync over the stream, through the text fast path or JSON.parse + onDiff. */
async function oursCase(s: Stream, fast: boolean): Promise<{ msgs_per_s: number; msgs_per_cpu_s: number; book: string }> {
  let book: OrderBook | undefined;
  let sync: BinanceBookSync | undefined;
  const prepare = async (): Promise<void> => {
    book = new OrderBook({ tick: '0.01', lot: '0.00001' });
    sync = new BinanceBookSync({ book, fetchSnapshot: () => Promise.resolve(s.snapshot) });
    sync.resync('bench');
    await new Promise((r) => setImmediate(r));
  };
  const pass = fast
    ? (): void => {
        for (const m of s.messages) if (!sync!.onMessage(m)) throw new Error('a generated frame was refused');
      }
    : (): void => {
        for (const m of s.messages) sync!.onDiff(JSON.parse(m) as DepthDiff);
      };
  const secs = await bestSeconds(pass, prepare);
  const lastU = (JSON.parse(s.messages[s.messages.length - 1]!) as DepthDiff).u;
  if (sync!.resyncCount !== 1 || sync!.lastUpdateId !== lastU) throw new Error('our sync fell out of sequence');
  return { ...rates(s.messages.length, secs), book: oursDigest(book!) };
}

function describeStream(s: Stream): void {
  console.error(`book: ${s.messages.length} messages, ${s.levels} level changes (${s.deletes} deletions), snapshot ${s.snapshot.bids.length}+${s.snapshot.asks.length} levels`);
}

/** Each case runs in its own process (bench/run.ts) on the same generated stream. */
export const cases: Record<string, () => Promise<Record<string, number | string>>> = {
  parse: async () => {
    const s = generate();
    describeStream(s);
    let sink = 0;
    const secs = await bestSeconds(() => {
      for (const m of s.messages) sink += (JSON.parse(m) as DepthDiff).u;
    });
    return { ...rates(s.messages.length, secs), sink };
  },
  ccxt: async () => {
    const s = generate();
    const ccxtNs = await import('ccxt');
    const ccxt = ((ccxtNs as unknown as { default?: unknown }).default ?? ccxtNs) as { pro: { binance: new () => CcxtBinance } };
    const ex = new ccxt.pro.binance();
    let book: CcxtBook | undefined;
    // ccxt parses the REST snapshot to floats with parseOrderBook, then applies each message
    // with binance.handleOrderBookMessage (safeFloat per level, OrderBookSide.store).
    const secs = await bestSeconds(() => {
      book = ex.orderBook(ex.parseOrderBook(s.snapshot, 'BTC/USDT', undefined, 'bids', 'asks'));
      const client = {};
      for (const m of s.messages) ex.handleOrderBookMessage(client, JSON.parse(m), book);
    });
    return { ...rates(s.messages.length, secs), book: ccxtDigest(book!) };
  },
  ours: () => oursCase(generate(), true),
  ours_json: () => oursCase(generate(), false),
};

interface CcxtBinance {
  orderBook(snapshot: unknown): CcxtBook;
  parseOrderBook(raw: unknown, symbol: string, ts: undefined, bidsKey: string, asksKey: string): unknown;
  handleOrderBookMessage(client: unknown, message: unknown, book: CcxtBook): unknown;
}
