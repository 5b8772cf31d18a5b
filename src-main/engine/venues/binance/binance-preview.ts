/**
 * A Binance order preview: the fee rate from POST /api/v3/order/test with
 * computeCommissionRates (standard + tax + special, maker or taker by how the order trades), the
 * price from the limit or the touch, and the free balance of the asset the order spends.
 * Pure: the connector gathers the inputs.
 */
import type { PreviewIssue } from '../../api/commands';
import type { Instrument } from '../../domain/instrument';
import type { Quote } from '../../domain/order';
import { Decimal, toStr } from '../../domain/money';
import type { NormalizedTicket } from '../../domain/order-validation';
import type { VenuePreview } from '../venue-port';
import type { WireAccount, WireCommissions } from './binance-rest';

export interface BinancePreviewInput {
  readonly inst: Instrument;
  readonly ticket: NormalizedTicket;
  readonly quote: Quote | undefined;
  readonly account: WireAccount | undefined;
  /** undefined when order/test refused the order (its words are in `refusal`). */
  readonly commissions: WireCommissions | undefined;
  readonly refusal?: string;
}

/** Whether the order takes liquidity: market orders and limits through the touch do. */
function takes(t: NormalizedTicket, q: Quote | undefined): boolean {
  if (t.type === 'market' || t.type === 'stop') return true;
  if (t.postOnly || t.limitPrice === undefined) return false;
  const touch = t.side === 'buy' ? q?.ask : q?.bid;
  return touch !== undefined && (t.side === 'buy' ? new Decimal(t.limitPrice).gte(touch) : new Decimal(t.limitPrice).lte(touch));
}

export function feeRate(c: WireCommissions, taker: boolean): Decimal {
  const pick = (x: { maker: string; taker: string } | undefined) => new Decimal(x ? (taker ? x.taker : x.maker) : '0');
  return pick(c.standardCommissionForOrder).plus(pick(c.taxCommissionForOrder)).plus(pick(c.specialCommissionForOrder));
}

export function binancePreview(x: BinancePreviewInput): VenuePreview {
  const { inst, ticket: t, quote: q } = x;
  const warnings: PreviewIssue[] = [];
  const violations: PreviewIssue[] = [];
  if (x.refusal) violations.push({ code: 'venue_rejected', message: x.refusal });
  const touch = t.side === 'buy' ? q?.ask : q?.bid;
  const pxRaw = t.limitPrice ?? touch ?? t.stopPrice;
  const px = pxRaw !== undefined ? new Decimal(pxRaw) : undefined;
  if (px === undefined) warnings.push({ code: 'no_quote', message: `No quote for ${inst.symbol} yet; the estimate has no price.` });
  const notional = t.notional !== undefined ? new Decimal(t.notional) : px?.mul(t.qty);
  const rate = x.commissions ? feeRate(x.commissions, takes(t, q)) : undefined;
  const fee = notional && rate ? notional.mul(rate) : undefined;
  // A buy spends the quote asset; a sell spends the base asset (valued at the price for the figures).
  const spend = t.side === 'buy' ? inst.quote : inst.base;
  const bal = x.account?.balances.find((b) => b.asset === spend);
  let before: Decimal | undefined;
  let after: Decimal | undefined;
  if (x.account) {
    const free = new Decimal(bal?.free ?? '0');
    before = t.side === 'buy' ? free : px ? free.mul(px) : undefined;
    const need = t.side === 'buy' ? notional : t.notional !== undefined && px ? new Decimal(t.notional) : px?.mul(t.qty);
    after = before && need ? before.minus(need) : before;
    if (after?.lt(0)) {
      const short = t.side === 'buy' ? `${toStr(notional!.toDecimalPlaces(8))} ${spend}` : `${t.qty} ${spend}`;
      violations.push({ code: 'insufficient_funds', message: `This order needs ${short} but your free Binance ${spend} balance is ${bal?.free ?? '0'}; reduce the size or free funds.` });
    }
    if (x.account.canTrade === false) violations.push({ code: 'account_blocked', message: 'Binance says this account cannot trade (canTrade=false); check the API key permissions.' });
  }
  const total = notional === undefined ? undefined : t.side === 'buy' ? notional.plus(fee ?? 0) : notional.minus(fee ?? 0);
  return {
    estPrice: px ? toStr(px) : null,
    estNotional: notional ? toStr(notional) : null,
    estFee: fee ? toStr(fee.toDecimalPlaces(8)) : null,
    estTotal: total ? toStr(total.toDecimalPlaces(8)) : null,
    currency: inst.quote,
    buyingPowerBefore: before ? toStr(before.toDecimalPlaces(8)) : null,
    buyingPowerAfter: after ? toStr(after.toDecimalPlaces(8)) : null,
    warnings,
    violations,
  };
}
