/**
 * Alpaca's own cases, over real sockets against the emulator: order types and TIFs, extended
 * hours, fractional orders, brackets, replace with a new id, cancel-all's 207, a lost trade
 * stream mid-fill, the rate-limit headers and 429s, the calendar, instruments, the preview.
 */
import Decimal from 'decimal.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Balance, Order, Position, Quote } from '../../../src-main/engine/domain/order';
import type { AlpacaConnector } from '../../../src-main/engine/venues/alpaca/alpaca-connector';
import { VenueRejectedError } from '../../../src-main/engine/venues/venue-port';
import type { AlpacaEmulator } from '../../emulators/alpaca';
import { RecordingListener, contractOrder } from '../../support/venue-contract';
import { until } from '../../support/until';
import { connectorRig, control, fillNow, startEmulator, submitsSeen } from './alpaca-rig';

let emu: AlpacaEmulator;
let c: AlpacaConnector;
class QuoteRecorder extends RecordingListener {
  readonly quotes: Quote[] = [];
  readonly positions: Position[] = [];
  readonly balances: Balance[] = [];
  override quote(q: Quote): void {
    this.quotes.push(q);
  }
  override position(p: Position): void {
    this.positions.push(p);
  }
  override balance(b: Balance): void {
    this.balances.push(b);
  }
}

let l: QuoteRecorder;
let closeRig: () => void;

beforeEach(async () => {
  emu = await startEmulator();
  const rig = await connectorRig(emu);
  c = rig.connector;
  closeRig = rig.close;
  l = new QuoteRecorder();
  await c.start(l);
  await until(() => c.state().state === 'connected', { timeoutMs: 10_000, what: 'alpaca connected' });
}, 30_000);
afterEach(async () => {
  await c.stop();
  await emu.stop();
  closeRig();
});

const aapl = () => c.instrument('AAPL')!;
type Terms = Pick<Order, 'side' | 'type' | 'qty' | 'tif'> & Partial<Pick<Order, 'limitPrice' | 'stopPrice' | 'trailPercent' | 'trailAmount' | 'extendedHours'>>;
const order = (t: Terms, inst = aapl()): Order => ({
  ...contractOrder('alp', inst, { side: t.side, type: t.type, qty: t.qty, tif: t.tif, ...(t.limitPrice ? { limitPrice: t.limitPrice } : {}) }),
  ...t,
});
const atVenue = (coid: string) => emu.book.byClientId(coid)!;

