/**
 * `market.bars` through the engine: Paper serves its own price history (one-minute bars of what it
 * quoted, larger intervals built from them), a venue without bars is refused with the reason, and
 * the input is checked at the boundary.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Decimal } from '../../../src-main/engine/domain/money';
import type { Result } from '../../../src-main/engine/api/errors';
import type { Quote } from '../../../src-main/engine/domain/order';
import type { PaperVenue } from '../../../src-main/engine/venues/paper';
import { engineRig, T0, type EngineRig } from '../../support/engine-rig';

describe('market.bars (Paper)', () => {
  let rig: EngineRig;
  beforeEach(async () => {
    rig = await engineRig({ prefix: 'tp-bars-' });
  });
  afterEach(() => rig.close());
  const value = async <T>(p: Promise<Result<T>>): Promise<T> => {
    const r = await p;
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value;
  };

  it('serves one-minute bars of the prices Paper quoted, oldest first, and five-minute bars built from them', async () => {
    const paper = rig.engine.internals.venues.get('paper') as PaperVenue;
    const quotes: Quote[] = [];
    const off = rig.engine.subscribe((e) => {
      if (e.type === 'quote' && e.quote.venue === 'paper' && e.quote.instrumentId === 'paper:AAPL') quotes.push(e.quote);
    });
    // Ten minutes of Paper's market, a step every 20 s.
    for (let i = 1; i <= 30; i++) {
      rig.clock.advance(20_000);
      paper.tick();
    }
    off();
    const { bars, instrumentId, interval } = await value(rig.engine.call('market.bars', { venue: 'paper', symbol: 'AAPL' }));
    expect([instrumentId, interval]).toEqual(['paper:AAPL', '1m']);
    // The bars are exactly the quoted prices, minute by minute.
    const price = (q: Quote) => new Decimal(q.last ?? new Decimal(q.bid!).plus(q.ask!).div(2));
    const byMinute = new Map<number, Decimal[]>();
    for (const q of quotes) byMinute.set(q.ts - (q.ts % 60_000), [...(byMinute.get(q.ts - (q.ts % 60_000)) ?? []), price(q)]);
    const expected = [...byMinute].map(([ts, ps]) => ({ ts, open: ps[0]!.toFixed(), high: Decimal.max(...ps).toFixed(), low: Decimal.min(...ps).toFixed(), close: ps[ps.length - 1]!.toFixed() }));
    expect(bars.map(({ ts, open, high, low, close }) => ({ ts, open, high, low, close }))).toEqual(expected);
    expect(bars.length).toBeGreaterThanOrEqual(10);
    for (const b of bars) expect(new Decimal(b.volume).gte(0)).toBe(true);

    const five = await value(rig.engine.call('market.bars', { venue: 'paper', symbol: 'AAPL', interval: '5m' }));
    expect(five.bars.map((b) => b.ts)).toEqual([...new Set(bars.map((b) => b.ts - (b.ts % 300_000)))]);
    expect(five.bars[0]!.open).toBe(bars[0]!.open);
    expect(five.bars[five.bars.length - 1]!.close).toBe(bars[bars.length - 1]!.close);

    const since = await value(rig.engine.call('market.bars', { venue: 'paper', symbol: 'AAPL', sinceTs: T0 + 5 * 60_000, limit: 2 }));
    expect(since.bars.map((b) => b.ts)).toEqual([T0 + 5 * 60_000, T0 + 6 * 60_000]);
  });

  it('refuses a bad interval at the boundary and an unknown symbol with the venue’s words', async () => {
    const bad = await rig.engine.call('market.bars', { venue: 'paper', symbol: 'AAPL', interval: '7m' } as never);
    expect(bad.ok).toBe(false);
    const unknown = await rig.engine.call('market.bars', { venue: 'paper', symbol: 'NOPE' });
    expect(unknown.ok ? 'ok' : unknown.error.code).toBe('unknown_instrument');
  });
});
