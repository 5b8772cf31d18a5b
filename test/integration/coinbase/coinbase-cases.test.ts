/**
 * Coinbase's own cases against the emulator over real sockets: every order configuration round
 * trip, a repeated client id answered with the first order, edit (and Coinbase's refusal), cancel-all
 * across batch_cancel chunks, lookup by client id across history pages, the native preview, the
 * level2 book equal to the emulator's (and again after a sequence gap), a user socket dropped
 * mid-fill, and a JWT that is never stale however far the clock moves.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src-main/engine/ports/clock';
import type { Instrument } from '../../../src-main/engine/domain/instrument';
import type { Order } from '../../../src-main/engine/domain/order';
import type { NormalizedTicket } from '../../../src-main/engine/domain/order-validation';
import type { CoinbaseConnector } from '../../../src-main/engine/venues/coinbase';
import { VenueRejectedError } from '../../../src-main/engine/venues/venue-port';
import { RecordingListener, contractOrder } from '../../support/venue-contract';
import { until } from '../../support/until';
import type { CoinbaseEmulator } from '../../emulators/coinbase';
import { KEY_NAME, PRIVATE_PEM, byClientId, connectorRig, startEmulator, submitsSeen } from './coinbase-rig';
import { coinbaseJwt, parseCoinbaseKey } from '../../../src-main/engine/venues/coinbase/coinbase-auth';

let emu: CoinbaseEmulator;
let c: CoinbaseConnector;
let l: RecordingListener;
let inst: Instrument;
let close: () => void;

async function boot(now?: () => number): Promise<void> {
  emu = await startEmulator(now);
  const rig = await connectorRig(emu, now);
  c = rig.connector;
  close = rig.close;
  l = new RecordingListener();
  await c.start(l);
  await until(() => c.state().state === 'connected', { timeoutMs: 10_000, what: 'coinbase connected' });
  inst = c.instrument('BTC/USD')!;
}

afterEach(async () => {
  await c?.stop();
  await emu?.stop();
  close?.();
});

const order = (o: Partial<Order>): Order => ({ ...contractOrder('cb', inst, { side: 'buy', type: 'limit', qty: '0.01', limitPrice: '50000', tif: 'gtc' }), ...o });

describe('coinbase: orders', () => {
  beforeEach(() => boot(), 30_000);

  const configs: Array<[string, Partial<Order>, string, Partial<{ type: string; tif: string }>]> = [
    ['market by base size', { type: 'market', tif: 'ioc', limitPrice: undefined }, 'market_market_ioc', { type: 'market' }],
    ['market by quote size', { type: 'market', tif: 'ioc', limitPrice: undefined, qty: '0', notional: '100' }, 'market_market_ioc', { type: 'market' }],
    ['limit GTC post-only', { postOnly: true }, 'limit_limit_gtc', { type: 'limit', tif: 'gtc' }],
    ['limit GTD', { tif: 'gtd', expireAt: Date.now() + 86_400_000 }, 'limit_limit_gtd', { type: 'limit', tif: 'gtd' }],
    ['limit FOK', { tif: 'fok' }, 'limit_limit_fok', { type: 'limit', tif: 'fok' }],
    ['limit IOC (sor_limit_ioc)', { tif: 'ioc' }, 'sor_limit_ioc', { type: 'limit', tif: 'ioc' }],
    ['stop-limit', { type: 'stop_limit', stopPrice: '70000', limitPrice: '70100' }, 'stop_limit_stop_limit_gtc', { type: 'stop_limit', tif: 'gtc' }],
  ];
  for (const [name, o, kind, terms] of configs)
    it(`round trip: ${name}`, async () => {
      const x = order(o);
      const ack = await c.submit(x);
      expect(Object.keys(byClientId(emu, x.clientOrderId)!.order_configuration)).toEqual([kind]);
      const r = await c.lookup(x.clientOrderId);
      expect(r).toMatchObject({ venueOrderId: ack.venueOrderId, instrumentId: inst.id, ...terms });
    });

  it("a stop-limit's direction comes from its stop against the market (level2 mid 60000): a sell stop above it rises, one below falls", async () => {
    await until(() => c.quote(inst.id)?.ask, { timeoutMs: 10_000, what: 'BTC-USD book' });
    const dirOf = async (stopPrice: string) => {
      const x = order({ side: 'sell', type: 'stop_limit', stopPrice, limitPrice: stopPrice });
      await c.submit(x);
      return byClientId(emu, x.clientOrderId)!.order_configuration['stop_limit_stop_limit_gtc']!['stop_direction'];
    };
    expect(await dirOf('65000')).toBe('STOP_DIRECTION_STOP_UP');
    expect(await dirOf('55000')).toBe('STOP_DIRECTION_STOP_DOWN');
  });

  it("quotes carry the ticker channel's last price and 24 h volume, high and low (the watchlist's day columns); a trade moves them", async () => {
    // The emulator's row has the documented ticker fields.
    expect(Object.keys(emu.tickers.row('BTC-USD')!).sort()).toEqual(
      [
        'type',
        'product_id',
        'price',
        'volume_24_h',
        'low_24_h',
        'high_24_h',
        'low_52_w',
        'high_52_w',
        'price_percent_chg_24_h',
        'best_bid',
        'best_bid_quantity',
        'best_ask',
        'best_ask_quantity',
      ].sort(),
    );
    await until(() => c.quote(inst.id)?.volume && c.quote(inst.id)?.ask, { timeoutMs: 10_000, what: 'BTC-USD ticker and book' });
    expect(c.quote(inst.id)).toMatchObject({ last: '60000', volume: '1234.5', dayHigh: '61200', dayLow: '58800' });
    const x = order({ qty: '0.25' });
    await c.submit(x);
    emu.fill(x.clientOrderId, '0.25', '50000');
    await until(() => c.quote(inst.id)?.volume === '1234.75', { timeoutMs: 10_000, what: 'ticker after the trade' });
    expect(c.quote(inst.id)).toMatchObject({ last: '50000', dayHigh: '61200', dayLow: '50000' });
  });

  it('a repeated client id is answered with the first order (Coinbase deduplicates), one order at the venue', async () => {
    const x = order({});
    const a = await c.submit(x);
    const b = await c.submit(x);
    expect(b.venueOrderId).toBe(a.venueOrderId);
    expect([...emu.orders.values()].filter((o) => o.client_order_id === x.clientOrderId)).toHaveLength(1);
  });

  it('edit changes price and size in place; Coinbase refuses to edit a stop-limit, with its reason', async () => {
    const x = order({});
    const ack = await c.submit(x);
    const r = await c.replace({ ...x, venueOrderId: ack.venueOrderId }, { limitPrice: '49000', qty: '0.02' });
    expect(r).toMatchObject({ venueOrderId: ack.venueOrderId, limitPrice: '49000', qty: '0.02' });
    expect(byClientId(emu, x.clientOrderId)!.order_configuration['limit_limit_gtc']).toMatchObject({ limit_price: '49000', base_size: '0.02' });
    const s = order({ type: 'stop_limit', stopPrice: '70000', limitPrice: '70100' });
    await c.submit(s);
    const err = await c.replace(s, { limitPrice: '70200' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VenueRejectedError);
    expect((err as Error).message).toContain('ONLY_LIMIT_ORDER_EDITS_SUPPORTED');
  });

  it('bracket: the entry with trigger_bracket_gtc attached (no size), one order; the exit works once the entry fills', async () => {
    const entry = order({});
    const leg = (o: Partial<Order>): Order => ({ ...order({ side: 'sell', ...o }), parentOrderId: entry.id });
    const tp = leg({ type: 'limit', limitPrice: '55000', leg: 'take_profit' });
    const sl = leg({ type: 'stop', limitPrice: undefined, stopPrice: '45000', leg: 'stop_loss' });
    const acks = await c.submitBracketOrders(entry, [tp, sl]);
    const wire = JSON.parse(emu.server.requests.find((r) => r.method === 'POST' && r.path === '/api/v3/brokerage/orders' && r.body.includes(entry.clientOrderId))!.body) as Record<string, unknown>;
    expect(wire['order_configuration']).toEqual({ limit_limit_gtc: { base_size: '0.01', limit_price: '50000', post_only: false } });
    expect(wire['attached_order_configuration']).toEqual({ trigger_bracket_gtc: { limit_price: '55000', stop_trigger_price: '45000' } });
    const parent = byClientId(emu, entry.clientOrderId)!;
    expect(acks).toEqual([
      { venueOrderId: parent.order_id, status: 'accepted' },
      { venueOrderId: parent.attached_order_id, status: 'submitted' },
      { venueOrderId: parent.attached_order_id, status: 'submitted' },
    ]);
    expect(submitsSeen(emu, entry.clientOrderId)).toBe(1);
    const exit = emu.orders.get(parent.attached_order_id!)!;
    expect(exit).toMatchObject({ side: 'SELL', status: 'PENDING', originating_order_id: parent.order_id });
    expect(exit.order_configuration).toEqual({ trigger_bracket_gtc: { limit_price: '55000', stop_trigger_price: '45000', base_size: '0.01' } });
    emu.fill(entry.clientOrderId, '0.01', '50000');
    expect(exit.status).toBe('OPEN');
  });

  it('bracket: Coinbase refuses exits that do not bracket the entry, in its words; a lone exit is refused before sending', async () => {
    const entry = order({});
    const leg = (o: Partial<Order>): Order => ({ ...order({ side: 'sell', ...o }), parentOrderId: entry.id });
    const tp = leg({ type: 'limit', limitPrice: '45000', leg: 'take_profit' });
    const sl = leg({ type: 'stop', limitPrice: undefined, stopPrice: '55000', leg: 'stop_loss' });
    const err = await c.submitBracketOrders(entry, [tp, sl]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VenueRejectedError);
    expect((err as Error).message).toContain('must bracket the BUY entry at 50000');
    expect(byClientId(emu, entry.clientOrderId)).toBeUndefined();
    const lone = order({});
    await expect(c.submitBracketOrders(lone, [{ ...tp, limitPrice: '55000' }])).rejects.toThrow(/both a take-profit limit and a stop-loss trigger/);
    expect(submitsSeen(emu, lone.clientOrderId)).toBe(0);
  });

  it('cancel-all: every OPEN order, across more than one batch_cancel of 100', async () => {
    for (let i = 0; i < 130; i++) emu.external({ product_id: 'BTC-USD', side: 'BUY', base_size: '0.01', limit_price: '40000' });
    const r = await c.cancelAll();
    expect(r.cancelled).toHaveLength(130);
    expect(r.failed).toEqual([]);
    expect(emu.server.count('POST', '/api/v3/brokerage/orders/batch_cancel')).toBe(2);
    expect([...emu.orders.values()].filter((o) => o.status === 'OPEN')).toEqual([]);
  });

  it('cancel of a filled order: Coinbase says why, per order', async () => {
    const x = order({});
    await c.submit(x);
    emu.fill(x.clientOrderId, '0.01', '50000');
    await expect(c.cancel(x)).rejects.toThrow(/INVALID_CANCEL_REQUEST/);
  });

  it('lookup by client id pages through historical orders (no direct endpoint), within a bound', async () => {
    const x = order({});
    await c.submit(x);
    for (let i = 0; i < 300; i++) emu.external({ product_id: 'BTC-USD', side: 'BUY', base_size: '0.01', limit_price: '40000' });
    // A fresh connector knows no ids: only paging finds the oldest order.
    const rig = await connectorRig(emu);
    try {
      const before = emu.server.count('GET', '/api/v3/brokerage/orders/historical/batch');
      const r = await rig.connector.lookup(x.clientOrderId);
      expect(r).toMatchObject({ clientOrderId: x.clientOrderId, status: 'accepted' });
      expect(emu.server.count('GET', '/api/v3/brokerage/orders/historical/batch') - before).toBe(2);
      expect(submitsSeen(emu, x.clientOrderId)).toBe(1);
    } finally {
      await rig.connector.stop();
      rig.close();
    }
  });

  it("preview: Coinbase's own commission and total, its errors as violations", async () => {
    const t: NormalizedTicket = { side: 'buy', type: 'limit', qty: '0.1', limitPrice: '50000', tif: 'gtc' };
    const p = await c.preview(inst, t);
    expect(p).toMatchObject({ estPrice: '50000', estNotional: '5000', estFee: '20', estTotal: '5020', currency: 'USD' });
    expect(p.violations).toEqual([]);
    const big = await c.preview(inst, { ...t, qty: '10' });
    expect(big.violations.map((v) => v.code)).toContain('coinbase_preview_insufficient_fund');
  });

  it('a user socket dropped mid-fill: the later fill is found once through REST after the reconnect', async () => {
    const x = order({ qty: '0.02' });
    await c.submit(x);
    emu.fill(x.clientOrderId, '0.01', '50000');
    await until(() => l.fills.some((f) => f.clientOrderId === x.clientOrderId), { timeoutMs: 10_000, what: 'first fill streamed' });
    const from = l.states.length;
    emu.server.dropSockets();
    emu.fill(x.clientOrderId, '0.01', '50000');
    await until(() => l.states.slice(from).some((s) => s.state === 'disconnected'), { timeoutMs: 10_000, what: 'drop seen' });
    await until(() => c.state().state === 'connected', { timeoutMs: 10_000, what: 'reconnected' });
    const mine = (await c.fillsSince(0)).filter((f) => f.clientOrderId === x.clientOrderId);
    expect(mine.map((f) => f.qty)).toEqual(['0.01', '0.01']);
    expect(new Set(mine.map((f) => f.venueFillId)).size).toBe(2);
  });
});

describe('coinbase: level2 book', () => {
  beforeEach(() => boot(), 30_000);

  const emuBook = () => ({
    bids: emu.books.levels('BTC-USD', 'bid').map((x) => ({ price: x.price, qty: x.size })),
    asks: emu.books.levels('BTC-USD', 'offer').map((x) => ({ price: x.price, qty: x.size })),
  });
  const norm = (xs: ReadonlyArray<{ price: string; qty: string }>) => xs.map((x) => ({ price: String(Number(x.price)), qty: String(Number(x.qty)) }));
  const same = () => {
    const b = c.book(inst.id, 100);
    return b !== undefined && JSON.stringify({ bids: norm(b.bids), asks: norm(b.asks) }) === JSON.stringify({ bids: norm(emuBook().bids), asks: norm(emuBook().asks) });
  };

  it('snapshot then updates (size "0" deletes) build the emulator\'s book; the top is the quote', async () => {
    await until(() => c.book(inst.id, 100) !== undefined, { timeoutMs: 10_000, what: 'book snapshot' });
    emu.setBook('BTC-USD', [
      { side: 'bid', price: '59999.5', size: '3' },
      { side: 'offer', price: '60001', size: '0' },
      { side: 'offer', price: '60000.25', size: '0.75' },
    ]);
    await until(same, { timeoutMs: 10_000, what: 'books equal' });
    expect(c.quote(inst.id)).toMatchObject({ bid: '59999.5', bidSize: '3', ask: '60000.25', askSize: '0.75' });
    expect(c.book(inst.id, 100)!.asks.map((a) => a.price)).not.toContain('60001');
  });

  it("a sequence_num jump on the market socket: the book resyncs from a fresh snapshot and equals the emulator's", async () => {
    await until(() => c.book(inst.id, 100) !== undefined, { timeoutMs: 10_000, what: 'book snapshot' });
    emu.streams.gapNext('l2_data', 2);
    emu.setBook('BTC-USD', [{ side: 'bid', price: '59990', size: '1' }]);
    // The update that carried the gap is not applied; the reconnect's snapshot brings it.
    await until(() => l.states.some((s) => s.state === 'degraded' && /lost frames/.test(s.detail)), { timeoutMs: 10_000, what: 'gap seen' });
    await until(same, { timeoutMs: 10_000, what: 'books equal after resync' });
    expect(c.book(inst.id, 100)!.bids[0]).toEqual({ price: '59999', qty: '0.5' });
    expect(c.book(inst.id, 100)!.bids.map((b) => b.price)).toContain('59990');
  });
});

describe('coinbase: JWT', () => {
  it('every request carries a fresh JWT, however far the clock moves (the emulator refuses stale ones; none refused)', async () => {
    const clock = new ManualClock(Date.now());
    await boot(() => clock.now());
    for (let i = 0; i < 3; i++) {
      clock.set(clock.now() + 10 * 60_000);
      await c.openOrders();
      await c.balances();
    }
    expect(emu.server.requests.filter((r) => r.outcome === 401)).toEqual([]);
    expect(emu.server.requests.length).toBeGreaterThan(6);
  });
});

describe('coinbase: request budget', () => {
  it("past 30 signed requests in one second the emulator answers 429 with Coinbase's body", async () => {
    const clock = new ManualClock(Date.now());
    await boot(() => clock.now());
    const key = parseCoinbaseKey(KEY_NAME, PRIVATE_PEM);
    const path = '/api/v3/brokerage/accounts';
    clock.set(clock.now() + 1000);
    const tokens = await Promise.all(Array.from({ length: 40 }, () => coinbaseJwt(key, clock.now(), 'GET', `${emu.url}${path}`)));
    const raw = await Promise.all(
      tokens.map(async (t) => {
        const r = await fetch(`${emu.url}${path}`, { headers: { authorization: `Bearer ${t}` } });
        return { status: r.status, body: await r.text() };
      }),
    );
    expect(raw.filter((r) => r.status === 200)).toHaveLength(30);
    const limited = raw.filter((r) => r.status === 429);
    expect(limited).toHaveLength(10);
    expect(JSON.parse(limited[0]!.body)).toEqual({ errors: [{ id: 'rate_limit_exceeded', message: 'Too many requests' }] });
  });

  it("our connector's shared budget carries a burst of 60 reads through (a 429 is waited out, never an error)", async () => {
    await boot();
    const results = await Promise.all(Array.from({ length: 60 }, () => c.openOrders()));
    expect(results).toHaveLength(60);
    for (const r of results) expect(r).toEqual([]);
  });
});
