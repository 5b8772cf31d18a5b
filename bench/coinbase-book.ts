/**
 * Coinbase `level2` updates/s: the same seeded stream as `book` (bench/book.ts `generate`, seed 42)
 * re-printed in Coinbase's `l2_data` shape (untimed), then JSON.parse alone, ccxt's book driven by
 * ccxt.pro.coinbase's own `handleOrderBook`, and ours as the connector runs it: frame text →
 * `CoinbaseBooks.applyText` (the text fast path) + the per-connection `sequence_num` check → exact
 * book. `ours_json` is the connector's JSON path (JSON.parse, zod frame check, `CoinbaseBooks.apply`).
 */
import { bestSeconds, bookDigest, ccxtDigest, numericLevels, rates, type CcxtBook } from './book-harness';
import { generate } from './book';
import { CoinbaseBooks } from '../src-main/engine/venues/coinbase/coinbase-book';
import { Frame, SequenceCheck } from '../src-main/engine/venues/coinbase/coinbase-stream';

const PID = 'BTC-USD';
const trim = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);

interface CbStream {
  snapshot: string;
  messages: string[];
}

function coinbaseStream(): CbStream {
  const s = generate();
  const at = (ms: number) => new Date(ms).toISOString();
  const t0 = 1_767_600_000_000;
  const level = (side: string, [p, q]: readonly [string, string], t: string) => ({ side, event_time: t, price_level: trim(p), new_quantity: trim(q) });
  const frame = (seq: number, type: string, t: string, updates: unknown[]) =>
    JSON.stringify({ channel: 'l2_data', client_id: '', timestamp: t, sequence_num: seq, events: [{ type, product_id: PID, updates }] });
  const snapshot = frame(0, 'snapshot', at(t0), [...s.snapshot.bids.map((l) => level('bid', l, at(t0))), ...s.snapshot.asks.map((l) => level('offer', l, at(t0)))]);
  const messages = s.messages.map((m, i) => {
    const d = JSON.parse(m) as { E: number; b: [string, string][]; a: [string, string][] };
    const t = at(d.E);
    return frame(i + 1, 'update', t, [...d.b.map((l) => level('bid', l, t)), ...d.a.map((l) => level('offer', l, t))]);
  });
  return { snapshot, messages };
}

async function oursCase(fast: boolean): Promise<Record<string, number | string>> {
  const s = coinbaseStream();
  let books = new CoinbaseBooks(() => ({ tick: '0.01', lot: '0.00001', instrumentId: 'cb:BTC-USD' }));
  const seq = new SequenceCheck();
  const prepare = (): void => {
    books = new CoinbaseBooks(() => ({ tick: '0.01', lot: '0.00001', instrumentId: 'cb:BTC-USD' }));
    seq.reset();
    const snap = Frame.parse(JSON.parse(s.snapshot));
    seq.next(snap.sequence_num);
    books.apply(snap);
  };
  const pass = fast
    ? (): void => {
        for (const m of s.messages) {
          const r = books.applyText(m);
          if (!r || seq.next(r.seq)) throw new Error('a generated frame was refused or out of sequence');
        }
      }
    : (): void => {
        for (const m of s.messages) {
          const f = Frame.safeParse(JSON.parse(m));
          if (!f.success || seq.next(f.data.sequence_num)) throw new Error('a generated frame was refused or out of sequence');
          books.apply(f.data);
        }
      };
  const secs = await bestSeconds(pass, prepare);
  const b = books.snapshot(PID, Number.MAX_SAFE_INTEGER)!;
  return { ...rates(s.messages.length, secs), book: bookDigest(numericLevels(b.bids), numericLevels(b.asks)) };
}

interface CcxtCoinbase {
  orderbooks: Record<string, CcxtBook>;
  handleOrderBook(client: unknown, message: unknown): void;
}

export const cases: Record<string, () => Promise<Record<string, number | string>>> = {
  parse: async () => {
    const s = coinbaseStream();
    let sink = 0;
    const secs = await bestSeconds(() => {
      for (const m of s.messages) sink += (JSON.parse(m) as { sequence_num: number }).sequence_num;
    });
    return { ...rates(s.messages.length, secs), sink };
  },
  ccxt: async () => {
    const s = coinbaseStream();
    const ns = await import('ccxt');
    const ccxt = ((ns as unknown as { default?: unknown }).default ?? ns) as { pro: { coinbase: new () => CcxtCoinbase } };
    const ex = new ccxt.pro.coinbase();
    // The stub client is what handleOrderBook touches: its subscriptions (for a depth limit) and resolve.
    const client = { subscriptions: {}, resolve: () => undefined };
    const secs = await bestSeconds(
      () => {
        for (const m of s.messages) ex.handleOrderBook(client, JSON.parse(m));
      },
      () => ex.handleOrderBook(client, JSON.parse(s.snapshot)),
    );
    return { ...rates(s.messages.length, secs), book: ccxtDigest(Object.values(ex.orderbooks)[0]!) };
  },
  ours: () => oursCase(true),
  ours_json: () => oursCase(false),
};
