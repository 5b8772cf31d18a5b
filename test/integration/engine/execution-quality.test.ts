/**
 * Execution quality through the whole engine on the Paper venue: the OMS records the quote each
 * order was placed against, and `quality.report` (and the CLI's table) turns the journal into
 * slippage against that mid, fill rate and latencies.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../../support/engine-rig';
import type { Engine } from '../../../src-main/engine/engine';
import type { ManualClock } from '../../../src-main/engine/ports/clock';
import { Decimal } from '../../../src-main/engine/domain/money';
import type { PaperVenue } from '../../../src-main/engine/venues/paper';
import type { CommandName, CommandOutput } from '../../../src-main/engine/api/commands';
import { arrivalMid } from '../../../src-main/engine/portfolio/execution-quality';
import { formatQuality } from '../../../src-main/headless/format-quality';
import { windowCall } from '../../support/window-call';

const BTC = 'paper:BTC-USD';

describe('execution quality on the Paper venue', () => {
  let rig: EngineRig;
  let clock: ManualClock;
  let engine: Engine;
  async function ok<C extends CommandName>(c: C, input: unknown): Promise<CommandOutput<C>> {
    const r = await windowCall(engine, c, input, { actor: 'user', transport: 'ipc' });
    if (!r.ok) throw new Error(`${c}: ${r.error.code}: ${r.error.message}`);
    return r.value as CommandOutput<C>;
  }
  const paper = () => engine.internals.venues.get('paper') as PaperVenue;

  beforeEach(async () => {
    rig = await engineRig({ prefix: 'tp-quality-' });
    ({ clock, engine } = rig);
  });
  afterEach(() => rig.close());

  it('records the arrival quote and reports slippage, fill rate and latency per venue', async () => {
    const q = paper().quote(BTC)!;
    const since = clock.now();
    const market = await ok('order.place', { venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'market', qty: '0.01', tif: 'day' });
    const far = new Decimal(q.bid!).mul('0.9').toDecimalPlaces(2).toFixed();
    const resting = await ok('order.place', { venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'limit', qty: '0.01', limitPrice: far, tif: 'gtc' });
    expect(resting.status).toBe('accepted');

    // The OMS kept the quote the market order was placed against.
    const first = engine.internals.orders.transitions(market.id)[0]!;
    expect(first.raw).toEqual({ arrival: { bid: q.bid, ask: q.ask, ts: q.ts } });
    const mid = arrivalMid(first.raw)!;

    const fills = engine.internals.orders.fills({ orderId: market.id });
    expect(fills.length).toBeGreaterThan(0);
    const qty = fills.reduce((s, f) => s.plus(f.qty), new Decimal(0));
    const cost = fills.reduce((s, f) => s.plus(new Decimal(f.price).minus(mid).div(mid).mul(10_000).mul(f.qty)), new Decimal(0));
    const expected = cost.div(qty).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2);

    const r = await ok('quality.report', { sinceTs: since });
    expect(r).toMatchObject({ by: 'venue', venue: null, ordersRead: 2 });
    expect(r.rows).toHaveLength(1);
    const row = r.rows[0]!;
    expect(row).toMatchObject({ key: 'paper', orders: 2, filled: 1, partial: 0, rejected: 0, fillRatePct: '50.00', rejectRatePct: '0.00', slippageBps: expected, slippageOrders: 1 });
    // A market buy pays the ask: never below the arrival mid, so never negative slippage here.
    expect(new Decimal(fills[0]!.price).gte(mid)).toBe(true);
    expect(new Decimal(expected).gte(0)).toBe(true);
    expect(row.ackMs.n).toBe(2);
    expect(row.fillMs).toMatchObject({ n: 1 });

    // One venue asked, and the CLI's table.
    expect((await ok('quality.report', { sinceTs: since, venue: 'nowhere' })).rows).toEqual([]);
    const text = formatQuality(r);
    expect(text).toContain('Execution quality since');
    expect(text).toMatch(/paper\s+2\s+1\s+0\s+0\s+50\.00%\s+0\.00%/);
  });

  it('defaults to the last 24 hours and groups by origin on request', async () => {
    await ok('order.place', { venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'market', qty: '0.001', tif: 'day' });
    const r = await ok('quality.report', { by: 'origin' });
    expect(r.sinceTs).toBe(clock.now() - 24 * 3_600_000);
    expect(r.rows.map((x) => [x.key, x.orders, x.filled])).toEqual([['user', 1, 1]]);
    // Older than the window: not counted.
    clock.advance(24 * 3_600_000 + 1);
    expect((await ok('quality.report', {})).ordersRead).toBe(0);
    const bad = await windowCall(engine, 'quality.report', { by: 'strategyId' }, { actor: 'user', transport: 'ipc' });
    expect(bad.ok).toBe(false);
  });
});
