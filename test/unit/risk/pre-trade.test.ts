import { describe, expect, it } from 'vitest';
import { LIMIT_FIELDS, resolveLimits, type RiskConfig, type RiskLimits } from '../../../src-main/engine/domain/risk-limits';
import { checkOrder, dailyLossBreached, evaluateOrder, type PreTradeContext, type PreTradeInstrument, type PreTradeOrder, collarBand } from '../../../src-main/engine/risk/pre-trade';
import { Decimal } from '../../../src-main/engine/domain/money';

const NOW = Date.UTC(2026, 0, 5, 15, 0, 0);
const ALL_OFF: RiskLimits = Object.fromEntries(LIMIT_FIELDS.map((f) => [f, 'off']));

const AAPL: PreTradeInstrument = { id: 'alpaca:AAPL', venue: 'alpaca', symbol: 'AAPL', quote: 'USD', multiplier: '1', session: 'us_equity' };
const ES: PreTradeInstrument = { id: 'ibkr:495512563', venue: 'ibkr', symbol: 'ES:FUT:20260320', quote: 'USD', multiplier: '50', session: 'cme_equity_futures' };
const BTC_USDT: PreTradeInstrument = { id: 'binance:BTCUSDT', venue: 'binance', symbol: 'BTC/USDT', quote: 'USDT', multiplier: '1', session: 'always' };

/** Only the limits a test names are on, so each test sees exactly the check it is about. */
function limits(on: RiskLimits, inst: PreTradeInstrument = AAPL, cfg?: Partial<RiskConfig>) {
  return resolveLimits({ version: 1, global: { ...ALL_OFF, ...on }, venues: {}, instruments: {}, ...cfg }, inst.venue, inst.id);
}

type Over = Partial<Omit<PreTradeContext, 'order'>> & { order?: Partial<PreTradeOrder> };
function ctx(over: Over = {}, on: RiskLimits = {}): PreTradeContext {
  const inst = over.order?.instrument ?? AAPL;
  const { order, ...rest } = over;
  return {
    order: { side: 'buy', type: 'limit', qty: '10', limitPrice: '100', instrument: inst, ...order },
    limits: limits(on, inst),
    quote: { bid: '99.95', ask: '100.05', last: '100', ts: NOW - 1000 },
    now: NOW,
    position: { qty: '0', avgPrice: '0' },
    account: { equity: '100000', currency: 'USD' },
    openOrders: { total: 0, venue: 0, instrument: 0 },
    ordersLastMinute: 0,
    pnlToday: { realized: '0', unrealized: '0' },
    halt: 'running',
    session: { open: true },
    ...rest,
  };
}

const codes = (issues: Array<{ code: string }>) => issues.map((i) => i.code);

describe('a clean order', () => {
  it('passes with no violations or warnings when every limit is off', () => {
    const r = evaluateOrder(ctx());
    expect(r).toMatchObject({ allowed: true, violations: [], warnings: [], reduces: false, estPrice: '100', estNotional: '1000' });
  });
});

describe('max order quantity', () => {
  it('blocks above the limit with both numbers and the scope', () => {
    const v = checkOrder(ctx({ order: { qty: '150' } }, { maxOrderQty: '100' }));
    expect(v).toEqual([
      {
        code: 'risk.max_order_qty',
        message: 'Order quantity 150 exceeds your max order quantity of 100 (global limit). Reduce the quantity or raise the limit (tradeport risk set).',
      },
    ]);
  });
  it('allows exactly the limit, with a near-limit warning', () => {
    const r = evaluateOrder(ctx({ order: { qty: '100' } }, { maxOrderQty: '100' }));
    expect(r.violations).toEqual([]);
    expect(codes(r.warnings)).toEqual(['risk.near_max_order_qty']);
  });
});

