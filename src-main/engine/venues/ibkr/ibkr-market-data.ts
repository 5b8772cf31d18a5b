/**
 * Quotes from TWS: streamed market data per watched instrument (kept across reconnects), one-off
 * snapshots when the stream has gone quiet, and top of book. While TWS is cut off (1100, a lost
 * socket) the quotes are stale; once market data is requested again the next tick makes each fresh
 * (market/live-quotes).
 */
import { EventName } from '@stoqey/ib';
import { toStr } from '../../domain/money';
import type { BookSnapshot, Quote } from '../../domain/order';
import type { FeedSource } from '../../api/venue-health';
import { LiveQuotes } from '../../market/live-quotes';
import type { IbSession } from './ibkr-connection';
import { isWarning } from './ibkr-errors';
import { orderContract, wireDecimal } from './ibkr-instruments';
import type { IbkrScope } from './ibkr-requests';

interface MutableQuote {
  bid?: string;
  bidSize?: string;
  ask?: string;
  askSize?: string;
  last?: string;
  ts: number;
}

export class IbkrMarketData {
  private readonly wanted = new Set<string>();
  private readonly mdByReq = new Map<number, string>();
  private readonly mdByInst = new Map<string, number>();
  private readonly quotes = new Map<string, MutableQuote>();
  private readonly live: LiveQuotes;
  /** Count of market-data subscriptions sent, for status and tests. */
  requests = 0;

  constructor(private readonly k: IbkrScope) {
    this.live = new LiveQuotes((q) => k.listener()?.quote(q), { label: 'IB market data', now: () => k.clock.now() });
  }

  /** TWS's market-data farms as the venue health's `quotes` feed. */
  get quotesFeed(): FeedSource {
    return this.live;
  }

  /** TWS lost its connection (1100, 2110) or its socket dropped: every quote kept is re-sent stale. */
  feedDown(): void {
    this.live.down();
  }

  /** TWS is back (1102): ticks flow again without a resubscription. */
  feedUp(): void {
    this.live.up();
  }

  /** Market data again for every instrument we watch (after a reconnect or a 1101): what ticks from here is fresh. */
  async resubscribe(s: IbSession): Promise<void> {
    this.live.up();
    this.mdByReq.clear();
    this.mdByInst.clear();
    await Promise.all([...this.wanted].map((id) => this.subscribeOn(s, id)));
  }

  private async subscribeOn(s: IbSession, instrumentId: string): Promise<void> {
    const c = this.k.cache.get(instrumentId);
    if (!c || this.mdByInst.has(instrumentId)) return;
    const reqId = this.k.rq.nextReqId();
    this.mdByInst.set(instrumentId, reqId);
    this.mdByReq.set(reqId, instrumentId);
    this.requests++;
    await this.k.rq
      .send('message', s, (api) => api.reqMktData(reqId, orderContract(c.contract), '', false, false))
      .catch(() => {
        this.mdByInst.delete(instrumentId);
        this.mdByReq.delete(reqId);
      });
  }

  /** Starts streaming quotes for an instrument (kept across reconnects). */
  watch(instrumentId: string): void {
    if (this.wanted.has(instrumentId) || !this.k.cache.get(instrumentId)) return;
    this.wanted.add(instrumentId);
    const s = this.k.rq.conn.open;
    if (s) void this.subscribeOn(s, instrumentId);
  }

  onTick(reqId: number, field: number, value: number | undefined, kind: 'price' | 'size'): void {
    const id = this.mdByReq.get(reqId);
    if (!id || value === undefined) return;
    const q = this.quotes.get(id) ?? { ts: 0 };
    const d = wireDecimal(value);
    // IB sends -1 (or 0 size) when a side has no quote.
    const text = d && d.gt(0) ? toStr(d) : undefined;
    // Tick types: 1/2/4 bid/ask/last price, 0/3/5 their sizes; 66–71 the same, delayed.
    const f = field >= 66 && field <= 71 ? [1, 2, 4, 0, 3, 5][field - 66]! : field;
    if (kind === 'price') {
      if (f === 1) q.bid = text;
      else if (f === 2) q.ask = text;
      else if (f === 4) q.last = text;
      else return;
    } else {
      if (f === 0) q.bidSize = text;
      else if (f === 3) q.askSize = text;
      else return;
    }
    q.ts = this.k.clock.now();
    this.quotes.set(id, q);
    this.live.publish(toQuote(id, q));
  }

  /** Synchronous by the port; the first ask subscribes, the stream fills it in. */
  quote(instrumentId: string): Quote | undefined {
    this.watch(instrumentId);
    return this.live.get(instrumentId);
  }

  /**
   * A one-off quote (reqMktData with snapshot=true): TWS streams only changes, so a quiet market
   * leaves the streamed quote old; this asks for the current bid/ask/last and stamps them now.
   */
  async snapshotQuote(instrumentId: string): Promise<Quote | undefined> {
    const { rq } = this.k;
    const c = this.k.cache.get(instrumentId);
    const s = rq.conn.current;
    if (!c || !s) return undefined;
    const reqId = rq.nextReqId();
    this.mdByReq.set(reqId, instrumentId);
    try {
      await rq.pending<void>(
        s.id,
        5_000,
        () => new Error('TWS did not answer the quote snapshot'),
        (resolve, reject) => {
          const onEnd = (id: number) => id === reqId && resolve();
          s.api.on(EventName.tickSnapshotEnd, onEnd);
          rq.byId.set(reqId, { onError: (code, message) => !isWarning(code) && reject(new Error(`${message} (${code})`)) });
          rq.send('message', s, (api) => api.reqMktData(reqId, orderContract(c.contract), '', true, false)).catch(reject);
          return () => {
            s.api.off(EventName.tickSnapshotEnd, onEnd);
            rq.byId.delete(reqId);
          };
        },
      );
    } finally {
      this.mdByReq.delete(reqId);
    }
    return this.live.get(instrumentId);
  }

  /** Top of book only: TWS depth (reqMktDepth) needs a paid subscription per exchange. */
  book(instrumentId: string, _depth: number): BookSnapshot | undefined {
    const q = this.quote(instrumentId);
    if (!q) return undefined;
    return {
      instrumentId,
      bids: q.bid ? [{ price: q.bid, qty: q.bidSize ?? '0' }] : [],
      asks: q.ask ? [{ price: q.ask, qty: q.askSize ?? '0' }] : [],
      ts: q.ts,
    };
  }
}

function toQuote(id: string, q: MutableQuote): Quote {
  return {
    instrumentId: id,
    ...(q.bid ? { bid: q.bid } : {}),
    ...(q.bidSize ? { bidSize: q.bidSize } : {}),
    ...(q.ask ? { ask: q.ask } : {}),
    ...(q.askSize ? { askSize: q.askSize } : {}),
    ...(q.last ? { last: q.last } : {}),
    ts: q.ts,
  };
}
