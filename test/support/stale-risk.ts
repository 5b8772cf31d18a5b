/** What pre-trade risk says of a market order priced off a venue's quote (every limit off): the violation codes. */
import { LIMIT_FIELDS, resolveLimits, type RiskLimits } from '../../src-main/engine/domain/risk-limits';
import type { Instrument } from '../../src-main/engine/domain/instrument';
import type { Quote } from '../../src-main/engine/domain/order';
import { evaluateOrder } from '../../src-main/engine/risk/pre-trade';

const ALL_OFF: RiskLimits = Object.fromEntries(LIMIT_FIELDS.map((f) => [f, 'off']));

export function marketOrderVerdict(inst: Instrument, quote: Quote | undefined, now: number): string[] {
  const r = evaluateOrder({
    order: { side: 'buy', type: 'market', qty: '1', instrument: { id: inst.id, venue: inst.venue, symbol: inst.symbol, quote: inst.quote, multiplier: inst.multiplier, session: inst.session } },
    limits: resolveLimits({ version: 1, global: ALL_OFF, venues: {}, instruments: {} }, inst.venue, inst.id),
    quote: quote ? { bid: quote.bid, ask: quote.ask, last: quote.last, ts: quote.ts, ...(quote.stale ? { stale: true } : {}) } : null,
    now,
    position: { qty: '0', avgPrice: '0' },
    account: { equity: '1000000', currency: inst.quote },
    openOrders: { total: 0, venue: 0, instrument: 0 },
    ordersLastMinute: 0,
    pnlToday: { realized: '0', unrealized: '0' },
    halt: 'running',
    session: { open: true },
  });
  return r.violations.map((v) => v.code);
}