describe('max order notional', () => {
  it('explains the breach in the trader-facing form', () => {
    const v = checkOrder(ctx({ order: { qty: '250', limitPrice: '100' } }, { maxOrderNotional: '10000' }));
    expect(v).toEqual([
      {
        code: 'risk.max_order_notional',
        message: 'Order notional 25,000.00 USD exceeds your max order notional of 10,000.00 USD (global limit). Reduce the quantity or raise the limit (tradeport risk set).',
      },
    ]);
  });
  it('prices a market buy at the ask and applies the contract multiplier', () => {
    // 2 ES at 5000.25 × 50 = 500,025 USD.
    const r = evaluateOrder(ctx({ order: { instrument: ES, type: 'market', qty: '2', limitPrice: undefined }, quote: { bid: '5000', ask: '5000.25', ts: NOW } }, { maxOrderNotional: '250000' }));
    expect(r.estNotional).toBe('500025');
    expect(r.violations[0]?.message).toContain('500,025.00 USD exceeds your max order notional of 250,000.00 USD');
  });
  it('converts a USDT notional into the account currency, and refuses when no rate is known', () => {
    const base = { order: { instrument: BTC_USDT, qty: '0.5', limitPrice: '60000' }, quote: { bid: '59990', ask: '60010', ts: NOW } };
    const noRate = checkOrder(ctx(base, { maxOrderNotional: '20000' }));
    expect(codes(noRate)).toEqual(['risk.no_fx_rate']);
    expect(noRate[0]!.message).toContain('USDT→USD');
    const withRate = evaluateOrder(ctx({ ...base, account: { equity: '100000', currency: 'USD', quoteToAccount: '0.5' } }, { maxOrderNotional: '20000' }));
    expect(withRate.estNotional).toBe('15000');
    expect(withRate.violations).toEqual([]);
    // The same order at rate 1 is 30,000 USD and breaches.
    const atPar = checkOrder(ctx({ ...base, account: { equity: '100000', currency: 'USD', quoteToAccount: '1' } }, { maxOrderNotional: '20000' }));
    expect(codes(atPar)).toEqual(['risk.max_order_notional']);
  });
});

describe('max position', () => {
  it('counts the existing position and working orders on the same side', () => {
    const v = checkOrder(ctx({ order: { qty: '30' }, position: { qty: '60', avgPrice: '90' }, workingQty: { buy: '20', sell: '0' } }, { maxPositionQty: '100' }));
    expect(codes(v)).toEqual(['risk.max_position_qty']);
    expect(v[0]!.message).toBe('The resulting long position in AAPL 110 exceeds your max position quantity of 100 (global limit). Reduce the quantity or raise the limit (tradeport risk set).');
    // Without the working 20 the same order fits.
    expect(checkOrder(ctx({ order: { qty: '30' }, position: { qty: '60', avgPrice: '90' } }, { maxPositionQty: '100' }))).toEqual([]);
  });
  it('never refuses an order that shrinks a position already over a (lowered) limit', () => {
    const c = ctx({ order: { side: 'sell', qty: '30' }, position: { qty: '150', avgPrice: '90' } }, { maxPositionQty: '100', maxPositionNotional: '1000', maxConcentrationPct: '1' });
    expect(checkOrder(c)).toEqual([]);
  });
  it('checks a short as its absolute size', () => {
    const v = checkOrder(ctx({ order: { side: 'sell', qty: '120' } }, { maxPositionQty: '100' }));
    expect(v[0]?.message).toContain('short position in AAPL 120 exceeds your max position quantity of 100');
  });
  it('values the position notional at the market with the multiplier', () => {
    // Long 3 ES + buy 2 = 5 × 5000.125 mid × 50 = 1,250,031.25
    const v = checkOrder(
      ctx({ order: { instrument: ES, qty: '2', limitPrice: '5000' }, position: { qty: '3', avgPrice: '4900' }, quote: { bid: '5000', ask: '5000.25', ts: NOW } }, { maxPositionNotional: '1000000' }),
    );
    expect(codes(v)).toEqual(['risk.max_position_notional']);
    expect(v[0]!.message).toContain('valued at 1,250,031.25 USD exceeds your max position notional of 1,000,000.00 USD');
  });
});

