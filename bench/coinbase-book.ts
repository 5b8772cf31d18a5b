/**
 * Coinbase `level2` updates/s: the same seeded stream as `book` (bench/book.ts `generate`, seed 42)
 * re-printed in Coinbase's `l2_data` shape (untimed), then JSON.parse alone, ccxt's book driven by
 * ccxt.pro.coinbase's own `handleOrderBook`, and ours as the connector runs it: frame text →
 * `CoinbaseBooks.applyText` (the text fast path) + the per-connection `sequence_num` check → exact
 * book. `ours_json` is the connector's JSON path (JSON.parse, zod frame check, `CoinbaseBooks.apply`).
 */
import { createHash } from 'node:crypto';
import { timePass } from './cpu-clock';
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

const TIMED = 2;

async function best(prepare: () => void, pass: () => void): Promise<{ wall: number; cpu: number }> {
  let wall = Infinity;
  let cpu = Infinity;
  for (let i = 0; i <= TIMED; i++) {
    prepare();
    const t = await timePass(pass);
    if (i === 0) continue;
    wall = Math.min(wall, t.wallNs / 1e9);
    cpu = Math.min(cpu, t.cpuNs / 1e9);
  }
  return { wall, cpu };
}

const rates = (n: number, s: { wall: number; cpu: number }) => ({ msgs_per_s: Math.round(n / s.wall), msgs_per_cpu_s: Math.round(n / s.cpu) });

function digest(bids: ReadonlyArray<readonly [number, number]>, asks: ReadonlyArray<readonly [number, number]>): string {
  if (bids.length === 0) throw new Error('empty book');
  return createHash('sha256')
    .update(JSON.stringify([bids, asks]))
    .digest('hex')
    .slice(0, 16);
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
  const secs = await best(prepare, pass);
  const b = books.snapshot(PID, Number.MAX_SAFE_INTEGER)!;
  const side = (ls: { price: string; qty: string }[]) => ls.map((l) => [Number(l.price), Number(l.qty)] as const);
  return { ...rates(s.messages.length, secs), book: digest(side(b.bids), side(b.asks)) };
}

interface CcxtBook {
  bids: [number, number][];
  asks: [number, number][];
}
interface CcxtCoinbase {
  orderbooks: Record<string, CcxtBook>;
  handleOrderBook(client: unknown, message: unknown): void;
}

export const cases: Record<string, () => Promise<Record<string, number | string>>> = {
  parse: async () => {
    const s = coinbaseStream();
    let sink = 0;
    const secs = await best(
      () => undefined,
      () => {
        for (const m of s.messages) sink += (JSON.parse(m) as { sequence_num: number }).sequence_num;
      },
    );
    return { ...rates(s.messages.length, secs), sink };
  },
  ccxt: async () => {
    const s = coinbaseStream();
    const ns = await import('ccxt');
    const ccxt = ((ns as unknown as { default?: unknown }).default ?? ns) as { pro: { coinbase: new () => CcxtCoinbase } };
    const ex = new ccxt.pro.coinbase();
    // The stub client is what handleOrderBook touches: its subscriptions (for a depth limit) and resolve.
    const client = { subscriptions: {}, resolve: () => undefined };
    const secs = await best(
      () => ex.handleOrderBook(client, JSON.parse(s.snapshot)),
      () => {
        for (const m of s.messages) ex.handleOrderBook(client, JSON.parse(m));
      },
    );
    const book = Object.values(ex.orderbooks)[0]!;
    const side = (ls: [number, number][]) => ls.map((l) => [l[0], l[1]] as const);
    return { ...rates(s.messages.length, secs), book: digest(side(book.bids), side(book.asks)) };
  },
  ours: () => oursCase(true),
  ours_json: () => oursCase(false),
};
