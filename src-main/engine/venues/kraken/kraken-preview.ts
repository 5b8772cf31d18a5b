/**
 * Kraken's preview: AddOrder with `validate=true` (Kraken checks the order, places nothing) plus a
 * local estimate — price from the touch or the limit, fee from the pair's fee schedule at the
 * account's 30-day volume tier, buying power from the balance of the asset the order spends.
 */
import type { Instrument } from '../../domain/instrument';
import type { NormalizedTicket } from '../../domain/order-validation';
import { Decimal, toStr } from '../../domain/money';
import type { PreviewIssue } from '../../api/commands';
import type { VenuePreview } from '../venue-port';
import type { WirePair } from './kraken-instruments';

export interface PreviewInputs {
  readonly inst: Instrument;
  readonly pair: WirePair;
  readonly ticket: NormalizedTicket;
  readonly touch: { readonly bid?: string; readonly ask?: string } | undefined;
  /** Free balance of the asset the order spends (quote for a buy, base for a sell); undefined when unknown. */
  readonly available: string | undefined;
  /** The account's 30-day volume in the fee currency (0 when unknown: the first tier, the dearest). */
  readonly volume30d: string;
  /** Kraken's validate answer: its description of the order, or its refusal. */
  readonly validated: { readonly descr?: string; readonly error?: string; readonly unavailable?: string };
}

/** The fee percent at `volume` from a Kraken schedule `[[volume, percent], …]` (ascending volumes). */
export function feePercent(schedule: readonly (readonly [number, number])[] | undefined, volume: string): Decimal {
  let pct = new Decimal(schedule?.[0]?.[1] ?? 0.4);
  for (const [v, p] of schedule ?? []) if (new Decimal(volume).gte(v)) pct = new Decimal(p);
  return pct;
}

export function krakenPreview(i: PreviewInputs): VenuePreview {
  const t = i.ticket;
  const violations: PreviewIssue[] = [];
  const warnings: PreviewIssue[] = [];
  if (i.validated.unavailable) warnings.push({ code: 'venue_unavailable', message: `Kraken could not check this order (validate=true): ${i.validated.unavailable}` });
  if (i.validated.error) violations.push({ code: 'venue_rejected', message: `Kraken refuses this order (validate=true): ${i.validated.error}` });
  const touch = t.side === 'buy' ? i.touch?.ask : i.touch?.bid;
  const price = t.type === 'limit' || t.type === 'stop_limit' ? t.limitPrice : t.type === 'stop' ? t.stopPrice : touch;
  const maker = t.type === 'limit' && (t.postOnly === true || (touch !== undefined && (t.side === 'buy' ? new Decimal(t.limitPrice!).lt(touch) : new Decimal(t.limitPrice!).gt(touch))));
  const pct = feePercent(maker ? (i.pair.fees_maker ?? i.pair.fees) : i.pair.fees, i.volume30d);
  const notional = price !== undefined ? new Decimal(t.qty).mul(price) : undefined;
  const fee = notional
    ?.mul(pct)
    .div(100)
    .toDecimalPlaces(i.pair.cost_decimals ?? 8, Decimal.ROUND_UP);
  const total = notional && fee ? (t.side === 'buy' ? notional.plus(fee) : notional.minus(fee)) : undefined;
  if (price === undefined) warnings.push({ code: 'no_quote', message: `No ${i.inst.symbol} price from Kraken yet; cost and fee are not estimated.` });
  const spend = t.side === 'buy' ? total : new Decimal(t.qty);
  if (i.available !== undefined && spend && spend.gt(i.available))
    violations.push({
      code: 'insufficient_funds',
      message: `Kraken balance: ${t.side === 'buy' ? `${toStr(spend)} ${i.inst.quote} needed, ${i.available}` : `${t.qty} ${i.inst.base} to sell, ${i.available}`} available.`,
    });
  return {
    estPrice: price ?? null,
    estNotional: notional ? toStr(notional) : null,
    estFee: fee ? toStr(fee) : null,
    estTotal: total ? toStr(total) : null,
    currency: i.inst.quote,
    buyingPowerBefore: t.side === 'buy' ? (i.available ?? null) : null,
    buyingPowerAfter: t.side === 'buy' && i.available !== undefined && total ? toStr(new Decimal(i.available).minus(total)) : null,
    warnings,
    violations,
  };
}