describe('concentration', () => {
  it('blocks a position above the share of equity, with the percentage and amounts', () => {
    const v = checkOrder(ctx({ order: { qty: '60' }, account: { equity: '10000', currency: 'USD' } }, { maxConcentrationPct: '50' }));
    expect(codes(v)).toEqual(['risk.concentration']);
    expect(v[0]!.message).toBe(
      'AAPL would be 60.00 % of your equity (6,000.00 USD of 10,000.00 USD), which exceeds your max concentration of 50.00 % (global limit). Reduce the quantity or raise the limit (tradeport risk set).',
    );
  });
  it('allows under the limit and warns within 10 % of it', () => {
    expect(evaluateOrder(ctx({ order: { qty: '40' }, account: { equity: '10000', currency: 'USD' } }, { maxConcentrationPct: '50' })).warnings).toEqual([]);
    const r = evaluateOrder(ctx({ order: { qty: '46' }, account: { equity: '10000', currency: 'USD' } }, { maxConcentrationPct: '50' }));
    expect(r.violations).toEqual([]);
    expect(codes(r.warnings)).toEqual(['risk.near_concentration']);
  });
  it('refuses any new position when equity is zero or negative', () => {
    const v = checkOrder(ctx({ order: { qty: '1' }, account: { equity: '-5', currency: 'USD' } }, { maxConcentrationPct: '50' }));
    expect(codes(v)).toEqual(['risk.concentration']);
    expect(v[0]!.message).toContain('Account equity is -5.00 USD');
  });
});

describe('daily loss limit', () => {
  const losing = { pnlToday: { realized: '-700', unrealized: '-400' } };
  it('blocks new exposure, names realized and unrealized, and asks for the kill switch', () => {
    const r = evaluateOrder(ctx(losing, { dailyLossLimit: '1000' }));
    expect(codes(r.violations)).toEqual(['risk.daily_loss']);
    expect(r.violations[0]!.message).toContain("Today's loss of 1,100.00 USD (realized -700.00 USD, unrealized -400.00 USD) has reached your daily loss limit of 1,000.00 USD (global limit)");
    expect(r.tripKillSwitch?.reason).toContain('1,100.00 USD');
    expect(dailyLossBreached(limits({ dailyLossLimit: '1000' }), losing.pnlToday)).toBe(true);
  });
  it('still lets a reducing order out, while asking for the trip', () => {
    const r = evaluateOrder(ctx({ ...losing, order: { side: 'sell', qty: '5' }, position: { qty: '10', avgPrice: '110' } }, { dailyLossLimit: '1000' }));
    expect(r.violations).toEqual([]);
    expect(r.tripKillSwitch).not.toBeNull();
  });
  it('does not fire for a profit or a loss under the limit, warns near it', () => {
    expect(evaluateOrder(ctx({ pnlToday: { realized: '5000', unrealized: '-4000' } }, { dailyLossLimit: '1000' })).tripKillSwitch).toBeNull();
    expect(dailyLossBreached(limits({ dailyLossLimit: '1000' }), { realized: '-999.99', unrealized: '0' })).toBe(false);
    const near = evaluateOrder(ctx({ pnlToday: { realized: '-950', unrealized: '0' } }, { dailyLossLimit: '1000' }));
    expect(near.violations).toEqual([]);
    expect(codes(near.warnings)).toEqual(['risk.near_daily_loss']);
  });
});