describe('Alpaca orders', () => {
  it('each order type and TIF makes the round trip: sent as Alpaca spells it, looked up with the same terms', async () => {
    const cases: Array<[Terms, string]> = [
      [{ side: 'buy', type: 'market', qty: '1', tif: 'day' }, 'filled'],
      [{ side: 'buy', type: 'limit', qty: '1', tif: 'gtc', limitPrice: '150' }, 'accepted'],
      [{ side: 'buy', type: 'stop', qty: '1', tif: 'day', stopPrice: '250' }, 'accepted'],
      [{ side: 'buy', type: 'stop_limit', qty: '1', tif: 'gtc', stopPrice: '250', limitPrice: '251' }, 'accepted'],
      [{ side: 'sell', type: 'trailing_stop', qty: '1', tif: 'day', trailPercent: '5' }, 'accepted'],
      [{ side: 'sell', type: 'trailing_stop', qty: '1', tif: 'gtc', trailAmount: '2.5' }, 'accepted'],
      [{ side: 'buy', type: 'limit', qty: '1', tif: 'opg', limitPrice: '150' }, 'accepted'],
      [{ side: 'buy', type: 'limit', qty: '1', tif: 'ioc', limitPrice: '150' }, 'cancelled'],
      [{ side: 'buy', type: 'limit', qty: '1', tif: 'fok', limitPrice: '200' }, 'filled'],
    ];
    for (const [t, status] of cases) {
      const o = order(t);
      const ack = await c.submit(o);
      const wire = atVenue(o.clientOrderId);
      expect([wire.type, wire.time_in_force]).toEqual([t.type, t.tif]);
      if (t.trailPercent) expect(wire.trail_percent).toBe(t.trailPercent);
      if (t.trailAmount) expect(wire.trail_price).toBe(t.trailAmount);
      const found = await c.lookup(o.clientOrderId);
      expect(found).toMatchObject({ venueOrderId: ack.venueOrderId, type: t.type, tif: t.tif, status });
      if (t.type === 'trailing_stop') expect(Number(found?.trailStop)).toBeGreaterThan(0);
    }
  });

  it('crypto from the same connector: BTC/USD limit GTC rests, market IOC fills 0.01, a DAY order is refused unsent', async () => {
    const btc = c.instrument('BTC/USD')!;
    const rest = order({ side: 'buy', type: 'limit', qty: '0.01', tif: 'gtc', limitPrice: '80000' }, btc);
    await c.submit(rest);
    expect(atVenue(rest.clientOrderId).symbol).toBe('BTC/USD');
    expect((await c.lookup(rest.clientOrderId))?.instrumentId).toBe('alp:BTC/USD');
    const mkt = order({ side: 'buy', type: 'market', qty: '0.01', tif: 'ioc' }, btc);
    await c.submit(mkt);
    expect(await c.lookup(mkt.clientOrderId)).toMatchObject({ status: 'filled', filledQty: '0.01' });
    await control(emu, 'set-time', { time: '2026-11-21T03:00:00Z' }); // Friday night: crypto still trades
    const night = order({ side: 'buy', type: 'market', qty: '0.01', tif: 'ioc' }, btc);
    await c.submit(night);
    expect((await c.lookup(night.clientOrderId))?.status).toBe('filled');
    const day = order({ side: 'buy', type: 'limit', qty: '0.01', tif: 'day', limitPrice: '80000' }, btc);
    await expect(c.submit(day)).rejects.toThrow(/crypto orders take GTC or IOC only/);
    expect(submitsSeen(emu, day.clientOrderId)).toBe(0);
  });

  it("extended hours: a DAY limit is accepted and trades pre-market; anything else is refused with Alpaca's rule, unsent", async () => {
    const ok = order({ side: 'buy', type: 'limit', qty: '1', tif: 'day', limitPrice: '190', extendedHours: true });
    const plain = order({ side: 'buy', type: 'limit', qty: '1', tif: 'day', limitPrice: '190' });
    await control(emu, 'set-time', { time: '2026-11-19T13:00:00Z' }); // 08:00 New York: pre-market
    await c.submit(ok);
    await c.submit(plain);
    await control(emu, 'set-quote', { symbol: 'AAPL', bid: '188.90', ask: '189.10' });
    await until(async () => (await c.lookup(ok.clientOrderId))?.status === 'filled', { timeoutMs: 10_000, what: 'extended-hours order filled pre-market' });
    expect(atVenue(ok.clientOrderId).extended_hours).toBe(true);
    expect((await c.lookup(plain.clientOrderId))?.status).toBe('accepted');
    for (const t of [
      { side: 'buy', type: 'market', qty: '1', tif: 'day', extendedHours: true },
      { side: 'buy', type: 'limit', qty: '1', tif: 'gtc', limitPrice: '190', extendedHours: true },
    ] as Terms[]) {
      const o = order(t);
      const err = await c.submit(o).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VenueRejectedError);
      expect((err as Error).message).toContain('extended-hours orders must be DAY limit orders');
      expect(submitsSeen(emu, o.clientOrderId)).toBe(0);
    }
  });

  it('fractional: 0.5 AAPL at market fills; GME (not fractionable) and a fractional GTC limit are refused unsent', async () => {
    const half = order({ side: 'buy', type: 'market', qty: '0.5', tif: 'day' });
    await c.submit(half);
    expect(await c.lookup(half.clientOrderId)).toMatchObject({ status: 'filled', filledQty: '0.5' });
    const gme = order({ side: 'buy', type: 'market', qty: '0.5', tif: 'day' }, c.instrument('GME')!);
    await expect(c.submit(gme)).rejects.toThrow(/GME is not fractionable/);
    const gtc = order({ side: 'buy', type: 'limit', qty: '0.5', tif: 'gtc', limitPrice: '150' });
    await expect(c.submit(gtc)).rejects.toThrow(/fractional orders must be market or DAY limit orders/);
    expect(submitsSeen(emu, gme.clientOrderId) + submitsSeen(emu, gtc.clientOrderId)).toBe(0);
  });

  it('notional: $250 of AAPL goes as `notional` and fills, the quantity bought reported; CLS goes as cls; a non-fractionable notional is refused unsent', async () => {
    const usd = { ...order({ side: 'buy', type: 'market', qty: '0', tif: 'day' }), notional: '250' };
    await c.submit(usd);
    const wire = atVenue(usd.clientOrderId);
    expect(wire.notional).toBe('250');
    const found = await until(
      async () => {
        const r = await c.lookup(usd.clientOrderId);
        return r?.status === 'filled' ? r : undefined;
      },
      { timeoutMs: 10_000, what: 'notional order filled' },
    );
    // Alpaca sizes it at the fill: the quantity bought is the filled quantity, worth the amount asked.
    expect(Number(found.filledQty)).toBeGreaterThan(0);
    expect(Number(found.filledQty) * Number(found.avgFillPrice)).toBeCloseTo(250, 1);
    const close = order({ side: 'sell', type: 'limit', qty: '1', tif: 'cls', limitPrice: '150' });
    await c.submit(close);
    expect(atVenue(close.clientOrderId).time_in_force).toBe('cls');
    expect(await c.lookup(close.clientOrderId)).toMatchObject({ tif: 'cls', type: 'limit' });
    const gme = { ...order({ side: 'buy', type: 'market', qty: '0', tif: 'day' }, c.instrument('GME')!), notional: '100' };
    await expect(c.submit(gme)).rejects.toThrow(/GME is not fractionable, so it cannot be bought by dollar amount/);
    expect(submitsSeen(emu, gme.clientOrderId)).toBe(0);
  });

  it('bracket: one Alpaca bracket order; the exits work once the entry fills, and one exit filling cancels the other', async () => {
    const parent = order({ side: 'buy', type: 'limit', qty: '2', tif: 'day', limitPrice: '150' });
    const tp: Order = { ...order({ side: 'sell', type: 'limit', qty: '2', tif: 'day', limitPrice: '200' }), parentOrderId: parent.id, leg: 'take_profit' };
    const sl: Order = { ...order({ side: 'sell', type: 'stop', qty: '2', tif: 'day', stopPrice: '140' }), parentOrderId: parent.id, leg: 'stop_loss' };
    const acks = await c.submitBracketOrders(parent, [tp, sl]);
    expect(new Set(acks.map((a) => a.venueOrderId)).size).toBe(3);
    expect(atVenue(parent.clientOrderId).order_class).toBe('bracket');
    expect(emu.server.count('POST', '/v2/orders')).toBe(1);
    fillNow(emu, parent.clientOrderId, '2', '150');
    await until(() => l.reports.some((r) => r.clientOrderId === tp.clientOrderId && r.status === 'accepted'), { timeoutMs: 10_000, what: 'take-profit live' });
    await control(emu, 'fill', { order_id: acks[1]!.venueOrderId, qty: '2', price: '200' });
    await until(() => l.reports.some((r) => r.clientOrderId === sl.clientOrderId && r.status === 'cancelled'), { timeoutMs: 10_000, what: 'stop-loss cancelled' });
    expect(l.fills.filter((f) => f.clientOrderId === tp.clientOrderId).map((f) => f.qty)).toEqual(['2']);
    expect(await c.lookup(sl.clientOrderId)).toMatchObject({ status: 'cancelled', venueOrderId: acks[2]!.venueOrderId });
  });

  it('OCO exits: one Alpaca order with order_class oco (the take-profit, its stop-loss as the leg); the stop filling cancels the take-profit', async () => {
    await c.submit(order({ side: 'buy', type: 'market', qty: '2', tif: 'day' }));
    const tp: Order = { ...order({ side: 'sell', type: 'limit', qty: '2', tif: 'gtc', limitPrice: '200' }), ocaGroup: 'oco-x', leg: 'take_profit' };
    const sl: Order = { ...order({ side: 'sell', type: 'stop_limit', qty: '2', tif: 'gtc', stopPrice: '140', limitPrice: '139' }), ocaGroup: 'oco-x', leg: 'stop_loss' };
    const posts = emu.server.count('POST', '/v2/orders');
    const acks = await c.submitOcoOrders(tp, sl);
    expect(emu.server.count('POST', '/v2/orders')).toBe(posts + 1);
    const wire = atVenue(tp.clientOrderId);
    expect(wire).toMatchObject({ order_class: 'oco', type: 'limit', limit_price: '200', side: 'sell' });
    expect(acks.map((a) => a.status)).toEqual(['accepted', 'accepted']);
    expect(await c.lookup(sl.clientOrderId)).toMatchObject({ venueOrderId: acks[1]!.venueOrderId, type: 'stop_limit', stopPrice: '140' });
    await control(emu, 'fill', { order_id: acks[1]!.venueOrderId, qty: '2', price: '139.5' });
    await until(() => l.reports.some((r) => r.clientOrderId === tp.clientOrderId && r.status === 'cancelled'), { timeoutMs: 10_000, what: 'take-profit cancelled' });
    expect(l.fills.filter((f) => f.clientOrderId === sl.clientOrderId).map((f) => [f.qty, f.price])).toEqual([['2', '139.5']]);
    expect(await c.lookup(tp.clientOrderId)).toMatchObject({ status: 'cancelled', filledQty: '0' });
  });

  it('replace: Alpaca answers with a new order id (linked by replaces); lookup, cancel and fills follow it under our client id', async () => {
    const o = order({ side: 'buy', type: 'limit', qty: '2', tif: 'gtc', limitPrice: '150' });
    const ack = await c.submit(o);
    const r = await c.replace({ ...o, venueOrderId: ack.venueOrderId }, { limitPrice: '151' });
    expect(r.venueOrderId).not.toBe(ack.venueOrderId);
    expect(emu.book.find(r.venueOrderId)?.replaces).toBe(ack.venueOrderId);
    expect(emu.book.find(ack.venueOrderId)).toMatchObject({ status: 'replaced', replaced_by: r.venueOrderId });
    expect(await c.lookup(o.clientOrderId)).toMatchObject({ clientOrderId: o.clientOrderId, venueOrderId: r.venueOrderId, limitPrice: '151', status: 'accepted' });
    fillNow(emu, o.clientOrderId, '1', '151');
    await until(() => l.fills.find((f) => f.clientOrderId === o.clientOrderId && f.venueOrderId === r.venueOrderId), { timeoutMs: 10_000, what: 'fill under our client id' });
    // The OMS keeps the first venue id; the connector cancels the order that carries it now.
    await c.cancel({ ...o, venueOrderId: ack.venueOrderId });
    expect(emu.book.find(r.venueOrderId)?.status).toBe('canceled');
  });

  it('replace of a partly filled order is refused before the PATCH (Alpaca would replace it for the whole quantity), with the remainder named', async () => {
    const o = order({ side: 'buy', type: 'limit', qty: '5', tif: 'gtc', limitPrice: '150' });
    const ack = await c.submit(o);
    // Alpaca's figure, not yet the journal's: the fill is read from Alpaca before anything is sent.
    fillNow(emu, o.clientOrderId, '2', '150');
    const err = await c.replace({ ...o, venueOrderId: ack.venueOrderId }, { limitPrice: '151' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VenueRejectedError);
    expect(err).toMatchObject({ venueCode: 'partly_filled' });
    expect((err as Error).message).toMatch(/already filled 2 of 5.*nothing was sent.*remaining 3/);
    expect(emu.server.count('PATCH', `/v2/orders/${ack.venueOrderId}`)).toBe(0);
    expect(emu.book.find(ack.venueOrderId)).toMatchObject({ status: 'partially_filled', replaced_by: null, limit_price: '150' });
    // The journal's figure alone refuses too (the venue read says 2; the order says 3 after a later fill).
    const err2 = await c.replace({ ...o, venueOrderId: ack.venueOrderId, filledQty: '3' }, { qty: '6' }).catch((e: unknown) => e);
    expect((err2 as Error).message).toMatch(/already filled 3 of 5/);
    expect(emu.server.count('PATCH', `/v2/orders/${ack.venueOrderId}`)).toBe(0);
  });

  it('a replace whose order cannot be read first is refused as not sent, never an unknown outcome', async () => {
    const o = order({ side: 'buy', type: 'limit', qty: '2', tif: 'gtc', limitPrice: '150' });
    const err = await c.replace({ ...o, venueOrderId: 'no-such-order' }, { limitPrice: '151' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VenueRejectedError);
    expect((err as Error).message).toMatch(/could not read order .* nothing was sent/);
    expect(emu.server.count('PATCH', '/v2/orders/no-such-order')).toBe(0);
  });

  it('a fill from the trade stream brings the position and the cash (Alpaca streams neither): bought, then sold flat', async () => {
    const buy = order({ side: 'buy', type: 'market', qty: '3', tif: 'day' });
    await c.submit(buy);
    await until(() => l.positions.some((p) => p.instrumentId === aapl().id && p.qty === '3'), { timeoutMs: 10_000, what: 'AAPL position 3 after the buy' });
    const cashAfterBuy = new Decimal((await c.balances())[0]!.total);
    await until(() => l.balances.some((b) => new Decimal(b.total).eq(cashAfterBuy)), { timeoutMs: 10_000, what: 'cash after the buy' });
    const sell = order({ side: 'sell', type: 'market', qty: '3', tif: 'day' });
    await c.submit(sell);
    await until(() => l.positions.at(-1)?.qty === '0', { timeoutMs: 10_000, what: 'AAPL flat after the sell' });
    expect(l.positions.at(-1)).toMatchObject({ venue: 'alp', instrumentId: aapl().id, symbol: 'AAPL' });
  });

  it('cancel-all reads the 207 body: a 404 inside is reported as a failure, not a success', async () => {
    const a = order({ side: 'buy', type: 'limit', qty: '1', tif: 'gtc', limitPrice: '150' });
    const b = order({ side: 'buy', type: 'limit', qty: '1', tif: 'gtc', limitPrice: '151' });
    const ackA = await c.submit(a);
    const ackB = await c.submit(b);
    await control(emu, 'lose-on-cancel-all', { client_order_id: a.clientOrderId });
    const res = await c.cancelAll();
    expect(res.cancelled).toEqual([ackB.venueOrderId]);
    expect(res.failed).toEqual([{ venueOrderId: ackA.venueOrderId, status: 404, message: 'order not found' }]);
  });

  it('a possible wash trade: the preview flags it, and Alpaca would refuse it', async () => {
    await control(emu, 'external-order', { symbol: 'AAPL', side: 'sell', qty: '1', limit_price: '200' });
    const p = await c.preview(aapl(), { side: 'buy', type: 'limit', qty: '1', limitPrice: '201', tif: 'day' });
    expect(p.violations.map((v) => v.code)).toContain('wash_trade');
    const below = await c.preview(aapl(), { side: 'buy', type: 'limit', qty: '1', limitPrice: '199', tif: 'day' });
    expect(below.violations.map((v) => v.code)).not.toContain('wash_trade');
    await expect(c.submit(order({ side: 'buy', type: 'limit', qty: '1', tif: 'day', limitPrice: '201' }))).rejects.toThrow(/wash trade/);
  });

  it('an order over the buying power Alpaca reports (less our working buys) is blocked in the preview', async () => {
    await control(emu, 'set-account', { buying_power: '1000' });
    await c.submit(order({ side: 'buy', type: 'limit', qty: '2', tif: 'gtc', limitPrice: '150' }));
    const p = await c.preview(aapl(), { side: 'buy', type: 'limit', qty: '4', limitPrice: '180', tif: 'day' });
    expect(p.buyingPowerBefore).toBe('700');
    expect(p.violations.map((v) => v.code)).toContain('insufficient_buying_power');
    const small = await c.preview(aapl(), { side: 'buy', type: 'limit', qty: '3', limitPrice: '180', tif: 'day' });
    expect(small.violations).toEqual([]);
    expect(small.buyingPowerAfter).toBe('160');
  });

  it('cash account: a buy with unsettled proceeds is warned, then selling it before settlement is a good-faith violation', async () => {
    await control(emu, 'set-account', { multiplier: 1, cash: '1000' });
    await c.submit(order({ side: 'buy', type: 'market', qty: '5', tif: 'day' })); // 5 AAPL at 190.01, settled cash
    await c.submit(order({ side: 'sell', type: 'market', qty: '5', tif: 'day' })); // proceeds settle tomorrow (T+1)
    const gme = c.instrument('GME')!;
    const buy = await c.preview(gme, { side: 'buy', type: 'limit', qty: '30', limitPrice: '25.01', tif: 'day' });
    expect(buy.warnings.find((w) => w.code === 'settlement')?.message).toMatch(/settled 49\.95 USD, unsettled 949\.95 USD \(settles by 2026-11-19\)/);
    expect(buy.warnings.map((w) => w.code)).toContain('unsettled_funds');
    expect(buy.violations).toEqual([]);
    await c.submit(order({ side: 'buy', type: 'limit', qty: '30', tif: 'day', limitPrice: '25.01' }, gme));
    await until(() => emu.book.fills.length === 3, { timeoutMs: 10_000, what: 'three fills' });
    const sell = await c.preview(gme, { side: 'sell', type: 'market', qty: '30', tif: 'day' });
    expect(sell.warnings.map((w) => w.code)).toContain('good_faith_violation');
  });
});

describe('Alpaca streams and sessions in the emulator', () => {
  it('quotes from the stock and crypto streams reach the listener and quote()', async () => {
    await control(emu, 'set-quote', { symbol: 'AAPL', bid: '191.10', ask: '191.20' });
    await control(emu, 'set-quote', { symbol: 'BTC/USD', bid: '92000', ask: '92010' });
    await until(() => c.quote('alp:AAPL')?.bid === '191.1' && c.quote('alp:BTC/USD')?.ask === '92010', { timeoutMs: 10_000, what: 'streamed quotes' });
    expect(l.quotes.some((q) => q.instrumentId === 'alp:BTC/USD' && q.bid === '92000')).toBe(true);
  });

  it("Alpaca's quotes carry no day figures: the dailyBars channel fills the quote's volume, high and low", async () => {
    await control(emu, 'set-quote', { symbol: 'AAPL', bid: '191.10', ask: '191.20' });
    await control(emu, 'set-quote', { symbol: 'AAPL', bid: '191.30', ask: '191.40' });
    await until(() => c.quote('alp:AAPL')?.bid === '191.3' && c.quote('alp:AAPL')?.volume !== undefined, { timeoutMs: 10_000, what: 'a quote with the day bar' });
    const q = c.quote('alp:AAPL')!;
    expect(new Decimal(q.dayHigh!).gte('191.35')).toBe(true);
    expect(new Decimal(q.dayLow!).lte('191.15')).toBe(true);
    expect(new Decimal(q.volume!).gt(0)).toBe(true);
    // The streamed quote the engine hears carries them too (the watchlist's columns read these).
    expect(l.quotes.some((x) => x.instrumentId === 'alp:AAPL' && x.bid === '191.3' && x.volume === q.volume)).toBe(true);
  });

  it('rejected and pending_cancel trade updates drive the order state', async () => {
    const a = order({ side: 'buy', type: 'limit', qty: '1', tif: 'gtc', limitPrice: '150' });
    const b = order({ side: 'buy', type: 'limit', qty: '1', tif: 'gtc', limitPrice: '151' });
    await c.submit(a);
    await c.submit(b);
    await control(emu, 'reject-working', { client_order_id: a.clientOrderId });
    await control(emu, 'pending-cancel', { client_order_id: b.clientOrderId });
    await until(() => l.reports.some((r) => r.clientOrderId === a.clientOrderId && r.status === 'rejected'), { timeoutMs: 10_000, what: 'rejected' });
    await until(() => l.reports.some((r) => r.clientOrderId === b.clientOrderId && r.status === 'pending_cancel'), { timeoutMs: 10_000, what: 'pending cancel' });
  });

  it('an OTO (entry + one exit) goes as order_class oto; a DAY order expires at the close', async () => {
    const parent = order({ side: 'buy', type: 'limit', qty: '1', tif: 'day', limitPrice: '150' });
    const tp: Order = { ...order({ side: 'sell', type: 'limit', qty: '1', tif: 'day', limitPrice: '200' }), parentOrderId: parent.id, leg: 'take_profit' };
    await c.submitBracketOrders(parent, [tp]);
    expect(atVenue(parent.clientOrderId).order_class).toBe('oto');
    await control(emu, 'set-time', { time: '2026-11-18T21:00:01Z' }); // 16:00:01 New York
    await until(() => l.reports.some((r) => r.clientOrderId === parent.clientOrderId && r.status === 'expired'), { timeoutMs: 10_000, what: 'expired at the close' });
    await until(() => l.reports.some((r) => r.clientOrderId === tp.clientOrderId && r.status === 'cancelled'), { timeoutMs: 10_000, what: 'its exit cancelled' });
  });
});

describe('Alpaca session, limits and instruments', () => {
  it('a holiday in Alpaca’s calendar closes the market: the clock says closed, the preview warns, the difference is logged once', async () => {
    expect((await c.sessions.refresh(emu.now())).open).toBe(true);
    expect(c.sessionState(aapl(), emu.now())).toMatchObject({ open: true, phase: 'regular', nextClose: Date.parse('2026-11-18T21:00:00Z') });
    await control(emu, 'holiday', { date: '2026-11-18' });
    const logged: string[] = [];
    const warn = console.warn;
    console.warn = (line: string) => logged.push(line);
    try {
      const s = await c.sessions.refresh(emu.now());
      expect(s.open).toBe(false);
      expect(c.sessionState(aapl(), emu.now())).toMatchObject({ open: false, phase: 'closed', nextOpen: Date.parse('2026-11-19T14:30:00Z') });
      expect(c.sessionState(c.instrument('BTC/USD')!, emu.now())).toBeUndefined();
      expect(s.days.has('2026-11-18')).toBe(false);
      await c.sessions.refresh(emu.now());
    } finally {
      console.warn = warn;
    }
    expect(logged.filter((x) => x.includes('2026-11-18'))).toHaveLength(1);
    const p = await c.preview(aapl(), { side: 'buy', type: 'market', qty: '1', tif: 'day' });
    expect(p.warnings.map((w) => w.code)).toContain('market_closed');
    const o = order({ side: 'buy', type: 'market', qty: '1', tif: 'day' });
    await c.submit(o);
    expect((await c.lookup(o.clientOrderId))?.status).toBe('accepted');
  });

  it('X-RateLimit headers correct the limiter (another app used the key); a 429 burst on queries waits Retry-After and succeeds', async () => {
    for (let i = 0; i < 150; i++) await fetch(`${emu.url}/v2/clock`, { headers: { 'APCA-API-KEY-ID': emu.keyId, 'APCA-API-SECRET-KEY': emu.secret } });
    await c.openOrders();
    const used = c.health().usage?.budgets.find((b) => b.id === 'requests')?.used ?? 0;
    expect(used).toBeGreaterThanOrEqual(150);
    const before = emu.server.count('GET', '/v2/orders');
    emu.server.faults.arm({ kind: '429', count: 2, retryAfterS: 1, method: 'GET', path: '/v2/orders' });
    await c.openOrders();
    expect(emu.server.count('GET', '/v2/orders') - before).toBe(3);
  });

  it('instruments from /v2/assets: equities, ETFs and crypto with their sizes; symbols round-trip', () => {
    expect(c.instrument('AAPL')).toMatchObject({ assetClass: 'equity', fractional: true, session: 'us_equity' });
    expect(c.instrument('SPY')).toMatchObject({ assetClass: 'etf' });
    expect(c.instrument('GME')).toMatchObject({ fractional: false, lotSize: '1' });
    expect(c.instrument('BTCUSD')).toMatchObject({ symbol: 'BTC/USD', venueSymbol: 'BTC/USD', assetClass: 'crypto_spot', tickSize: '1', minQty: '0.0001', session: 'always' });
    for (const i of c.instruments()) {
      expect(c.instrument(i.symbol)).toBe(i);
      expect(c.instrument(i.venueSymbol)).toBe(i);
      expect(c.instrument(i.id)).toBe(i);
    }
  });
});
