/**
 * Before the checks the engine refreshes a quote that is missing or older than the max quote age
 * (risk/risk-service.ts freshenQuote). A spread's market is its legs' combined, so every leg is
 * refreshed, not only the first; and the preview combines the legs' quotes once (oms/preview.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Quote } from '../../../src-main/engine/domain/order';
import { buildPreview } from '../../../src-main/engine/oms/preview';
import { ManualClock } from '../../../src-main/engine/ports/clock';
import { RiskService } from '../../../src-main/engine/risk/risk-service';
import { openDatabase, type Db } from '../../../src-main/engine/store/db';
import { EngineStateRepo } from '../../../src-main/engine/store/kv';
import { OrdersRepo } from '../../../src-main/engine/store/orders-repo';
import { PortfolioRepo } from '../../../src-main/engine/store/portfolio-repo';
import type { VenueConnector } from '../../../src-main/engine/venues/venue-port';
import { xyzOptions } from '../../support/option-chain-fixture';

const { instruments } = xyzOptions('demo');
const C95 = instruments.find((i) => i.symbol === 'XYZ:OPT:C:95:20270115')!;
const C100 = instruments.find((i) => i.symbol === 'XYZ:OPT:C:100:20270115')!;
const legs = [
  { instrumentId: C95.id, symbol: C95.symbol, side: 'buy' as const, ratio: 1 },
  { instrumentId: C100.id, symbol: C100.symbol, side: 'sell' as const, ratio: 1 },
];

let db: Db | undefined;
afterEach(() => db?.close());

function rig(quotes: Map<string, Quote>) {
  const clock = new ManualClock(100_000);
  const snapshots: string[] = [];
  const conn = {
    quote: (id: string) => quotes.get(id),
    instrument: (id: string) => instruments.find((i) => i.id === id),
    snapshotQuote: async (id: string) => {
      snapshots.push(id);
      const q = { instrumentId: id, bid: '1', ask: '1.1', ts: clock.now() };
      quotes.set(id, q);
      return q;
    },
  } as unknown as VenueConnector;
  db = openDatabase(':memory:');
  const risk = new RiskService({ state: new EngineStateRepo(db), orders: new OrdersRepo(db), portfolio: new PortfolioRepo(db), clock, connector: () => conn });
  return { risk, clock, snapshots, conn };
}

describe('freshening the quotes an order is judged on', () => {
  it('a spread refreshes every stale leg, not only the first', async () => {
    // Both legs older than the default max quote age (10 s).
    const quotes = new Map<string, Quote>([
      [C95.id, { instrumentId: C95.id, bid: '7', ask: '7.2', ts: 1_000 }],
      [C100.id, { instrumentId: C100.id, bid: '4', ask: '4.1', ts: 1_000 }],
    ]);
    const { risk, snapshots } = rig(quotes);
    await risk.freshenQuote('v', C95.id, legs);
    expect(snapshots.sort()).toEqual([C95.id, C100.id].sort());
    // The combined quote is as fresh as its oldest leg: now fresh.
    expect(risk.spread('v', { side: 'buy', type: 'limit', qty: '1', limitPrice: '0.5', tif: 'day', legs })?.quote?.ts).toBe(100_000);
  });

  it('a fresh leg is not asked again; a single instrument refreshes only itself', async () => {
    const quotes = new Map<string, Quote>([
      [C95.id, { instrumentId: C95.id, bid: '7', ask: '7.2', ts: 99_000 }],
      [C100.id, { instrumentId: C100.id, bid: '4', ask: '4.1', ts: 1_000 }],
    ]);
    const { risk, snapshots } = rig(quotes);
    await risk.freshenQuote('v', C95.id, legs);
    expect(snapshots).toEqual([C100.id]);
    await risk.freshenQuote('v', C100.id);
    expect(snapshots).toEqual([C100.id]);
    quotes.delete(C95.id);
    await risk.freshenQuote('v', C95.id);
    expect(snapshots).toEqual([C100.id, C95.id]);
  });

  it('the preview takes the spread quote it is given instead of combining the legs again', async () => {
    const quotes = new Map<string, Quote>([
      [C95.id, { instrumentId: C95.id, bid: '7', ask: '7.2', ts: 99_000 }],
      [C100.id, { instrumentId: C100.id, bid: '4', ask: '4.1', ts: 99_000 }],
    ]);
    const { risk, clock, conn } = rig(quotes);
    const ticket = { side: 'buy' as const, type: 'limit' as const, qty: '1', limitPrice: '3', tif: 'day' as const, legs };
    const spread = risk.spread('v', ticket)!;
    expect(spread.quote).toMatchObject({ bid: '2.9', ask: '3.2' });
    let asked = 0;
    const counting = {
      ...conn,
      quote: (id: string) => (asked++, quotes.get(id)),
      preview: async () => ({ currency: 'USD', estPrice: '3', estNotional: '300', estFee: '0', estTotal: '300', buyingPowerBefore: null, buyingPowerAfter: null, warnings: [], violations: [] }),
      sessionState: () => ({ open: true, phase: 'regular' }),
    } as unknown as VenueConnector;
    const p = await buildPreview({ venue: 'v', connector: counting, instrument: C95, ticket, route: 'live', clock, spread });
    expect(asked).toBe(0);
    expect([p.bid, p.ask]).toEqual(['2.9', '3.2']);
  });
});
