/**
 * Fills since a time from myTrades (rest-api.md "Account trade list"), symbol by symbol; each
 * trade's order is asked for once (GET order by orderId) for the client id it carries.
 */
import type { Instrument } from '../../domain/instrument';
import type { VenueFillReport } from '../venue-port';
import { fillFromTrade, ourCidOf } from './binance-mapping';
import type { BinanceRest } from './binance-rest';

export async function fillsOf(rest: BinanceRest, symbols: Iterable<string>, find: (symbol: string) => Instrument | undefined, sinceTs: number): Promise<VenueFillReport[]> {
  const out: VenueFillReport[] = [];
  const cids = new Map<number, string>();
  for (const symbol of symbols) {
    const inst = find(symbol);
    if (!inst) continue;
    for (const t of await rest.myTrades(symbol, sinceTs > 0 ? sinceTs : undefined)) {
      if (t.time < sinceTs) continue;
      let cid = cids.get(t.orderId);
      if (cid === undefined) {
        cid = ourCidOf((await rest.orderById(symbol, t.orderId)).clientOrderId);
        cids.set(t.orderId, cid);
      }
      out.push(fillFromTrade(t, inst.id, cid));
    }
  }
  return out;
}