describe('price collar', () => {
  it('blocks a limit outside N % of mid and gives the allowed band', () => {
    const v = checkOrder(ctx({ order: { limitPrice: '106' }, quote: { bid: '99.9', ask: '100.1', ts: NOW } }, { priceCollarPct: '5' }));
    expect(v).toEqual([
      {
        code: 'risk.price_collar',
        message:
          'Limit price 106 is 6.00 % above the mid price of 100, outside your price collar of 5.00 % (global limit): the collar allows 95 to 105. Blocked: on the aggressive side (a buy above the market) the collar refuses. Check the price for a typo, or raise the limit (tradeport risk set).',
      },
    ]);
    expect(codes(checkOrder(ctx({ order: { side: 'sell', limitPrice: '94' }, quote: { bid: '99.9', ask: '100.1', ts: NOW } }, { priceCollarPct: '5' })))).toEqual(['risk.price_collar']);
  });
  it('allows a limit inside the collar, warning when it is far through the market', () => {
    const r = evaluateOrder(ctx({ order: { limitPrice: '104' }, quote: { bid: '99.9', ask: '100.1', ts: NOW } }, { priceCollarPct: '5' }));
    expect(r.violations).toEqual([]);
    expect(codes(r.warnings)).toEqual(['risk.through_market']);
    expect(r.warnings[0]!.message).toContain('3.90 % above the ask of 100.1');
    // At the touch: nothing to say.
    expect(evaluateOrder(ctx({ order: { limitPrice: '100.1' }, quote: { bid: '99.9', ask: '100.1', ts: NOW } }, { priceCollarPct: '5' })).warnings).toEqual([]);
  });
  it('uses last when there is no two-sided quote', () => {
    expect(codes(checkOrder(ctx({ order: { limitPrice: '120' }, quote: { last: '100', ts: NOW } }, { priceCollarPct: '5' })))).toEqual(['risk.price_collar']);
  });
  it('without a quote a limit order is not blocked but the trader is told the collar was not checked', () => {
    const r = evaluateOrder(ctx({ order: { limitPrice: '1000' }, quote: null }, { priceCollarPct: '5' }));
    expect(r.violations).toEqual([]);
    expect(codes(r.warnings)).toEqual(['risk.no_quote']);
  });
  it('a stale quote is not used for the collar; a limit away from the last market rests with a warning', () => {
    const r = evaluateOrder(ctx({ order: { limitPrice: '80' }, quote: { bid: '99', ask: '101', ts: NOW - 60_000 } }, { priceCollarPct: '5', maxQuoteAgeMs: '10000' }));
    expect(r.violations).toEqual([]);
    expect(codes(r.warnings)).toEqual(['risk.stale_quote']);
    expect(r.warnings[0]!.message).toContain('60.0 s old');
  });
  it('a passive limit outside the collar (a deep bid, a high offer) only warns, and says so', () => {
    const q = { bid: '99.9', ask: '100.1', ts: NOW };
    const bid = evaluateOrder(ctx({ order: { limitPrice: '80' }, quote: q }, { priceCollarPct: '5' }));
    expect(bid.allowed).toBe(true);
    expect(codes(bid.warnings)).toEqual(['risk.price_collar_passive']);
    expect(bid.warnings[0]!.message).toContain('20.00 % below the mid price of 100');
    expect(bid.warnings[0]!.message).toContain('Warning only: on the passive side (a bid below the market)');
    const offer = evaluateOrder(ctx({ order: { side: 'sell', limitPrice: '120' }, quote: q }, { priceCollarPct: '5' }));
    expect(offer.allowed).toBe(true);
    expect(codes(offer.warnings)).toEqual(['risk.price_collar_passive']);
    expect(offer.warnings[0]!.message).toContain('(an offer above the market)');
    // the aggressive side of the same distance blocks
    const sell = evaluateOrder(ctx({ order: { side: 'sell', limitPrice: '80' }, quote: q }, { priceCollarPct: '5' }));
    expect(codes(sell.violations)).toEqual(['risk.price_collar']);
    expect(sell.violations[0]!.message).toContain('Blocked: on the aggressive side (a sell below the market)');
  });
  it('rounds the collar band to the tick: the low bound up, the high bound down', () => {
    const inst = { ...AAPL, tickSize: '0.25' };
    const v = checkOrder(ctx({ order: { instrument: inst, limitPrice: '110' }, quote: { bid: '100.30', ask: '100.40', ts: NOW } }, { priceCollarPct: '5' }));
    // mid 100.35: 95.3325 .. 105.3675 → 95.5 .. 105.25
    expect(v[0]!.message).toContain('the collar allows 95.5 to 105.25');
    expect(collarBand(new Decimal('100.35'), new Decimal('5'), new Decimal('0.01'))).toEqual({ lo: new Decimal('95.34'), hi: new Decimal('105.36') });
  });
  it('a stop-limit is collared against its stop price, with or without a quote', () => {
    const v = checkOrder(ctx({ order: { type: 'stop_limit', stopPrice: '100', limitPrice: '120' }, quote: null }, { priceCollarPct: '5' }));
    expect(codes(v)).toEqual(['risk.price_collar']);
    expect(v[0]!.message).toContain('above the stop price of 100');
    expect(checkOrder(ctx({ order: { type: 'stop_limit', stopPrice: '100', limitPrice: '101' }, quote: null }, { priceCollarPct: '5' }))).toEqual([]);
  });
});

