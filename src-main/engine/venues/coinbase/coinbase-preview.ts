/**
 * The unified preview from Coinbase's own `/orders/preview` (commission, total, slippage, best
 * bid/ask, its errors as violations and warnings as warnings), the account's fee tier where the
 * native preview is unavailable, and local checks: the product's trading state and minimums, and
 * the cash available for a buy (base currency for a sell). Pure: the connector gathers the inputs.
 */
import type { PreviewIssue } from '../../api/commands';
import type { Instrument } from '../../domain/instrument';
import type { Quote } from '../../domain/order';
import { Decimal, toStr } from '../../domain/money';
import type { NormalizedTicket } from '../../domain/order-validation';
import type { VenuePreview } from '../venue-port';
import { tradingBlock, type ProductFlags } from './coinbase-instruments';
import type { WireAccount, WirePreview } from './coinbase-rest';

export interface FeeRates {
  readonly maker: string;
  readonly taker: string;
}

export interface CoinbasePreviewInput {
  readonly inst: Instrument;
  readonly ticket: NormalizedTicket;
  readonly native: WirePreview | undefined;
  /** Why the native preview could not be had (shown as a warning). */
  readonly nativeError?: string;
  readonly fees: FeeRates | undefined;
  readonly quote: Quote | undefined;
  readonly accounts: readonly WireAccount[] | undefined;
  readonly flags: ProductFlags | undefined;
}

const words = (code: string): string =>
  code
    .replace(/^PREVIEW_/, '')
    .replace(/_/g, ' ')
    .toLowerCase();

function available(accounts: readonly WireAccount[] | undefined, currency: string): Decimal | undefined {
  if (!accounts) return undefined;
  return accounts.filter((a) => a.currency === currency).reduce((s, a) => s.plus(a.available_balance.value), new Decimal(0));
}

export function coinbasePreview(x: CoinbasePreviewInput): VenuePreview {
  const { inst, ticket: t, native: n } = x;
  const warnings: PreviewIssue[] = [];
  const violations: PreviewIssue[] = [];
  const block = x.flags ? tradingBlock(x.flags, inst.symbol) : undefined;
  if (block) violations.push({ code: 'trading_disabled', message: block });
  if (x.flags?.limitOnly && t.type === 'market') violations.push({ code: 'limit_only', message: `${inst.symbol} is limit-only at Coinbase right now; use a limit order.` });
  if (x.flags?.postOnly && !(t.type === 'limit' && t.postOnly)) violations.push({ code: 'post_only', message: `${inst.symbol} is post-only at Coinbase right now; use a post-only limit order.` });
  for (const e of n?.errs ?? []) violations.push({ code: `coinbase_${e.toLowerCase()}`, message: `Coinbase: ${words(e)} (${e})` });
  for (const w of n?.warning ?? []) warnings.push({ code: `coinbase_${w.toLowerCase()}`, message: `Coinbase: ${words(w)} (${w})` });
  if (!n) warnings.push({ code: 'no_native_preview', message: `Coinbase's preview was not available${x.nativeError ? ` (${x.nativeError})` : ''}; the figures are Tradeport's estimate.` });

  const side = t.side === 'buy' ? (x.quote?.ask ?? n?.best_ask) : (x.quote?.bid ?? n?.best_bid);
  const px =
    t.limitPrice !== undefined
      ? new Decimal(t.limitPrice)
      : n?.average_filled_price && new Decimal(n.average_filled_price).gt(0)
        ? new Decimal(n.average_filled_price)
        : side
          ? new Decimal(side)
          : undefined;
  const notional = n?.quote_size ? new Decimal(n.quote_size) : t.notional !== undefined ? new Decimal(t.notional) : px?.mul(t.qty);
  const rate = x.fees ? (t.type === 'market' || t.tif === 'ioc' || t.tif === 'fok' ? x.fees.taker : x.fees.maker) : undefined;
  const fee = n?.commission_total ? new Decimal(n.commission_total) : notional && rate ? notional.mul(rate) : undefined;
  const total = n?.order_total ? new Decimal(n.order_total) : notional && fee ? (t.side === 'buy' ? notional.plus(fee) : notional.minus(fee)) : undefined;
  if (px === undefined) warnings.push({ code: 'no_quote', message: `No price for ${inst.symbol} yet; the estimate has no price.` });
  if (n?.slippage && new Decimal(n.slippage).gt(0))
    warnings.push({ code: 'slippage', message: `Coinbase expects ${toStr(new Decimal(n.slippage).mul(100).toDecimalPlaces(4))} % slippage on this order.` });
  if (notional && new Decimal(inst.minNotional).gt(notional))
    violations.push({ code: 'below_min_size', message: `Coinbase's minimum for ${inst.symbol} is ${inst.minNotional} ${inst.quote}; this order is ${toStr(notional.toDecimalPlaces(8))}.` });

  const cash = available(x.accounts, t.side === 'buy' ? inst.quote : inst.base);
  const need = t.side === 'buy' ? total : new Decimal(n?.base_size ?? t.qty);
  const after = cash && need ? cash.minus(need) : undefined;
  if (after?.lt(0))
    violations.push({
      code: 'insufficient_funds',
      message: `This order needs ${toStr(need!.toDecimalPlaces(8))} ${t.side === 'buy' ? inst.quote : inst.base} but Coinbase shows ${toStr(cash!)} available; reduce the size.`,
    });
  return {
    estPrice: px ? toStr(px) : null,
    estNotional: notional ? toStr(notional) : null,
    estFee: fee ? toStr(fee.toDecimalPlaces(8)) : null,
    estTotal: total ? toStr(total) : null,
    currency: inst.quote,
    buyingPowerBefore: cash ? toStr(cash) : null,
    buyingPowerAfter: after ? toStr(after) : null,
    warnings,
    violations,
  };
}
