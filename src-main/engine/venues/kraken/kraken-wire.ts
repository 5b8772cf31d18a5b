/**
 * Kraken's wire shapes, checked with zod where they enter (REST results, WS v2 executions): a
 * message that does not fit is refused with what was wrong, never half-read.
 */
import { z } from 'zod';
import { TradeportError } from '../../api/errors';

const num = z.union([z.string(), z.number()]).transform((v) => String(v));

export const wireOrderSchema = z.object({
  cl_ord_id: z.string().nullish(),
  userref: z.union([z.number(), z.string()]).nullish(),
  status: z.string(),
  reason: z.string().nullish(),
  opentm: z.number(),
  closetm: z.number().optional(),
  expiretm: z.union([z.number(), z.string()]).optional(),
  descr: z.object({ pair: z.string(), type: z.enum(['buy', 'sell']), ordertype: z.string(), price: num, price2: num.optional() }),
  vol: num,
  vol_exec: num,
  cost: num.optional(),
  fee: num.optional(),
  price: num.optional(),
  stopprice: num.optional(),
  limitprice: num.optional(),
  oflags: z.string().optional(),
  timeinforce: z.string().optional(),
});
export type WireOrder = z.infer<typeof wireOrderSchema>;

export const wireTradeSchema = z.object({
  ordertxid: z.string(),
  pair: z.string(),
  time: z.number(),
  type: z.enum(['buy', 'sell']),
  price: num,
  vol: num,
  fee: num,
  cost: num.optional(),
  maker: z.boolean().optional(),
});
export type WireTrade = z.infer<typeof wireTradeSchema>;

/** One `executions` event (WS v2); quantities arrive as JSON numbers. */
export const wireExecutionSchema = z.object({
  exec_type: z.string(),
  order_id: z.string(),
  cl_ord_id: z.string().nullish(),
  symbol: z.string().optional(),
  side: z.enum(['buy', 'sell']).optional(),
  order_type: z.string().optional(),
  order_qty: num.optional(),
  limit_price: num.optional(),
  cum_qty: num.optional(),
  avg_price: num.optional(),
  time_in_force: z.string().optional(),
  order_status: z.string().optional(),
  timestamp: z.string(),
  exec_id: z.string().optional(),
  trade_id: z.union([z.number(), z.string()]).optional(),
  last_qty: num.optional(),
  last_price: num.optional(),
  liquidity_ind: z.enum(['m', 't']).optional(),
  fees: z.array(z.object({ asset: z.string(), qty: num })).optional(),
  reason: z.string().optional(),
});
export type WireExecution = z.infer<typeof wireExecutionSchema>;

function parsed<T>(schema: z.ZodType<T>, v: unknown, what: string): T {
  const r = schema.safeParse(v);
  if (!r.success) throw new TradeportError('venue_unavailable', `Kraken sent a ${what} Tradeport cannot read (${r.error.issues[0]?.path.join('.') ?? ''}: ${r.error.issues[0]?.message ?? ''}).`);
  return r.data;
}

function record<T>(schema: z.ZodType<T>, v: unknown, what: string): Record<string, T> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new TradeportError('venue_unavailable', `Kraken sent ${what}s Tradeport cannot read (not an object).`);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, parsed(schema, x, what)]));
}

export const wireOrders = (v: unknown): Record<string, WireOrder> => record(wireOrderSchema, v, 'order');
export const wireTrades = (v: unknown): Record<string, WireTrade> => record(wireTradeSchema, v, 'trade');
export const wireExecution = (v: unknown): WireExecution => parsed(wireExecutionSchema, v, 'execution');

/**
 * A `ticker` channel row (WS v2): the last trade and the rolling 24 h statistics Kraken gives for
 * the pair (volume in the base asset, high, low). Other fields are not used.
 */
export const wireTickerSchema = z.object({
  symbol: z.string(),
  last: num.optional(),
  volume: num.optional(),
  high: num.optional(),
  low: num.optional(),
});
export type WireTicker = z.infer<typeof wireTickerSchema>;
