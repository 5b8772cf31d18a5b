/**
 * `POST /orders/preview` and `/orders/edit` (+ `edit_preview`) on the emulator. Preview: the
 * order walked against the book top (best ask for a buy, best bid for a sell), commission at the
 * fee tier (taker for market/IOC/FOK, maker otherwise), `errs` / `warning` as Coinbase's enum
 * strings. Edit: only OPEN GTC limit orders, price and size, not below the filled size.
 */
import Decimal from 'decimal.js';
import type { L2Books } from './book';
import { FEES, PRODUCTS, configOf, type CbOrder } from './server';

export function previewOrder(b: Record<string, unknown>, books: L2Books, cash: number): Record<string, unknown> {
  const product = PRODUCTS.find((p) => p.product_id === b['product_id']);
  const cfg = configOf((b['order_configuration'] ?? {}) as Record<string, Record<string, unknown>>);
  const errs: string[] = [];
  if (!product) errs.push('PREVIEW_INVALID_PRODUCT_ID');
  if (!cfg) errs.push('PREVIEW_INVALID_ORDER_CONFIG');
  if (!product || !cfg) return { order_total: '0', commission_total: '0', errs, warning: [], quote_size: '0', base_size: '0', best_bid: '0', best_ask: '0', is_max: false, slippage: '0' };
  const buy = b['side'] === 'BUY';
  const bid = books.levels(product.product_id, 'bid', 1)[0]?.price ?? product.price;
  const ask = books.levels(product.product_id, 'offer', 1)[0]?.price ?? product.price;
  const touch = new Decimal(buy ? ask : bid);
  const limit = typeof cfg.c['limit_price'] === 'string' ? new Decimal(cfg.c['limit_price']) : undefined;
  const px = limit ?? touch;
  const quoteSize = typeof cfg.c['quote_size'] === 'string' ? new Decimal(cfg.c['quote_size']) : undefined;
  const base = quoteSize ? quoteSize.div(px).toDecimalPlaces(8, Decimal.ROUND_DOWN) : new Decimal(String(cfg.c['base_size'] ?? '0'));
  const notional = quoteSize ?? base.mul(px);
  const taker = cfg.kind.startsWith('market') || cfg.kind === 'sor_limit_ioc' || cfg.kind === 'limit_limit_fok';
  const commission = notional.mul(taker ? FEES.taker : FEES.maker);
  const total = buy ? notional.plus(commission) : notional.minus(commission);
  if (base.lt(product.base_min_size)) errs.push('PREVIEW_INVALID_BASE_SIZE_TOO_SMALL');
  if (notional.lt(product.quote_min_size)) errs.push('PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL');
  if (buy && total.gt(cash)) errs.push('PREVIEW_INSUFFICIENT_FUND');
  const warning = limit && (buy ? limit.gte(touch) : limit.lte(touch)) && cfg.c['post_only'] === true ? ['PREVIEW_WILL_CROSS_BOOK'] : [];
  return {
    order_total: total.toString(),
    commission_total: commission.toString(),
    errs,
    warning,
    quote_size: notional.toString(),
    base_size: base.toString(),
    best_bid: bid,
    best_ask: ask,
    is_max: false,
    slippage: '0',
    average_filled_price: px.toString(),
  };
}

export function editOrder(b: Record<string, unknown>, orders: ReadonlyMap<string, CbOrder>, previewOnly: boolean): Record<string, unknown> {
  const fail = (reason: string) => ({ success: false, errors: [{ edit_failure_reason: reason, preview_failure_reason: 'UNKNOWN_PREVIEW_FAILURE_REASON' }] });
  const o = orders.get(String(b['order_id']));
  if (!o) return fail('ORDER_NOT_FOUND');
  if (o.status !== 'OPEN') return fail('ONLY_OPEN_ORDERS_CAN_BE_EDITED');
  const cfg = configOf(o.order_configuration);
  if (cfg?.kind !== 'limit_limit_gtc') return fail('ONLY_LIMIT_ORDER_EDITS_SUPPORTED');
  const price = String(b['price'] ?? cfg.c['limit_price']);
  const size = String(b['size'] ?? cfg.c['base_size']);
  if (!(Number(price) > 0)) return fail('INVALID_EDITED_PRICE');
  if (!(Number(size) > 0)) return fail('INVALID_EDITED_SIZE');
  if (new Decimal(size).lt(o.filled_size)) return fail('CANNOT_EDIT_TO_BELOW_FILLED_SIZE');
  if (!previewOnly) o.order_configuration = { limit_limit_gtc: { ...cfg.c, limit_price: price, base_size: size } };
  return previewOnly
    ? { errors: [], slippage: '0', order_total: new Decimal(price).mul(size).toString(), commission_total: new Decimal(price).mul(size).mul(FEES.maker).toString() }
    : { success: true, errors: [] };
}
