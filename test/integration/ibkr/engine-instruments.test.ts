/**
 * Instruments a trader never searched for, through the engine API against the TWS emulator: the
 * watchlist is loaded once the session is connected and appears in Quotes; quote, preview and
 * place look a symbol up on demand the first time; an order typed into TWS for a contract never
 * cached is adopted under its symbol, not its conId.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { engineRig, marketClock, type EngineRig } from './ibkr-harness';
import { until } from '../../support/until';

describe('engine + IB venue: instruments on demand', () => {
  const clock = marketClock();
  let r: EngineRig;
  afterEach(async () => {
    await r.close();
  });

  it('the "symbols to load at start" are looked up after connecting and stream into Quotes with nobody asking', async () => {
    r = await engineRig(clock, 'tp-ibkr-wl-', { watchlist: 'SPY,QQQ,NOPE' });
    const quoted = await until(
      async () => {
        const snap = await r.engine.call('snapshot.get', {});
        const symbols = snap.ok ? snap.value.quotes.filter((q) => q.venue === 'ib' && q.bid).map((q) => q.symbol) : [];
        return symbols.includes('SPY') && symbols.includes('QQQ') ? symbols : undefined;
      },
      { timeoutMs: 10_000, what: 'SPY and QQQ in the quotes' },
    );
    expect(quoted).toEqual(expect.arrayContaining(['SPY', 'QQQ']));
    // the one TWS cannot resolve is said, not swallowed
    await until(() => r.engine.internals.venues.info('ib')?.detail.includes('watchlist: TWS could not resolve NOPE'));
  });

  it('quote, preview and place of a symbol never looked up work the first time', async () => {
    r = await engineRig(clock, 'tp-ibkr-od-', { watchlist: '' });
    const q = await r.engine.call('quote.get', { venue: 'ib', symbol: 'MSFT' });
    expect(q.ok && q.value).toMatchObject({ venue: 'ib', symbol: 'MSFT' });
    expect(q.ok && q.value.bid).toBeTruthy();
    const pv = await r.engine.call('order.preview', { venue: 'ib', symbol: 'TSLA', side: 'buy', type: 'limit', qty: '1', limitPrice: '200', tif: 'day' });
    expect(pv.ok && pv.value).toMatchObject({ symbol: 'TSLA', route: 'shadow' });
    const placed = await r.engine.call('order.place', { venue: 'ib', symbol: 'QQQ', side: 'buy', type: 'limit', qty: '1', limitPrice: '100', tif: 'day' });
    expect(placed.ok && placed.value).toMatchObject({ symbol: 'QQQ' });
  });

  it('an order typed into TWS for a contract never cached is adopted under its symbol', async () => {
    r = await engineRig(clock, 'tp-ibkr-adopt-', { watchlist: '' });
    const manual = r.emu.placeManualOrder({ symbol: 'MSFT', action: 'BUY', quantity: '3', lmtPrice: '300', tif: 'DAY' });
    const rec = await r.engine.call('reconcile.run', { venue: 'ib' });
    expect(rec.ok && rec.value[0]?.changes.find((c) => c.kind === 'adopted')?.message).toContain('buy 3 MSFT');
    const list = await r.engine.call('orders.list', {});
    const ext = list.ok ? list.value.find((o) => o.venueOrderId === `p${manual.permId}`) : undefined;
    expect(ext).toMatchObject({ source: 'external', symbol: 'MSFT', qty: '3' });
  });
});
