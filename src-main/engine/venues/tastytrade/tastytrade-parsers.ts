/**
 * zod readers for what tastytrade sends: the OAuth token, the `data` / `data.items` envelope, orders
 * with legs and fills, positions, balances, instruments, the nested option chain and dry-run
 * results. Decimals arrive as strings or numbers and leave as canonical strings.
 */
import Decimal from 'decimal.js';
import { z } from 'zod';

const decimal = z.union([z.string(), z.number()]).transform((v, ctx) => {
  try {
    return new Decimal(v).toString();
  } catch {
    ctx.addIssue({ code: 'custom', message: `not a number: ${String(v)}` });
    return z.NEVER;
  }
});
const optDecimal = decimal.nullish();

export const tokenSchema = z.object({ access_token: z.string().min(1), expires_in: z.number().positive(), token_type: z.string().optional() });
export type TtToken = z.infer<typeof tokenSchema>;

export const fillSchema = z.object({ 'fill-id': z.string(), quantity: decimal, 'fill-price': decimal, 'filled-at': z.string() });
export const legSchema = z.object({
  'instrument-type': z.string(),
  symbol: z.string(),
  quantity: optDecimal,
  'remaining-quantity': optDecimal,
  action: z.string(),
  fills: z.array(fillSchema).default([]),
});
export const orderSchema = z.object({
  id: z.union([z.number(), z.string()]).transform(String),
  'account-number': z.string().optional(),
  'time-in-force': z.string(),
  'gtc-date': z.string().nullish(),
  'order-type': z.string(),
  price: optDecimal,
  'price-effect': z.string().nullish(),
  value: optDecimal,
  'stop-trigger': optDecimal,
  status: z.string(),
  'external-identifier': z.string().nullish(),
  'received-at': z.string().nullish(),
  'updated-at': z.union([z.number(), z.string()]).nullish(),
  'reject-reason': z.string().nullish(),
  'replaces-order-id': z.union([z.number(), z.string()]).nullish(),
  legs: z.array(legSchema).min(1),
});
export type TtOrder = z.infer<typeof orderSchema>;
export type TtLeg = z.infer<typeof legSchema>;

export const positionSchema = z.object({
  symbol: z.string(),
  'instrument-type': z.string(),
  quantity: decimal,
  'quantity-direction': z.string(),
  'average-open-price': optDecimal,
  'close-price': optDecimal,
  'realized-day-gain': optDecimal,
});
export type TtPosition = z.infer<typeof positionSchema>;

export const balanceSchema = z.object({
  'cash-balance': decimal,
  'net-liquidating-value': optDecimal,
  'equity-buying-power': optDecimal,
  'derivative-buying-power': optDecimal,
  currency: z.string().nullish(),
});
export type TtBalance = z.infer<typeof balanceSchema>;

const tickSize = z.object({ value: decimal, threshold: optDecimal });
export const equitySchema = z.object({
  symbol: z.string(),
  description: z.string().nullish(),
  'is-etf': z.boolean().nullish(),
  'tick-sizes': z.array(tickSize).nullish(),
  'streamer-symbol': z.string().nullish(),
  'is-fractional-quantity-eligible': z.boolean().nullish(),
});
export const futureSchema = z.object({
  symbol: z.string(),
  'product-code': z.string(),
  'expiration-date': z.string(),
  'tick-size': decimal,
  'notional-multiplier': decimal,
  'streamer-symbol': z.string().nullish(),
  active: z.boolean().nullish(),
  'future-product': z.object({ description: z.string().nullish() }).passthrough().nullish(),
});
export const optionSchema = z.object({
  symbol: z.string(),
  'underlying-symbol': z.string(),
  'strike-price': decimal,
  'expiration-date': z.string(),
  'option-type': z.enum(['C', 'P']),
  'shares-per-contract': z.union([z.number(), z.string()]).nullish(),
  'streamer-symbol': z.string().nullish(),
});
/** `/instruments/cryptocurrencies`: `BTC/USD`, streamer `BTC/USD:CXTALP`; quantity precision per routing venue. */
export const cryptoSchema = z.object({
  symbol: z.string().regex(/^[A-Z0-9]+\/[A-Z0-9]+$/),
  description: z.string().nullish(),
  active: z.boolean().nullish(),
  'tick-size': decimal,
  'streamer-symbol': z.string().nullish(),
  'destination-venue-symbols': z.array(z.object({ 'max-quantity-precision': z.number().int().min(0).max(18).nullish() })).nullish(),
});
export type TtCrypto = z.infer<typeof cryptoSchema>;
export type TtEquity = z.infer<typeof equitySchema>;
export type TtFuture = z.infer<typeof futureSchema>;
export type TtOption = z.infer<typeof optionSchema>;

export const chainSchema = z.object({
  'underlying-symbol': z.string(),
  'shares-per-contract': z.union([z.number(), z.string()]).nullish(),
  'tick-sizes': z.array(tickSize).nullish(),
  expirations: z.array(
    z.object({
      'expiration-date': z.string(),
      'days-to-expiration': z.number().nullish(),
      strikes: z.array(
        z.object({ 'strike-price': decimal, call: z.string().nullish(), put: z.string().nullish(), 'call-streamer-symbol': z.string().nullish(), 'put-streamer-symbol': z.string().nullish() }),
      ),
    }),
  ),
});
export type TtChain = z.infer<typeof chainSchema>;

const issue = z.object({ code: z.string().nullish(), message: z.string().nullish(), reason: z.string().nullish() }).passthrough();
export const dryRunSchema = z.object({
  order: orderSchema.partial({ id: true }).nullish(),
  warnings: z.array(issue).default([]),
  errors: z.array(issue).default([]),
  'buying-power-effect': z
    .object({
      'change-in-buying-power': optDecimal,
      'change-in-buying-power-effect': z.string().nullish(),
      'current-buying-power': optDecimal,
      'new-buying-power': optDecimal,
      'new-buying-power-effect': z.string().nullish(),
    })
    .passthrough()
    .nullish(),
  'fee-calculation': z.object({ 'total-fees': optDecimal }).passthrough().nullish(),
});
export type TtDryRun = z.infer<typeof dryRunSchema>;
export type TtIssue = z.infer<typeof issue>;

export const paginationSchema = z.object({ 'total-pages': z.number().nullish(), 'page-offset': z.number().nullish() }).passthrough();
export const quoteTokenSchema = z.object({ token: z.string(), 'dxlink-url': z.string(), 'expires-at': z.string().nullish() });

function fail(what: string, e: z.ZodError): never {
  throw new Error(`tastytrade sent an unreadable ${what}: ${e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
}

export function parseWith<T>(schema: z.ZodType<T>, what: string, raw: unknown): T {
  const r = schema.safeParse(raw);
  return r.success ? r.data : fail(what, r.error);
}

export function parseToken(raw: unknown): TtToken {
  return parseWith(tokenSchema, 'OAuth token', raw);
}

/** `{data:{…}}` → the object inside. */
export function dataOf(raw: unknown): unknown {
  return parseWith(z.object({ data: z.unknown() }), 'response envelope', raw).data;
}

/** `{data:{items:[…]}}` → the items, each read with `schema`. */
export function itemsOf<T>(schema: z.ZodType<T>, what: string, raw: unknown): T[] {
  return parseWith(z.object({ data: z.object({ items: z.array(schema) }) }), what, raw).data.items;
}