describe('quotes for market orders', () => {
  const market = { type: 'market' as const, limitPrice: undefined };
  it('refuses a market order without a quote', () => {
    const v = checkOrder(ctx({ order: market, quote: null }, { maxQuoteAgeMs: '10000' }));
    expect(v).toEqual([{ code: 'risk.no_quote', message: "There is no quote for AAPL on alpaca, so a market order's price is unknown. Wait for a quote, or use a limit order." }]);
  });
  it('refuses a market order on a stale quote, saying how old it is', () => {
    const v = checkOrder(ctx({ order: market, quote: { bid: '99', ask: '101', ts: NOW - 30_000 } }, { maxQuoteAgeMs: '10000' }));
    expect(codes(v)).toEqual(['risk.stale_quote']);
    expect(v[0]!.message).toContain('30.0 s old (max quote age 10.0 s, global limit)');
  });
  it('blocks a limit that could execute at once on a stale quote (a buy 400 with the market near 200), saying why', () => {
    const stale = { bid: '199.9', ask: '200.1', ts: NOW - 60_000 };
    const r = evaluateOrder(ctx({ order: { limitPrice: '400' }, quote: stale }, { priceCollarPct: '5', maxQuoteAgeMs: '10000' }));
    expect(r.allowed).toBe(false);
    expect(codes(r.violations)).toEqual(['risk.stale_quote']);
    expect(r.violations[0]!.message).toContain('could execute at once');
    expect(r.violations[0]!.message).toContain('no fresh price could be fetched');
    // with the collar off too: the stale quote still blocks what is marketable
    expect(codes(checkOrder(ctx({ order: { side: 'sell', limitPrice: '150' }, quote: stale }, { maxQuoteAgeMs: '10000' })))).toEqual(['risk.stale_quote']);
    // a stop already through the market, or a stop-limit that would trigger and cross
    expect(codes(checkOrder(ctx({ order: { type: 'stop', limitPrice: undefined, stopPrice: '190' }, quote: stale }, { maxQuoteAgeMs: '10000' })))).toEqual(['risk.stale_quote']);
    expect(codes(checkOrder(ctx({ order: { type: 'stop_limit', stopPrice: '190', limitPrice: '201' }, quote: stale }, { maxQuoteAgeMs: '10000' })))).toEqual(['risk.stale_quote']);
    // passive ones rest: a stop above the market, a bid below it
    expect(checkOrder(ctx({ order: { type: 'stop', limitPrice: undefined, stopPrice: '210' }, quote: stale }, { maxQuoteAgeMs: '10000' }))).toEqual([]);
    expect(checkOrder(ctx({ order: { limitPrice: '190' }, quote: stale }, { maxQuoteAgeMs: '10000' }))).toEqual([]);
    // inside the spread (below the ask): it rests, with a warning that says the quote is old even with the collar off
    const inside = evaluateOrder(ctx({ order: { limitPrice: '200.05' }, quote: stale }, { maxQuoteAgeMs: '10000' }));
    expect(inside.violations).toEqual([]);
    expect(codes(inside.warnings)).toEqual(['risk.stale_quote']);
    expect(inside.warnings[0]!.message).toContain('should rest rather than execute at once');
  });
  it('a quote whose feed is down is stale at any age: the market order is refused, a marketable limit blocked, saying the feed is down', () => {
    const feedDown = { bid: '99', ask: '101', ts: NOW - 1_000, stale: true };
    const v = checkOrder(ctx({ order: market, quote: feedDown }, { maxQuoteAgeMs: '10000' }));
    expect(codes(v)).toEqual(['risk.stale_quote']);
    expect(v[0]!.message).toContain('from a market-data feed that is down (last update 1.0 s ago)');
    // No max quote age configured: a feed known to be down still counts.
    expect(codes(checkOrder(ctx({ order: { limitPrice: '102' }, quote: feedDown })))).toEqual(['risk.stale_quote']);
    // The same quote without the flag is fresh.
    expect(checkOrder(ctx({ order: market, quote: { ...feedDown, stale: false } }, { maxQuoteAgeMs: '10000' }))).toEqual([]);
  });
  it('accepts a market order on a fresh quote and prices a sell at the bid', () => {
    const r = evaluateOrder(ctx({ order: { ...market, side: 'sell' }, quote: { bid: '99', ask: '101', ts: NOW - 9_999 } }, { maxQuoteAgeMs: '10000' }));
    expect(r.violations).toEqual([]);
    expect(r.estPrice).toBe('99');
  });
});

