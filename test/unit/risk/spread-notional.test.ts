/** Pre-trade risk on a vertical: the notional limits judge its worst-case loss (maxLossPerUnit), not its small net credit. */
import { describe, expect, it } from 'vitest';
import { LIMIT_FIELDS, resolveLimits, type RiskLimits } from '../../../src-main/engine/domain/risk-limits';
import { evaluateOrder, type PreTradeContext, type PreTradeInstrument } from '../../../src-main/engine/risk/pre-trade';

const NOW = Date.UTC(2026, 0, 5, 15, 0, 0);
const ALL_OFF: RiskLimits = Object.fromEntries(LIMIT_FIELDS.map((f) => [f, 'off']));
const CALL: PreTradeInstrument = { id: 'tt:AAPL  260320C00150000', venue: 'tt', symbol: 'AAPL:OPT:C:150:20260320', quote: 'USD', multiplier: '100', session: 'us_equity', tickSize: '0.01' };

function ctx(maxLossPerUnit: string | undefined): PreTradeContext {
  return {
    // A credit vertical: 10 spreads sold for 0.50 each, 5 wide — it can lose (5 − 0.50) × 10 × 100 = 4,500.
    order: { side: 'sell', type: 'limit', qty: '10', limitPrice: '0.50', instrument: CALL, ...(maxLossPerUnit ? { maxLossPerUnit } : {}) },
    limits: resolveLimits({ version: 1, global: { ...ALL_OFF, maxOrderNotional: '2000' }, venues: {}, instruments: {} }, CALL.venue, CALL.id),
    quote: { bid: '0.45', ask: '0.55', ts: NOW - 1000 },
    now: NOW,
    position: { qty: '0', avgPrice: '0' },
    account: { equity: '100000', currency: 'USD' },
    openOrders: { total: 0, venue: 0, instrument: 0 },
    ordersLastMinute: 0,
    pnlToday: { realized: '0', unrealized: '0' },
    halt: 'running',
    session: { open: true },
  };
}

describe('a vertical against max order notional', () => {
  it('is judged on what it can lose', () => {
    const r = evaluateOrder(ctx('4.5'));
    expect(r.violations.map((v) => v.message)).toEqual([
      'Order notional 4,500.00 USD exceeds your max order notional of 2,000.00 USD (global limit). Reduce the quantity or raise the limit (tradeport risk set).',
    ]);
    // The net credit alone (500) would have passed a limit the spread's risk breaks.
    expect(evaluateOrder(ctx(undefined)).violations).toEqual([]);
  });
});
