/**
 * Close, reverse and flatten through the whole engine on the Paper venue, as the trader's window
 * does it (preview, then place on that preview): the closing order is sized exactly from the
 * position, goes through order entry (so the kill switch and risk apply), a flatten cancels the
 * instrument's working orders first, and a flatten-all is refused when the count it was confirmed
 * on no longer holds.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../../support/engine-rig';
import type { Engine } from '../../../src-main/engine/engine';
import type { CallContext } from '../../../src-main/engine/api/engine-api';
import type { CommandName, CommandOutput } from '../../../src-main/engine/api/commands';
import { Decimal } from '../../../src-main/engine/domain/money';
import { windowCall } from '../../support/window-call';

const user: CallContext = { actor: 'user', transport: 'ipc' };

describe('positions you can act on (Paper)', () => {
  let rig: EngineRig;
  let engine: Engine;

  async function ok<C extends CommandName>(c: C, input: unknown): Promise<CommandOutput<C>> {
    const r = await windowCall(engine, c, input, user);
    if (!r.ok) throw new Error(`${c}: ${r.error.code}: ${r.error.message}`);
    return r.value as CommandOutput<C>;
  }
  const positions = async () => (await ok('positions.list', {})).filter((p) => !new Decimal(p.qty).isZero()).map((p) => [p.venue, p.symbol, p.qty]);
  /** Preview, then close on that preview: what the positions view does. */
  const closeViaPreview = async (symbol: string, action: 'close' | 'reverse' | 'flatten') => {
    const pv = await ok('position.preview', { venue: 'paper', symbol, action });
    expect(pv.preview.allowed).toBe(true);
    return { pv, done: await ok('position.close', { venue: 'paper', symbol, action, previewId: pv.preview.previewId }) };
  };

  beforeEach(async () => {
    rig = await engineRig({ prefix: 'tp-close-' });
    engine = rig.engine;
    await ok('order.place', { venue: 'paper', symbol: 'AAPL', side: 'buy', type: 'market', qty: '10', tif: 'day' });
  });
  afterEach(() => rig.close());

  it('close: a market sell of exactly the position, previewed first; the position is flat after', async () => {
    const { pv, done } = await closeViaPreview('AAPL', 'close');
    expect(pv.order).toEqual({ venue: 'paper', symbol: 'paper:AAPL', side: 'sell', type: 'market', qty: '10', tif: 'day' });
    expect(pv.preview).toMatchObject({ route: 'paper', side: 'sell', qty: '10' });
    expect(done.order).toMatchObject({ side: 'sell', type: 'market', qty: '10', status: 'filled', clientOrderId: pv.preview.clientOrderId });
    expect(await positions()).toEqual([]);
    // Audited as the trader's own act, like any order.
    expect(engine.internals.audit.list({ action: 'position.close', limit: 5 })).toMatchObject([{ actor: 'user', transport: 'ipc', ok: true }]);
  });

  it('reverse: twice the position on the other side, to the same size short', async () => {
    const { pv, done } = await closeViaPreview('AAPL', 'reverse');
    expect(pv.order).toMatchObject({ side: 'sell', qty: '20' });
    expect(done.order).toMatchObject({ side: 'sell', qty: '20', status: 'filled' });
    expect(await positions()).toEqual([['paper', 'AAPL', '-10']]);
    // And back: closing a short buys.
    const back = await closeViaPreview('AAPL', 'close');
    expect(back.done.order).toMatchObject({ side: 'buy', qty: '10' });
    expect(await positions()).toEqual([]);
  });

  it('exact quantities: a fractional crypto position closes to zero, not to a float remainder', async () => {
    await ok('order.place', { venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'market', qty: '0.0123', tif: 'day' });
    await ok('order.place', { venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'market', qty: '0.0007', tif: 'day' });
    const { pv } = await closeViaPreview('BTC/USD', 'close');
    expect(pv.order.qty).toBe('0.013');
    expect(await positions()).toEqual([['paper', 'AAPL', '10']]);
  });

  it('flatten: the working orders of that instrument are cancelled first, others are left alone', async () => {
    const q = await ok('quote.get', { venue: 'paper', symbol: 'AAPL' });
    const low = new Decimal(q.bid!).minus(5).toFixed();
    const aaplBuy = await ok('order.place', { venue: 'paper', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '5', limitPrice: low, tif: 'gtc' });
    const btc = await ok('quote.get', { venue: 'paper', symbol: 'BTC/USD' });
    const btcBuy = await ok('order.place', { venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'limit', qty: '0.01', limitPrice: new Decimal(btc.bid!).minus(500).toFixed(), tif: 'gtc' });

    const { pv, done } = await closeViaPreview('AAPL', 'flatten');
    expect(pv.cancels).toBe(1);
    expect(done).toMatchObject({ cancelled: 1, notCancelled: [], order: { side: 'sell', qty: '10', status: 'filled' } });
    expect(engine.internals.orders.byId(aaplBuy.id)!.status).toBe('cancelled');
    expect(engine.internals.orders.byId(btcBuy.id)!.status).toBe('accepted');
    expect(await positions()).toEqual([]);
  });

  it('from the window a close needs a preview; a preview no longer true (the position changed) is refused and nothing is sent', async () => {
    const r = await engine.call('position.close', { venue: 'paper', symbol: 'AAPL' }, user);
    expect(r.ok || r.error.code).toBe('preview_stale');
    const pv = await ok('position.preview', { venue: 'paper', symbol: 'AAPL', action: 'close' });
    await ok('order.place', { venue: 'paper', symbol: 'AAPL', side: 'buy', type: 'market', qty: '1', tif: 'day' });
    const stale = await engine.call('position.close', { venue: 'paper', symbol: 'AAPL', previewId: pv.preview.previewId }, user);
    expect(stale.ok || stale.error.code).toBe('preview_stale');
    expect(await positions()).toEqual([['paper', 'AAPL', '11']]);
  });

  it('the kill switch applies: halted refuses a close; no position is a clear error', async () => {
    await ok('killSwitch.trip', { mode: 'halted', reason: 'test' });
    const r = await engine.call('position.close', { venue: 'paper', symbol: 'AAPL' }, { actor: 'cli', transport: 'cli' });
    expect(r.ok || r.error.code).toBe('halted');
    expect(await positions()).toEqual([['paper', 'AAPL', '10']]);
    const none = await engine.call('position.preview', { venue: 'paper', symbol: 'MSFT' }, user);
    expect(none.ok || none.error).toMatchObject({ code: 'position_not_found', message: expect.stringContaining('No open position in MSFT on paper') });
  });

  it('flatten-all: refused when the confirmed count no longer holds; then closes every position with its count and venues', async () => {
    await ok('order.place', { venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'market', qty: '0.01', tif: 'day' });
    const stale = await engine.call('positions.flatten', { expectCount: 1, confirm: true }, user);
    expect(stale.ok || stale.error).toMatchObject({ code: 'preview_stale', message: expect.stringContaining('2 are open now (on paper)') });
    expect(await positions()).toHaveLength(2);
    const unconfirmed = await engine.call('positions.flatten', { expectCount: 2 }, user);
    expect(unconfirmed.ok || unconfirmed.error.code).toBe('invalid_input');

    const done = await ok('positions.flatten', { expectCount: 2, confirm: true });
    expect(done.count).toBe(2);
    expect(done.venues).toEqual(['paper']);
    expect(done.results.map((r) => [r.symbol, r.side, r.qty, Boolean(r.orderId), r.message])).toEqual([
      ['AAPL', 'sell', '10', true, undefined],
      ['BTC/USD', 'sell', '0.01', true, undefined],
    ]);
    expect(await positions()).toEqual([]);
  });
});