describe('open orders and order rate', () => {
  it('counts open orders at the scope of the limit that applies', () => {
    const cfg = { instruments: { alpaca: { 'alpaca:AAPL': { maxOpenOrders: '2' } } } };
    const inst = ctx({ openOrders: { total: 100, venue: 40, instrument: 2 } });
    const v = checkOrder({ ...inst, limits: limits({ maxOpenOrders: '500' }, AAPL, cfg) });
    expect(v).toEqual([
      {
        code: 'risk.max_open_orders',
        message: 'You have 2 open orders for AAPL; one more exceeds your max open orders of 2 (limit for AAPL on alpaca). Cancel some working orders or raise the limit (tradeport risk set).',
      },
    ]);
    expect(checkOrder({ ...ctx({ openOrders: { total: 100, venue: 40, instrument: 1 } }), limits: limits({ maxOpenOrders: '500' }, AAPL, cfg) })).toEqual([]);
    expect(codes(checkOrder(ctx({ openOrders: { total: 50, venue: 0, instrument: 0 } }, { maxOpenOrders: '50' })))).toEqual(['risk.max_open_orders']);
  });
  it('refuses the order that would exceed the per-minute rate', () => {
    const v = checkOrder(ctx({ ordersLastMinute: 60, actorLabel: 'strategy dca-1' }, { maxOrdersPerMinute: '60' }));
    expect(codes(v)).toEqual(['risk.order_rate']);
    expect(v[0]!.message).toContain('60 orders were placed by strategy dca-1 in the last minute; your max orders per minute is 60 (global limit)');
    expect(checkOrder(ctx({ ordersLastMinute: 59 }, { maxOrdersPerMinute: '60' }))).toEqual([]);
  });
});

