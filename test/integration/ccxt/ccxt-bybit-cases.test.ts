/**
 * The ccxt connector's own cases against the Bybit v5 emulator: what ccxt.pro streams (with the
 * REST poll slowed to a minute, so only the stream can deliver in time), spot and a linear
 * perpetual from the same venue, what is refused before anything is sent, and a dropped book
 * stream marking the quote stale until the next streamed book.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BybitEmulator } from '../../emulators/bybit';
import type { Quote } from '../../../src-main/engine/domain/order';
import { marketOrderVerdict } from '../../support/stale-risk';
import { contractOrder, RecordingListener } from '../../support/venue-contract';
import { until } from '../../support/until';
import type { CcxtConnector } from '../../../src-main/engine/venues/ccxt/ccxt-connector';
import { VenueRejectedError } from '../../../src-main/engine/venues/venue-port';
import { connectorRig, startBybit, submitsSeen } from './bybit-rig';

let emu: BybitEmulator;
let c: CcxtConnector;
let l: RecordingListener;
let close: () => void;

beforeEach(async () => {
  emu = await startBybit();
  const rig = await connectorRig(emu, { pollMs: '60000' });
  c = rig.connector;
  close = rig.close;
  l = new RecordingListener();
  await c.start(l);
  await until(() => c.state().state === 'connected', { timeoutMs: 10_000, what: 'connected' });
}, 30_000);
afterEach(async () => {
  await c.stop();
  await emu.stop();
  close();
});

describe('ccxt connector on Bybit: streams', () => {
  it('order changes and fills arrive through ccxt.pro watchOrders / watchMyTrades, not the poll', async () => {
    await until(() => emu.stream.subscribers('order') > 0 && emu.stream.subscribers('execution') > 0, { timeoutMs: 10_000, what: 'private topics subscribed' });
    const inst = c.instrument('BTC/USDT')!;
    const o = contractOrder(c.name, inst, { side: 'buy', type: 'limit', qty: '0.02', limitPrice: '90000', tif: 'gtc' });
    await c.submit(o);
    emu.fill({ orderLinkId: o.clientOrderId, qty: '0.02', price: '90000' });
    const fill = await until(() => l.fills.find((f) => f.clientOrderId === o.clientOrderId), { timeoutMs: 10_000, what: 'streamed fill' });
    expect(fill).toMatchObject({ instrumentId: inst.id, side: 'buy', qty: '0.02', price: '90000' });
    await until(() => l.reports.some((r) => r.clientOrderId === o.clientOrderId && r.status === 'filled'), { timeoutMs: 10_000, what: 'streamed filled report' });
  });

  it('the order book streams through watchOrderBook once asked for, and its touch becomes the quote', async () => {
    const inst = c.instrument('BTC/USDT')!;
    expect(c.book(inst.id, 5)).toBeUndefined();
    const book = await until(() => c.book(inst.id, 5), { timeoutMs: 10_000, what: 'streamed book' });
    expect(book).toMatchObject({ bids: [{ price: '99990', qty: '1.5' }], asks: [{ price: '100010', qty: '2' }] });
    expect(c.quote(inst.id)).toMatchObject({ bid: '99990', ask: '100010' });
  });
});

describe('ccxt connector on Bybit: spot and perpetuals, one venue', () => {
  it('lists both as ours (BTC/USDT, BTC/USDT:PERP) with their own tick and lot', () => {
    expect(c.instrument('BTC/USDT')).toMatchObject({ assetClass: 'crypto_spot', tickSize: '0.01', lotSize: '0.000001', minQty: '0.000048' });
    expect(c.instrument('BTC/USDT:PERP')).toMatchObject({ assetClass: 'perpetual', venueSymbol: 'BTC/USDT:USDT', tickSize: '0.1', lotSize: '0.001', minNotional: '5' });
  });

  it('a perpetual market buy (reduce-only allowed there) shows as a position', async () => {
    const perp = c.instrument('BTC/USDT:PERP')!;
    const o = contractOrder(c.name, perp, { side: 'buy', type: 'market', qty: '0.01', tif: 'gtc' });
    await c.submit(o);
    expect(await c.positions()).toEqual([expect.objectContaining({ instrumentId: perp.id, symbol: 'BTC/USDT:PERP', qty: '0.01', avgPrice: '100000' })]);
    expect(c.capabilities()).toMatchObject({ reduceOnly: true, postOnly: true });
  });

  it('reduce-only on spot is refused with the reason, and nothing is sent', async () => {
    const o = { ...contractOrder(c.name, c.instrument('BTC/USDT')!, { side: 'sell', type: 'limit', qty: '0.01', limitPrice: '110000', tif: 'gtc' }), reduceOnly: true };
    const err = await c.submit(o).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VenueRejectedError);
    expect((err as Error).message).toMatch(/Reduce-only applies to derivatives/);
    expect(submitsSeen(emu, o.clientOrderId)).toBe(0);
  });

  it('balances from the unified wallet', async () => {
    expect(await c.balances()).toEqual([{ venue: 'byb', asset: 'USDT', total: '1000000', available: '1000000' }]);
  });
});

describe('ccxt connector on Bybit: a dropped book stream', () => {
  it('the quote is stale while the book watch has failed, fresh with the next streamed book', async () => {
    await c.stop();
    await emu.stop();
    close();
    emu = await startBybit();
    const rig = await connectorRig(emu, { pollMs: '1000' });
    c = rig.connector;
    close = rig.close;
    const q = new (class extends RecordingListener {
      readonly quotes: Quote[] = [];
      override quote(x: Quote): void {
        this.quotes.push(x);
      }
    })();
    await c.start(q);
    await until(() => c.state().state === 'connected', { timeoutMs: 10_000, what: 'connected' });
    const inst = c.instrument('BTC/USDT')!;
    c.book(inst.id, 5);
    await until(() => c.quote(inst.id)?.bid === '99990', { timeoutMs: 10_000, what: 'a streamed book quote' });
    expect(c.quote(inst.id)!.stale).toBeUndefined();
    await fetch(`${emu.url}/__control/fault`, { method: 'POST', body: JSON.stringify({ kind: 'drop-sockets' }) });
    const stale = await until(() => q.quotes.find((x) => x.instrumentId === inst.id && x.stale === true), { timeoutMs: 10_000, what: 'the quote re-sent stale' });
    expect(stale).toMatchObject({ bid: '99990', ask: '100010' });
    expect(marketOrderVerdict(inst, stale, Date.now())).toContain('risk.stale_quote');
    const fresh = await until(() => (c.quote(inst.id)?.stale === undefined ? c.quote(inst.id) : undefined), { timeoutMs: 20_000, what: 'the next streamed book' });
    expect(fresh).toMatchObject({ bid: '99990', ask: '100010' });
  });
});
