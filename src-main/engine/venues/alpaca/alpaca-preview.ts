/**
 * Alpaca has no native preview: a local estimate of price, notional and fee (zero for stocks,
 * Alpaca's tier-1 crypto fees), buying power before / after, and the guards Alpaca would apply:
 * an order over the buying power it reports (reduced by our working orders, as Alpaca reduces
 * it) is blocked; an order that could execute against our own opposite order (a wash trade,
 * which Alpaca rejects) is flagged; a short sale of a non-shortable asset is blocked.
 * Pure: the connector gathers the inputs.
 */
import type { PreviewIssue } from '../../api/commands';
import type { Instrument } from '../../domain/instrument';
import type { Quote } from '../../domain/order';
import { Decimal, toStr } from '../../domain/money';
import type { NormalizedTicket } from '../../domain/order-validation';
import type { VenueOrderReport, VenuePreview } from '../venue-port';
import type { AssetFlags } from './alpaca-instruments';
import type { WireAccount } from './alpaca-rest';
import type { AlpacaSession } from './alpaca-session';
import { newYorkDate, settlementDate } from '../../market/settlement';
import { cashAccountIssues, type CashFill } from '../../guards/cash-settlement';
import { washOpponent, workingBuys } from '../../guards/order-guards';

/** Alpaca crypto fees, volume tier 1 (0–100k USD / 30 days): maker 0.15 %, taker 0.25 %. */
export const CRYPTO_FEES = { maker: new Decimal('0.0015'), taker: new Decimal('0.0025') };

export interface AlpacaPreviewInput {
  readonly inst: Instrument;
  readonly ticket: NormalizedTicket;
  readonly quote: Quote | undefined;
  readonly account: WireAccount | undefined;
  readonly openOrders: readonly VenueOrderReport[];
  readonly flags: AssetFlags | undefined;
  /** Alpaca's clock, for equities (crypto trades around the clock). */
  readonly session?: AlpacaSession | undefined;
  readonly now?: number;
  /** Cash accounts only: the last 12 months of fills, oldest first. */
  readonly cashFills?: readonly CashFill[];
}

/** The price an order is expected to trade at: its limit, else the side of the quote it takes. */
function estPrice(t: NormalizedTicket, q: Quote | undefined): Decimal | undefined {
  if (t.limitPrice !== undefined) return new Decimal(t.limitPrice);
  const px = t.side === 'buy' ? (q?.ask ?? q?.last) : (q?.bid ?? q?.last);
  if (px !== undefined) return new Decimal(px);
  return t.stopPrice !== undefined ? new Decimal(t.stopPrice) : undefined;
}

export function alpacaPreview(x: AlpacaPreviewInput): VenuePreview {
  const { inst, ticket: t } = x;
  const warnings: PreviewIssue[] = [];
  const violations: PreviewIssue[] = [];
  const px = estPrice(t, x.quote);
  // A notional ticket is sized in money: its value is the amount, its quantity the amount at the estimated price.
  const notional = t.notional !== undefined ? new Decimal(t.notional) : px?.mul(t.qty);
  const estQty = t.notional !== undefined && px !== undefined && !px.isZero() ? toStr(notional!.div(px).toDecimalPlaces(9, Decimal.ROUND_DOWN)) : t.qty;
  const crypto = inst.assetClass === 'crypto_spot';
  const fee = notional === undefined ? undefined : crypto ? notional.mul(t.type === 'market' ? CRYPTO_FEES.taker : CRYPTO_FEES.maker) : new Decimal(0);
  if (px === undefined) warnings.push({ code: 'no_quote', message: `No quote for ${inst.symbol} yet; the estimate has no price.` });
  let before: Decimal | undefined;
  let after: Decimal | undefined;
  if (x.account) {
    // Crypto is bought with cash (no margin); stocks with the intraday-margin buying power Alpaca reports.
    const raw = new Decimal(crypto ? (x.account.non_marginable_buying_power ?? x.account.cash) : x.account.buying_power);
    before = Decimal.max(0, raw.minus(workingBuys(x.openOrders)));
    after = t.side === 'buy' && notional ? before.minus(notional).minus(fee ?? 0) : before;
    if (t.side === 'buy' && after.lt(0))
      violations.push({
        code: 'insufficient_buying_power',
        message: `This order needs ${toStr(notional!.plus(fee ?? 0).toDecimalPlaces(2))} USD but Alpaca's buying power after your working orders is ${toStr(before.toDecimalPlaces(2))} USD; reduce the size or cancel a working buy.`,
      });
    if (x.account.trading_blocked || x.account.account_blocked) violations.push({ code: 'account_blocked', message: 'Alpaca has blocked trading on this account; see the Alpaca dashboard.' });
  }
  if (x.account?.multiplier === '1' && x.cashFills && px) {
    const cash = cashAccountIssues({
      cash: x.account.cash,
      fills: x.cashFills,
      order: { date: newYorkDate(x.now ?? Date.now()), symbol: inst.venueSymbol, side: t.side, qty: estQty, price: px.toString(), crypto },
      settles: settlementDate,
    });
    warnings.push(...cash.warnings);
    violations.push(...cash.violations);
  }
  const opp = washOpponent(t, inst.id, x.openOrders);
  if (opp)
    violations.push({
      code: 'wash_trade',
      message: `This order could execute against your own ${opp.side} order ${opp.clientOrderId}${opp.limitPrice ? ` at ${opp.limitPrice}` : ''}; Alpaca rejects possible wash trades — cancel that order first or change the price.`,
    });
  if (t.side === 'sell' && x.flags && !x.flags.shortable) warnings.push({ code: 'not_shortable', message: `${inst.symbol} is not shortable at Alpaca; a sell beyond your position will be rejected.` });
  if (x.session && !x.session.open) {
    const at = new Date(x.session.nextOpen).toISOString().replace('.000Z', 'Z');
    warnings.push({
      code: 'market_closed',
      message: t.extendedHours
        ? `Alpaca says the regular session is closed (next open ${at}); this extended-hours order can trade in the pre- and post-market only.`
        : `Alpaca says the market is closed (next open ${at}); the order waits for the open${t.type === 'market' ? ' and fills at the opening price' : ''}.`,
    });
  }
  const total = notional === undefined ? undefined : t.side === 'buy' ? notional.plus(fee ?? 0) : notional.minus(fee ?? 0);
  return {
    estPrice: px ? toStr(px) : null,
    estNotional: notional ? toStr(notional) : null,
    estFee: fee ? toStr(fee.toDecimalPlaces(8)) : null,
    estTotal: total ? toStr(total) : null,
    currency: 'USD',
    buyingPowerBefore: before ? toStr(before) : null,
    buyingPowerAfter: after ? toStr(after) : null,
    warnings,
    violations,
  };
}