describe('kill switch states', () => {
  it('halted refuses everything, including a reduce', () => {
    const v = checkOrder(ctx({ halt: 'halted', haltReason: 'manual', order: { side: 'sell', qty: '5' }, position: { qty: '10', avgPrice: '1' } }));
    expect(codes(v)).toEqual(['risk.halted']);
    expect(v[0]!.message).toContain('halted by the kill switch (manual)');
  });
  it("halted lets the kill switch's own flatten orders out when they reduce", () => {
    expect(checkOrder(ctx({ halt: 'halted', flatten: true, order: { side: 'sell', qty: '10' }, position: { qty: '10', avgPrice: '1' } }))).toEqual([]);
    expect(codes(checkOrder(ctx({ halt: 'halted', flatten: true, order: { side: 'buy', qty: '10' }, position: { qty: '10', avgPrice: '1' } })))).toEqual(['risk.halted']);
  });
  it('reducing accepts a reduce of a long and of a short', () => {
    const long = evaluateOrder(ctx({ halt: 'reducing', order: { side: 'sell', qty: '10' }, position: { qty: '10', avgPrice: '1' } }));
    expect(long.violations).toEqual([]);
    expect(long.reduces).toBe(true);
    expect(checkOrder(ctx({ halt: 'reducing', order: { side: 'buy', qty: '3' }, position: { qty: '-5', avgPrice: '1' } }))).toEqual([]);
  });
  it('reducing refuses an increase, an opening order and a flip', () => {
    const inc = checkOrder(ctx({ halt: 'reducing', order: { side: 'buy', qty: '5' }, position: { qty: '10', avgPrice: '1' } }));
    expect(codes(inc)).toEqual(['risk.reducing_only']);
    expect(inc[0]!.message).toContain('This buy of 5 AAPL would take you from long 10 to long 15.');
    expect(codes(checkOrder(ctx({ halt: 'reducing', order: { side: 'sell', qty: '5' } })))).toEqual(['risk.reducing_only']);
    const flip = evaluateOrder(ctx({ halt: 'reducing', order: { side: 'sell', qty: '15' }, position: { qty: '10', avgPrice: '1' } }));
    expect(codes(flip.violations)).toEqual(['risk.reducing_only']);
    expect(codes(flip.warnings)).toEqual(['risk.flips_position']);
  });
  it('counts working reducing orders: two sells that together flip are not both "reducing"', () => {
    const r = evaluateOrder(ctx({ halt: 'reducing', order: { side: 'sell', qty: '5' }, position: { qty: '10', avgPrice: '1' }, workingQty: { buy: '0', sell: '8' } }));
    expect(r.reduces).toBe(false);
    expect(codes(r.violations)).toEqual(['risk.reducing_only']);
  });
});

describe('market session', () => {
  const closed = { session: { open: false } };
  it('refuses a market order for a us_equity outside regular hours', () => {
    const v = checkOrder(ctx({ ...closed, order: { type: 'market', limitPrice: undefined } }));
    expect(v).toEqual([
      {
        code: 'risk.session',
        message:
          'Market orders for AAPL are refused outside regular US equity hours (9:30–16:00 ET): they would fill at the next open at a price you have not seen. Use a limit order, or wait for the session to open.',
      },
    ]);
    expect(codes(checkOrder(ctx({ ...closed, order: { type: 'stop', stopPrice: '95', limitPrice: undefined } })))).toEqual(['risk.session']);
  });
  it('accepts a limit order out of hours, and a market order on an always-open crypto market', () => {
    expect(checkOrder(ctx(closed))).toEqual([]);
    expect(checkOrder(ctx({ ...closed, order: { instrument: BTC_USDT, type: 'market', limitPrice: undefined }, quote: { bid: '1', ask: '1', ts: NOW } }))).toEqual([]);
  });
  it('respects an explicit list of types allowed out of session', () => {
    expect(codes(checkOrder(ctx({ session: { open: false, allowedTypesWhenClosed: [] } })))).toEqual(['risk.session']);
  });
});

