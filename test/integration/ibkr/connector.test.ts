/**
 * The IB connector against the TWS emulator over real sockets: connection, instruments, every
 * order type, partial fills, the whatIf preview, connectivity codes, client-id fallback, pacing
 * and adoption of orders placed by hand in TWS.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Decimal } from '../../../src-main/engine/domain/money';
import type { Order } from '../../../src-main/engine/domain/order';
import { OutcomeUnknownError, VenueRejectedError } from '../../../src-main/engine/venues/venue-port';
import { rig, type Rig } from './ibkr-harness';
import { until } from '../../support/until';
import { marketOrderVerdict } from '../../support/stale-risk';

let seq = 0;
function order(instrumentId: string, o: Partial<Order> & Pick<Order, 'side' | 'type' | 'qty'>): Order {
  const id = `t${Date.now().toString(36)}${++seq}`;
  return {
    id,
    clientOrderId: `tp-${id}`,
    venue: 'ib',
    instrumentId,
    symbol: '',
    tif: 'day',
    status: 'pending_submit',
    filledQty: '0',
    avgFillPrice: '0',
    fees: '0',
    source: 'user',
    createdAt: 0,
    updatedAt: 0,
    ...o,
  };
}

describe('IB connector ↔ TWS emulator', () => {
  let r: Rig;
  afterEach(async () => {
    await r?.close();
  });

  const aapl = async () => {
    const [inst] = await r.conn.resolveSymbol('AAPL');
    return inst!;
  };

  it('connects, reports "TWS 193 · DU123456 · client 7", and resolves every asset class to normalized symbols', async () => {
    r = await rig();
    expect(r.conn.state()).toEqual({ state: 'connected', detail: 'TWS 193 · DU123456 · client 7', phase: 'connected', serverVersion: '193' });
    const stock = await aapl();
    expect(stock).toMatchObject({ id: 'ib:265598', symbol: 'AAPL', assetClass: 'equity', tickSize: '0.01', multiplier: '1', quote: 'USD' });
    const [spy] = await r.conn.resolveSymbol('SPY');
    expect(spy!.assetClass).toBe('etf');
    const es = await r.conn.searchInstruments('ES');
    const futs = es.filter((i) => i.assetClass === 'future');
    expect(futs.length).toBe(3);
    expect(futs[0]!.symbol).toMatch(/^ES:FUT:\d{8}$/);
    expect(futs[0]).toMatchObject({ multiplier: '50', tickSize: '0.25', session: 'cme_equity_futures' });
    // round trip: the display symbol resolves back to the same conId
    const [again] = await r.conn.resolveSymbol(futs[0]!.symbol);
    expect(again!.id).toBe(futs[0]!.id);
    const expiry = futs[0]!.expiry!;
    const opt = await r.conn.resolveSymbol(`AAPL:OPT:C:200:${(await r.conn.resolveContract({ symbol: 'AAPL', secType: 'OPT' as never, strike: 200, right: 'C' as never }))[0]!.expiry}`);
    expect(opt).toHaveLength(1);
    expect(opt[0]).toMatchObject({ assetClass: 'option', right: 'C', strike: '200', multiplier: '100' });
    expect(opt[0]!.symbol).toMatch(/^AAPL:OPT:C:200:\d{8}$/);
    const [eur] = await r.conn.resolveSymbol('EUR/USD');
    expect(eur).toMatchObject({ symbol: 'EUR/USD', assetClass: 'forex', tickSize: '0.00005', session: 'forex' });
    expect(await r.conn.resolveSymbol('NOPE')).toEqual([]);
    // cached: synchronous lookups by symbol and id
    expect(r.conn.instrument('AAPL')?.id).toBe('ib:265598');
    expect(r.conn.instrument('ib:265598')?.symbol).toBe('AAPL');
    expect(r.conn.instrument('eur/usd')?.id).toBe(eur!.id);
    expect(expiry).toMatch(/^\d{8}$/);
  });

  it('streams quotes with bid and ask sizes (bid size arrives as its own tickSize)', async () => {
    r = await rig();
    const inst = await aapl();
    r.conn.quote(inst.id);
    const q = await until(() => {
      const x = r.conn.quote(inst.id);
      return x?.bid && x.bidSize && x.ask && x.askSize && x.last ? x : undefined;
    });
    expect(q).toMatchObject({ bid: '199.99', ask: '200.01', bidSize: '300', askSize: '300', last: '200' });
    r.emu.setQuote('AAPL', { bid: '201.00', bidSize: '500' });
    await until(() => r.conn.quote(inst.id)?.bidSize === '500');
    expect(r.conn.quote(inst.id)?.bid).toBe('201');
  });

  it('market order: ack, fill with commission joined by execId, report filled, position and balance', async () => {
    r = await rig();
    const inst = await aapl();
    const o = order(inst.id, { side: 'buy', type: 'market', qty: '10' });
    const ack = await r.conn.submit(o);
    expect(Number(ack.venueOrderId)).toBeGreaterThanOrEqual(1);
    const fill = await until(() => r.listener.fills.find((f) => f.clientOrderId === o.clientOrderId));
    expect(fill).toMatchObject({ venueOrderId: ack.venueOrderId, side: 'buy', qty: '10', price: '200.01', fee: '1', feeCurrency: 'USD', instrumentId: inst.id });
    await until(() => r.listener.lastReport(o.clientOrderId)?.status === 'filled');
    const pos = await until(() => r.listener.positions.find((p) => p.instrumentId === inst.id && p.qty === '10'));
    expect(new Decimal(pos.avgPrice).toDecimalPlaces(2).toFixed()).toBe('200.11'); // IB folds the $1 commission into avgCost
    const bal = await r.conn.balances();
    expect(bal[0]).toMatchObject({ asset: 'USD' });
    expect(new Decimal(bal[0]!.total).lt(1_000_000)).toBe(true);
    // IB's AvailableFunds counts the stock on margin; the cash balance never shows more available than it holds
    expect(new Decimal(bal[0]!.available).lte(bal[0]!.total)).toBe(true);
    const streamed = await until(() => r.listener.balances.at(-1));
    expect(new Decimal(streamed.available).lte(streamed.total)).toBe(true);
    expect((await r.conn.positions()).map((p) => [p.symbol, p.qty])).toEqual([['AAPL', '10']]);
    expect(await r.conn.lookup(o.clientOrderId)).toMatchObject({ status: 'filled', filledQty: '10' });
  });

  it('a limit that crossed the spread fills as taker; one that rested and was reached by the market as maker', async () => {
    r = await rig();
    const inst = await aapl();
    const crossing = order(inst.id, { side: 'buy', type: 'limit', qty: '2', limitPrice: '201' });
    await r.conn.submit(crossing);
    const taken = await until(() => r.listener.fills.find((f) => f.clientOrderId === crossing.clientOrderId));
    expect(taken).toMatchObject({ price: '200.01', liquidity: 'taker' });
    const resting = order(inst.id, { side: 'buy', type: 'limit', qty: '2', limitPrice: '199' });
    await r.conn.submit(resting);
    r.emu.setQuote('AAPL', { bid: '198.5', ask: '198.9', last: '198.7' });
    const made = await until(() => r.listener.fills.find((f) => f.clientOrderId === resting.clientOrderId));
    expect(made.liquidity).toBe('maker');
  });

  it('limit, stop, stop-limit and trailing orders rest, carry orderRef, and cancel', async () => {
    r = await rig();
    const inst = await aapl();
    const cases: Array<[string, Order]> = [
      ['LMT', order(inst.id, { side: 'buy', type: 'limit', qty: '5', limitPrice: '150', tif: 'gtc' })],
      ['STP', order(inst.id, { side: 'sell', type: 'stop', qty: '5', stopPrice: '150' })],
      ['STP LMT', order(inst.id, { side: 'buy', type: 'stop_limit', qty: '5', stopPrice: '250', limitPrice: '251' })],
    ];
    for (const [ibType, o] of cases) {
      const ack = await r.conn.submit(o);
      expect(ack.status).toBe('accepted');
      const emu = r.emu.order({ clientId: 7, orderId: Number(ack.venueOrderId) });
      expect(emu.orderType).toBe(ibType);
      expect(emu.orderRef).toBe(o.clientOrderId);
      await r.conn.cancel({ ...o, venueOrderId: ack.venueOrderId });
      expect(r.emu.order({ clientId: 7, orderId: Number(ack.venueOrderId) }).status).toBe('Cancelled');
      await until(() => r.listener.lastReport(o.clientOrderId)?.status === 'cancelled');
    }
    const trail = await r.conn.submitIntent({ clientOrderId: 'tp-trail-1', side: 'sell', type: 'trailing', qty: '5', trailingPercent: '2', tif: 'gtc' }, inst.id);
    const t = r.emu.order({ clientId: 7, orderId: Number(trail.venueOrderId) });
    expect(t.orderType).toBe('TRAIL');
    expect(t.trailingPercent?.toFixed()).toBe('2');
    expect(t.tif).toBe('GTC');
    // the market falls 3 %: the trailing stop triggers and fills
    r.emu.setQuote('AAPL', { last: '194', bid: '193.99', ask: '194.01' });
    await until(() => r.listener.lastReport('tp-trail-1')?.status === 'filled');
  });

  it('modify: placeOrder again with the same order id changes quantity and price in place; TWS refusals are VenueRejected', async () => {
    r = await rig();
    const inst = await aapl();
    const o = order(inst.id, { side: 'buy', type: 'limit', qty: '5', limitPrice: '150', tif: 'gtc' });
    const ack = await r.conn.submit(o);
    const placed = r.emu.order({ clientId: 7, orderId: Number(ack.venueOrderId) });
    expect(placed.totalQuantity.toFixed()).toBe('5');
    const mod = await r.conn.replace({ ...o, venueOrderId: ack.venueOrderId }, { qty: '3', limitPrice: '151.5' });
    expect(mod).toMatchObject({ venueOrderId: ack.venueOrderId, status: 'accepted', qty: '3', limitPrice: '151.5' });
    const emu = r.emu.order({ clientId: 7, orderId: Number(ack.venueOrderId) });
    expect([emu.totalQuantity.toFixed(), emu.lmtPrice?.toFixed(), emu.orderRef]).toEqual(['3', '151.5', o.clientOrderId]);
    // The stream carries the new terms (a price-only change is reported too).
    await until(() => r.listener.lastReport(o.clientOrderId)?.limitPrice === '151.5');
    await r.conn.replace({ ...o, qty: '3', limitPrice: '151.5', venueOrderId: ack.venueOrderId }, { limitPrice: '151' });
    await until(() => r.listener.lastReport(o.clientOrderId)?.limitPrice === '151');
    // Off the tick: TWS answers error 110 for the order id.
    await expect(r.conn.replace({ ...o, qty: '3', limitPrice: '151', venueOrderId: ack.venueOrderId }, { limitPrice: '151.005' })).rejects.toThrow(/refused the change \(110\)/);
    expect(r.emu.order({ clientId: 7, orderId: Number(ack.venueOrderId) }).lmtPrice?.toFixed()).toBe('151');
    // One IB order throughout: the modify reused its id.
    await expect(r.conn.lookup(o.clientOrderId)).resolves.toMatchObject({ venueOrderId: ack.venueOrderId, qty: '3' });
  });

  it('TIFs: IOC fills or cancels at once; OPG waits for the opening auction; outside-RTH limit works pre-market', async () => {
    r = await rig();
    const inst = await aapl();
    const ioc = order(inst.id, { side: 'buy', type: 'limit', qty: '3', limitPrice: '100', tif: 'ioc' });
    await r.conn.submit(ioc);
    await until(() => r.listener.lastReport(ioc.clientOrderId)?.status === 'cancelled');
    expect(r.emu.orders().find((x) => x.orderRef === ioc.clientOrderId)?.tif).toBe('IOC');

    const opg = await r.conn.submitIntent({ clientOrderId: 'tp-opg-1', side: 'buy', type: 'market', qty: '2', tif: 'opg' }, inst.id);
    expect(opg.status).toBe('accepted');
    expect(r.emu.order({ clientId: 7, orderId: Number(opg.venueOrderId) }).tif).toBe('OPG');
    r.emu.openingAuction();
    await until(() => r.listener.lastReport('tp-opg-1')?.status === 'filled');

    r.emu.setSession('extended');
    const ext = await r.conn.submitIntent({ clientOrderId: 'tp-ext-1', side: 'buy', type: 'limit', qty: '1', limitPrice: '201', tif: 'day', outsideRth: true }, inst.id);
    expect(r.emu.order({ clientId: 7, orderId: Number(ext.venueOrderId) }).outsideRth).toBe(true);
    await until(() => r.listener.lastReport('tp-ext-1')?.status === 'filled');
    r.emu.setSession('regular');
  });

  it('refuses what IB cannot do before sending anything', async () => {
    r = await rig();
    const inst = await aapl();
    const before = r.emu.orders().length;
    await expect(r.conn.submit(order(inst.id, { side: 'buy', type: 'market', qty: '1', tif: 'fok' }))).rejects.toThrow(/IOC/);
    await expect(r.conn.submitIntent({ clientOrderId: 'tp-x1', side: 'buy', type: 'market', qty: '1', tif: 'day', outsideRth: true }, inst.id)).rejects.toThrow(/regular trading hours/);
    await expect(r.conn.submitIntent({ clientOrderId: 'tp-x2', side: 'buy', type: 'stop', qty: '1', stopPrice: '210', tif: 'opg' }, inst.id)).rejects.toThrow(/market or limit/);
    await expect(r.conn.submitIntent({ clientOrderId: 'tp-x3', side: 'sell', type: 'trailing', qty: '1', tif: 'day' }, inst.id)).rejects.toThrow(/trailing amount or a trailing percent/);
    expect(r.emu.orders().length).toBe(before);
    // a TWS-side rejection comes back as VenueRejectedError with IB's text
    r.emu.rejectNextOrder('Trading halted');
    await expect(r.conn.submit(order(inst.id, { side: 'buy', type: 'limit', qty: '1', limitPrice: '150' }))).rejects.toThrow(VenueRejectedError);
  });

  it('bracket (parentId + transmit) goes live as one group; an OCA group cancels its sibling on a fill', async () => {
    r = await rig();
    const inst = await aapl();
    r.emu.setAutoFill(false);
    const acks = await r.conn.submitBracket(
      inst.id,
      { clientOrderId: 'tp-br-p', side: 'buy', type: 'limit', qty: '10', limitPrice: '199', tif: 'day' },
      { clientOrderId: 'tp-br-tp', side: 'sell', type: 'limit', qty: '10', limitPrice: '210', tif: 'gtc' },
      { clientOrderId: 'tp-br-sl', side: 'sell', type: 'stop', qty: '10', stopPrice: '190', tif: 'gtc' },
    );
    expect(acks.map((a) => a.status)).toEqual(['accepted', 'accepted', 'accepted']);
    const [p, tp, sl] = acks.map((a) => r.emu.order({ clientId: 7, orderId: Number(a.venueOrderId) }));
    expect([tp!.parentId, sl!.parentId]).toEqual([p!.orderId, p!.orderId]);
    expect([p!.transmit, tp!.transmit, sl!.transmit]).toEqual([true, true, true]);
    r.emu.fillOrder({ clientId: 7, orderId: p!.orderId }, { price: '199' });
    r.emu.fillOrder({ clientId: 7, orderId: tp!.orderId }, { price: '210' });
    await until(() => r.listener.lastReport('tp-br-sl')?.status === 'cancelled');

    await r.conn.submitIntent({ clientOrderId: 'tp-oca-a', side: 'buy', type: 'limit', qty: '1', limitPrice: '150', tif: 'day', ocaGroup: 'g1' }, inst.id);
    const b = await r.conn.submitIntent({ clientOrderId: 'tp-oca-b', side: 'buy', type: 'limit', qty: '1', limitPrice: '151', tif: 'day', ocaGroup: 'g1' }, inst.id);
    expect(r.emu.order({ clientId: 7, orderId: Number(b.venueOrderId) }).ocaGroup).toBe('g1');
    r.emu.fillOrder({ clientId: 7, orderId: Number(b.venueOrderId) });
    await until(() => r.listener.lastReport('tp-oca-a')?.status === 'cancelled');
    expect(r.listener.lastReport('tp-oca-b')?.status).toBe('filled');
  });

  it('partial fills: each execution is one fill with its commission; the order goes partially_filled → filled', async () => {
    r = await rig();
    const inst = await aapl();
    r.emu.setAutoFill(false);
    const o = order(inst.id, { side: 'buy', type: 'limit', qty: '10', limitPrice: '200' });
    const ack = await r.conn.submit(o);
    const ref = { clientId: 7, orderId: Number(ack.venueOrderId) };
    r.emu.fillOrder(ref, { quantity: '4', price: '200' });
    await until(() => r.listener.lastReport(o.clientOrderId)?.status === 'partially_filled');
    expect(r.listener.lastReport(o.clientOrderId)?.filledQty).toBe('4');
    r.emu.fillOrder(ref, { quantity: '6', price: '199.5' });
    await until(() => r.listener.lastReport(o.clientOrderId)?.status === 'filled');
    const fills = await until(() => {
      const f = r.listener.fills.filter((x) => x.clientOrderId === o.clientOrderId);
      return f.length === 2 ? f : undefined;
    });
    expect(fills.map((f) => [f.qty, f.price, f.fee])).toEqual([
      ['4', '200', '1'],
      ['6', '199.5', '1'],
    ]);
    expect(r.listener.lastReport(o.clientOrderId)?.avgFillPrice).toBe('199.7');
    // the same two fills come back from reqExecutions, for reconciliation
    const since = await r.conn.fillsSince(r.clock.now() - 60_000);
    expect(
      since
        .filter((f) => f.clientOrderId === o.clientOrderId)
        .map((f) => f.venueFillId)
        .sort(),
    ).toEqual(fills.map((f) => f.venueFillId).sort());
  });

  it('whatIf preview: commission, margin before/after, buying power, and no working order left behind', async () => {
    r = await rig();
    const inst = await aapl();
    const p = await r.conn.previewIntent(inst, { clientOrderId: '', side: 'buy', type: 'limit', qty: '100', limitPrice: '200', tif: 'day' });
    expect(p.estFee).toBe('1');
    expect(p.estNotional).toBe('20000');
    expect(p.estTotal).toBe('20001');
    expect(p.whatIf?.initMarginBefore?.toFixed()).toBe('0');
    expect(p.whatIf?.initMarginAfter?.toFixed()).toBe('10000');
    expect(p.buyingPowerBefore).toBe('1000000');
    expect(p.buyingPowerAfter).toBe('989999'); // equity with loan 999,999 (commission) − initial margin 10,000
    expect(p.violations).toEqual([]);
    expect(p.warnings.find((w) => w.code === 'ib.margin')?.message).toContain('initial 0.00 → 10000.00');
    expect(r.emu.openOrders()).toEqual([]);
    expect(r.emu.orders()).toEqual([]);
    // far too big: IB's numbers say no
    const big = await r.conn.preview(inst, { side: 'buy', type: 'limit', qty: '20000', limitPrice: '200', tif: 'day' });
    expect(big.violations.map((v) => v.code)).toEqual(['insufficient_funds']);
  });

  it('1100 → new orders refused (working ones stay) → 1102 → orders accepted again', async () => {
    r = await rig();
    const inst = await aapl();
    const working = order(inst.id, { side: 'buy', type: 'limit', qty: '1', limitPrice: '150' });
    await r.conn.submit(working);
    r.emu.injectConnectivity(1100);
    await until(() => r.conn.state().state === 'degraded');
    expect(r.conn.state().detail).toContain('1100');
    const refused = order(inst.id, { side: 'buy', type: 'limit', qty: '1', limitPrice: '150' });
    await expect(r.conn.submit(refused)).rejects.toThrow(/new orders are paused/);
    const pv = await r.conn.preview(inst, { side: 'buy', type: 'limit', qty: '1', limitPrice: '150', tif: 'day' });
    expect(pv.violations.map((v) => v.code)).toEqual(['venue_degraded']);
    expect(r.emu.orders().filter((o) => o.orderRef === refused.clientOrderId)).toEqual([]);
    expect(r.emu.order({ clientId: 7, orderId: Number(r.listener.lastReport(working.clientOrderId)!.venueOrderId) }).status).toBe('Submitted');
    r.emu.injectConnectivity(1102);
    await until(() => r.conn.state().state === 'connected');
    const ok = await r.conn.submit(order(inst.id, { side: 'buy', type: 'limit', qty: '1', limitPrice: '150' }));
    expect(ok.status).toBe('accepted');
    expect(r.listener.states.map((s) => s.state)).toEqual(expect.arrayContaining(['connected', 'degraded']));
  });

  it('1100 → quotes stale (risk refuses a market order on them); 1101 → market data resubscribed: quotes flow again, fresh', async () => {
    r = await rig();
    const inst = await aapl();
    r.conn.quote(inst.id);
    await until(() => r.conn.quote(inst.id)?.bid);
    expect(r.conn.quote(inst.id)!.stale).toBeUndefined();
    const subs = r.conn.mdRequests;
    r.emu.injectConnectivity(1100);
    await until(() => r.conn.state().state === 'degraded');
    expect(r.conn.quote(inst.id)!.stale).toBe(true);
    expect(marketOrderVerdict(inst, r.conn.quote(inst.id), Date.now())).toContain('risk.stale_quote');
    r.emu.injectConnectivity(1101); // TWS dropped our subscriptions
    await until(() => r.conn.state().state === 'connected');
    expect(r.conn.mdRequests).toBe(subs + 1);
    r.emu.setQuote('AAPL', { bid: '205.00', ask: '205.02' });
    await until(() => r.conn.quote(inst.id)?.bid === '205');
    expect(r.conn.quote(inst.id)!.stale).toBeUndefined();
  });

  it('326 → connects with the fallback client id', async () => {
    r = await rig({ start: false, settings: { fallbackClientId: '70' } });
    r.emu.holdClientId(7);
    await r.conn.start(r.listener);
    expect(r.conn.state()).toMatchObject({ state: 'connected', detail: 'TWS 193 · DU123456 · client 70 (fallback: client id 7 is held by another session)' });
    expect(r.emu.connectedClientIds()).toEqual([70]);
  });

  it('pacing: 200 orders placed and cancelled as fast as possible leave at most 40 messages per second and 5 per 100 ms', async () => {
    // The property is the pacing of what we send, judged on the limiter's own grant times, not on
    // wall-clock speed: a loaded machine only spreads sends out. The emulator's own pacing check
    // (arrivals, which a stalled event loop bunches) is off, and acks may take as long as they need.
    r = await rig({ emu: { maxMessagesPerSecond: false }, settings: { ackTimeoutMs: '600000' } });
    const inst = await aapl();
    const grants: number[] = [];
    const limiter = r.conn.limiter as unknown as { take(g: unknown, costs: unknown, now: number): void };
    const take = limiter.take.bind(limiter);
    limiter.take = (g, costs, now) => {
      grants.push(now);
      take(g, costs, now);
    };
    const orders = Array.from({ length: 200 }, (_, i) => order(inst.id, { side: 'buy', type: 'limit', qty: '1', limitPrice: String(100 + (i % 50)) }));
    const acks = await Promise.all(orders.map((o) => r.conn.submit(o)));
    await Promise.all(orders.map((o, i) => r.conn.cancel({ ...o, venueOrderId: acks[i]!.venueOrderId })));
    await until(() => r.emu.orders().filter((o) => o.status === 'Cancelled').length === 200, { timeoutMs: 120_000, what: 'every cancel to reach TWS' });
    expect(r.emu.openOrders()).toEqual([]);
    expect(grants.length).toBeGreaterThanOrEqual(400);
    const maxIn = (windowMs: number) => {
      let max = 0;
      for (let i = 0, j = 0; j < grants.length; j++) {
        while (grants[j]! - grants[i]! >= windowMs) i++;
        max = Math.max(max, j - i + 1);
      }
      return max;
    };
    expect(maxIn(1000)).toBeLessThanOrEqual(40);
    expect(maxIn(100)).toBeLessThanOrEqual(5);
  }, 300_000);

  it('an order placed by hand in TWS is reported with enough fields to adopt it', async () => {
    r = await rig();
    await aapl();
    const manual = r.emu.placeManualOrder({ symbol: 'AAPL', action: 'SELL', quantity: '25', lmtPrice: '250', tif: 'GTC' });
    const open = await r.conn.openOrders();
    const ext = open.find((o) => o.venueOrderId === `p${manual.permId}`);
    expect(ext).toMatchObject({ clientOrderId: `ext-ib-p${manual.permId}`, instrumentId: 'ib:265598', side: 'sell', type: 'limit', qty: '25', limitPrice: '250', tif: 'gtc', status: 'accepted' });
    await expect(r.conn.cancel({ ...order('ib:265598', { side: 'sell', type: 'limit', qty: '25' }), clientOrderId: ext!.clientOrderId, venueOrderId: ext!.venueOrderId })).rejects.toThrow(
      /Cancel it in TWS/,
    );
  });

  it('an order whose ack is lost (TWS restarts right after receiving it) is OutcomeUnknown; lookup finds it, nothing is resent', async () => {
    r = await rig();
    const inst = await aapl();
    r.emu.setAutoFill(false);
    const o = order(inst.id, { side: 'buy', type: 'limit', qty: '1', limitPrice: '150' });
    // TWS takes the order, then drops every socket before it can answer.
    r.emu.on('request', (_clientId: number, req: { type: string }) => {
      if (req.type === 'placeOrder') void r.emu.restart({ downMs: 200 });
    });
    await expect(r.conn.submit(o)).rejects.toBeInstanceOf(OutcomeUnknownError);
    r.emu.removeAllListeners('request');
    // While TWS is away the status bar reads "restarting", and still knows which TWS it was.
    expect(r.conn.state()).toMatchObject({ phase: 'restarting', serverVersion: '193' });
    await until(() => r.conn.state().state === 'connected', { timeoutMs: 5000 });
    expect(r.conn.state()).toMatchObject({ phase: 'connected', serverVersion: '193' });
    const found = await r.conn.lookup(o.clientOrderId);
    expect(found).toMatchObject({ clientOrderId: o.clientOrderId, status: 'accepted' });
    expect(r.emu.orders().filter((x) => x.orderRef === o.clientOrderId)).toHaveLength(1);
    // a second submit of the same client order id is refused as unknown, never sent
    await expect(r.conn.submit(o)).rejects.toBeInstanceOf(OutcomeUnknownError);
    expect(r.emu.orders().filter((x) => x.orderRef === o.clientOrderId)).toHaveLength(1);
  });
});
