/**
 * An entry with an attached bracket on the emulator: `attached_order_configuration` carries only
 * `trigger_bracket_gtc {limit_price, stop_trigger_price}` (the take-profit limit and the stop-loss
 * trigger), without a size — the attached order takes the entry's. It waits PENDING (its own
 * order id, `originating_order_id` = the entry) and works once the entry has filled. Prices must
 * bracket the entry: for a BUY entry take-profit above and stop trigger below its price, a SELL
 * the other way round.
 */
import Decimal from 'decimal.js';
import { configOf, type CbOrder } from './server';

/** Why Coinbase would refuse the attached configuration, or undefined. */
export function bracketProblem(side: 'BUY' | 'SELL', entry: Record<string, unknown>, attached: Record<string, Record<string, unknown>>): string | undefined {
  const kinds = Object.keys(attached);
  if (kinds.length !== 1 || kinds[0] !== 'trigger_bracket_gtc') return 'Only TriggerBracketGtc is eligible as an attached order configuration';
  const c = attached['trigger_bracket_gtc']!;
  if (c['base_size'] !== undefined || c['quote_size'] !== undefined) return 'Size must be omitted on the attached order: it is the size of the parent order';
  const tp = c['limit_price'];
  const sl = c['stop_trigger_price'];
  if (typeof tp !== 'string' || typeof sl !== 'string' || !(Number(tp) > 0) || !(Number(sl) > 0)) return 'The attached bracket needs a limit_price and a stop_trigger_price';
  const px = typeof entry['limit_price'] === 'string' ? new Decimal(entry['limit_price']) : undefined;
  const ok = side === 'BUY' ? new Decimal(tp).gt(sl) && (!px || (px.lt(tp) && px.gt(sl))) : new Decimal(tp).lt(sl) && (!px || (px.gt(tp) && px.lt(sl)));
  return ok ? undefined : `The take-profit ${tp} and stop trigger ${sl} must bracket the ${side} entry${px ? ` at ${px.toString()}` : ''}`;
}

/** The attached (exit) order, PENDING until its entry fills. */
export function attachedOrder(entry: CbOrder, orderId: string, clientOrderId: string, attached: Record<string, Record<string, unknown>>): CbOrder {
  const size = configOf(entry.order_configuration)?.c['base_size'];
  return {
    order_id: orderId,
    client_order_id: clientOrderId,
    product_id: entry.product_id,
    side: entry.side === 'BUY' ? 'SELL' : 'BUY',
    order_configuration: { trigger_bracket_gtc: { ...attached['trigger_bracket_gtc'], base_size: typeof size === 'string' ? size : '0' } },
    status: 'PENDING',
    filled_size: '0',
    average_filled_price: '0',
    total_fees: '0',
    created_time: entry.created_time,
    originating_order_id: entry.order_id,
    trigger_status: 'STOP_PENDING',
  };
}

/**
 * What a last trade at `price` does to an OPEN bracket exit: reaching the take-profit limit fills
 * it there; crossing the stop trigger turns it into a stop-limit (STOP_TRIGGERED, its limit 5 %
 * beyond the trigger) that fills at the trade's price while that is within the limit.
 */
export function bracketCross(o: CbOrder, price: string): { fillAt: string; liquidity: 'MAKER' | 'TAKER' } | { trigger: true } | undefined {
  const c = o.order_configuration['trigger_bracket_gtc'];
  if (!c || o.status !== 'OPEN') return undefined;
  const p = new Decimal(price);
  const tp = new Decimal(String(c['limit_price']));
  const stop = new Decimal(String(c['stop_trigger_price']));
  const sell = o.side === 'SELL';
  if (o.trigger_status !== 'STOP_TRIGGERED') {
    if (sell ? p.gte(tp) : p.lte(tp)) return { fillAt: tp.toString(), liquidity: 'MAKER' };
    return (sell ? p.lte(stop) : p.gte(stop)) ? { trigger: true } : undefined;
  }
  const limit = sell ? stop.mul('0.95') : stop.mul('1.05');
  return (sell ? p.gte(limit) : p.lte(limit)) ? { fillAt: p.toString(), liquidity: 'TAKER' } : undefined;
}
