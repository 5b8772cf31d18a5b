/**
 * Order-book updates/s on a recorded-shape Binance depth-diff stream: JSON.parse alone (the
 * floor a JSON.parse-based consumer pays), ccxt's order book driven by ccxt's own binance
 * handler, and ours as a connector runs it: frame text in → `BinanceBookSync.onMessage` (the
 * depthUpdate fast path, U/u sequencing, exact scaled-integer book) → book out. Our previous
 * path (JSON.parse + string levels) is measured too, as `ours_json_msgs_per_s`. All see the same strings.
 */
import * as ccxtNs from 'ccxt';
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
const qty = (r: SeededRandom): string => (r.int(5_000_000) + 1).toString().padStart(6, '0').replace(/^(\d*)(\d{5})$/, (_m, a: string, b: string) => `${a || '0'}.${b}000`);

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

function time(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export async function run(log: (s: string) => void = console.error): Promise<Record<string, unknown>> {
  const s = generate();
  log(`book: ${s.messages.length} messages, ${s.levels} level changes (${s.deletes} deletions), snapshot ${s.snapshot.bids.length}+${s.snapshot.asks.length} levels`);
  const ccxt = ((ccxtNs as unknown as { default?: unknown }).default ?? ccxtNs) as { pro: { binance: new () => CcxtBinance } };
  const ex = new ccxt.pro.binance();

  let sink = 0;
  const parse = (): void => {
    for (const m of s.messages) sink += (JSON.parse(m) as DepthDiff).u;
  };
  let ccxtBook: CcxtBook | undefined;
  const viaCcxt = (): void => {
    // ccxt parses the REST snapshot to floats with parseOrderBook, then applies each message
    // with binance.handleOrderBookMessage (safeFloat per level, OrderBookSide.store).
    const book = ex.orderBook(ex.parseOrderBook(s.snapshot, 'BTC/USDT', undefined, 'bids', 'asks'));
    const client = {};
    for (const m of s.messages) ex.handleOrderBookMessage(client, JSON.parse(m), book);
    ccxtBook = book;
  };
  let ours: OrderBook | undefined;
  let sync: BinanceBookSync | undefined;
  const prepareOurs = async (): Promise<void> => {
    ours = new OrderBook({ tick: '0.01', lot: '0.00001' });
    sync = new BinanceBookSync({ book: ours, fetchSnapshot: () => Promise.resolve(s.snapshot) });
    sync.resync('bench');
    await new Promise((r) => setImmediate(r));
  };
  const viaOurs = (): void => {
    const sy = sync!;
    for (const m of s.messages) if (!sy.onMessage(m)) throw new Error('a generated frame was refused');
  };
  const viaOursJson = (): void => {
    const sy = sync!;
    for (const m of s.messages) sy.onDiff(JSON.parse(m) as DepthDiff);
  };
  const lastU = (JSON.parse(s.messages[s.messages.length - 1]!) as DepthDiff).u;
  const checkSync = (): void => {
    if (sync!.resyncCount !== 1 || sync!.lastUpdateId !== lastU) throw new Error('our sync fell out of sequence');
  };

  const best = { parse: Infinity, ccxt: Infinity, ours: Infinity, oursJson: Infinity };
  let jsonBook: [number, number][][] | undefined;
  for (let round = 0; round < 4; round++) {
    best.parse = Math.min(best.parse, time(parse));
    best.ccxt = Math.min(best.ccxt, time(viaCcxt));
    await prepareOurs();
    best.oursJson = Math.min(best.oursJson, time(viaOursJson));
    checkSync();
    jsonBook = [ours!.scaledLevels('bid'), ours!.scaledLevels('ask')];
    await prepareOurs();
    best.ours = Math.min(best.ours, time(viaOurs));
    checkSync();
    log(
      `  round ${round + 1}: parse ${(s.messages.length / best.parse).toFixed(0)}/s, ccxt ${(s.messages.length / best.ccxt).toFixed(0)}/s, ours ${(s.messages.length / best.ours).toFixed(0)}/s, ours via JSON.parse ${(s.messages.length / best.oursJson).toFixed(0)}/s (best so far)`,
    );
  }
  // The fast path's book must be ccxt's book and the JSON.parse path's book, level for level.
  const equal = booksEqual(ours!, ccxtBook!) && JSON.stringify([ours!.scaledLevels('bid'), ours!.scaledLevels('ask')]) === JSON.stringify(jsonBook);
  const n = s.messages.length;
  void sink;
  return {
    bench: 'book',
    ours_msgs_per_s: Math.round(n / best.ours),
    ccxt_msgs_per_s: Math.round(n / best.ccxt),
    parse_msgs_per_s: Math.round(n / best.parse),
    ratio_vs_ccxt: round2(best.ccxt / best.ours),
    ratio_vs_parse: round2(best.parse / best.ours),
    ours_json_msgs_per_s: Math.round(n / best.oursJson),
    ratio_json_path_vs_ccxt: round2(best.ccxt / best.oursJson),
    books_equal: equal,
  };
}

interface CcxtBook {
  bids: [number, number][];
  asks: [number, number][];
}
interface CcxtBinance {
  orderBook(snapshot: unknown): CcxtBook;
  parseOrderBook(raw: unknown, symbol: string, ts: undefined, bidsKey: string, asksKey: string): unknown;
  handleOrderBookMessage(client: unknown, message: unknown, book: CcxtBook): unknown;
}

/** Every level, both sides, same order: price and quantity compared as the numbers they denote. */
function booksEqual(ours: OrderBook, theirs: CcxtBook): boolean {
  const d = ours.depth(Number.MAX_SAFE_INTEGER);
  const same = (a: { price: string; qty: string }[], b: [number, number][]): boolean =>
    a.length === b.length && a.every((l, i) => Number(l.price) === b[i]![0] && Number(l.qty) === b[i]![1]);
  return same(d.bids, theirs.bids) && same(d.asks, theirs.asks) && d.bids.length > 0;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