describe('all violations at once', () => {
  it('lists every broken rule, not just the first', () => {
    const v = checkOrder(
      ctx(
        {
          order: { type: 'market', qty: '500', limitPrice: undefined },
          quote: { bid: '99', ask: '101', ts: NOW - 120_000 },
          halt: 'reducing',
          session: { open: false },
          openOrders: { total: 10, venue: 10, instrument: 10 },
          ordersLastMinute: 10,
          pnlToday: { realized: '-2000', unrealized: '0' },
          account: { equity: '20000', currency: 'USD' },
        },
        {
          maxOrderQty: '100',
          maxOrderNotional: '10000',
          maxPositionQty: '100',
          maxPositionNotional: '10000',
          maxConcentrationPct: '50',
          dailyLossLimit: '1000',
          maxQuoteAgeMs: '5000',
          maxOpenOrders: '10',
          maxOrdersPerMinute: '10',
        },
      ),
    );
    expect(codes(v).sort()).toEqual(
      [
        'risk.reducing_only',
        'risk.daily_loss',
        'risk.session',
        'risk.max_order_qty',
        'risk.max_order_notional',
        'risk.max_position_qty',
        'risk.max_position_notional',
        'risk.concentration',
        'risk.stale_quote',
        'risk.max_open_orders',
        'risk.order_rate',
      ].sort(),
    );
    for (const issue of v) expect(issue.message).toMatch(/\d/);
  });
  it('refuses an order whose quantity is not a positive number', () => {
    expect(codes(checkOrder(ctx({ order: { qty: '0' } })))).toEqual(['risk.invalid_order']);
    expect(codes(checkOrder(ctx({ order: { qty: 'abc' } })))).toEqual(['risk.invalid_order']);
  });
});

describe('messages name the scope that set the limit', () => {
  it('says "limit for <symbol> on <venue>" and "limit for <venue>"', () => {
    const cfg: Partial<RiskConfig> = { venues: { alpaca: { maxOrderNotional: '500' } }, instruments: { alpaca: { 'alpaca:AAPL': { maxOrderQty: '5' } } } };
    const v = checkOrder({ ...ctx(), limits: limits({}, AAPL, cfg) });
    expect(v.map((i) => i.message.match(/\(([^)]*limit[^)]*)\)/)?.[1])).toEqual(['limit for AAPL on alpaca', 'limit for alpaca']);
  });
});

describe('small amounts', () => {
  it('shows sub-unit money with its significant digits', () => {
    const ethBtc: PreTradeInstrument = { id: 'kraken:ETHXBT', venue: 'kraken', symbol: 'ETH/BTC', quote: 'BTC', multiplier: '1', session: 'always' };
    const v = checkOrder(
      ctx({ order: { instrument: ethBtc, qty: '2', limitPrice: '0.0543' }, account: { equity: '10', currency: 'BTC' }, quote: { bid: '0.0542', ask: '0.0544', ts: NOW } }, { maxOrderNotional: '0.1' }),
    );
    expect(v[0]?.message).toContain('Order notional 0.1086 BTC exceeds your max order notional of 0.10 BTC');
  });
});

describe('a notional (money-sized) order', () => {
  const usd = (amount: string) => ({ type: 'market' as const, qty: '0', limitPrice: undefined, notional: amount });
  it('checks the amount itself against the notional limit, and its quantity at the ask against the quantity limit', () => {
    const r = evaluateOrder(ctx({ order: usd('20010') }, { maxOrderNotional: '20000', maxOrderQty: '1000' }));
    expect(codes(r.violations)).toEqual(['risk.max_order_notional']);
    expect(r.estNotional).toBe('20010');
    // 20010 / 100.05 = 200 shares: over a 150-share limit.
    expect(codes(checkOrder(ctx({ order: usd('20010') }, { maxOrderQty: '150' })))).toEqual(['risk.max_order_qty']);
    expect(evaluateOrder(ctx({ order: usd('1000') }, { maxOrderNotional: '20000' }))).toMatchObject({ allowed: true, estNotional: '1000' });
  });
  it('without a quote it cannot be sized: blocked with what to do', () => {
    const v = checkOrder(ctx({ order: usd('100'), quote: null }));
    expect(v).toEqual([{ code: 'risk.no_price', message: 'There is no quote for AAPL, so an order for an amount (100) cannot be sized and checked. Wait for a quote, or enter a quantity.' }]);
    expect(codes(checkOrder(ctx({ order: usd('-5') })))).toEqual(['risk.invalid_order']);
  });
});
