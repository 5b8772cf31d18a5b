/**
 * The account as a trader reads it in the header: net liquidation (cash plus positions at their
 * mark), buying power and today's P&L, per venue and in total in the base currency. What cannot be
 * converted (no rate, no mark) is left out of the totals and named, never added as if it were
 * dollars. A venue that reports its own figures (net liquidation, buying power) is believed.
 */
import type { AccountSummaryView, AccountVenueSummary } from '../api/commands';
import type { Instrument } from '../domain/instrument';
import { Decimal, toStr, ZERO } from '../domain/money';
import type { Balance, Position, Quote } from '../domain/order';
import type { VenueAccountFigures } from '../venues/venue-port';

export interface AccountSummaryInput {
  readonly currency: string;
  readonly now: number;
  readonly venues: ReadonlyArray<{
    readonly name: string;
    readonly balances: readonly Balance[];
    readonly positions: readonly Position[];
    readonly instrument: (id: string) => Instrument | undefined;
    readonly quote: (id: string) => Quote | undefined;
    /** Value in the base currency of one unit of `asset`; undefined when no rate is known. */
    readonly rate: (asset: string) => Decimal | undefined;
    readonly figures?: VenueAccountFigures | undefined;
  }>;
  /** Today's P&L in the base currency (the figure the daily loss limit uses). */
  readonly pnlToday: { readonly realized: Decimal; readonly unrealized: Decimal };
}

const money = (d: Decimal) => toStr(d.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN));

function markOf(q: Quote | undefined): Decimal | undefined {
  if (q?.bid && q.ask) return new Decimal(q.bid).plus(q.ask).div(2);
  return q?.last ? new Decimal(q.last) : undefined;
}

export function accountSummary(i: AccountSummaryInput): AccountSummaryView {
  const base = i.currency.toUpperCase();
  const venues: AccountVenueSummary[] = [];
  let net = ZERO;
  let cashSum = ZERO;
  let posSum = ZERO;
  let bpSum: Decimal | null = ZERO;
  const unconverted: string[] = [];
  for (const v of i.venues) {
    const missing: string[] = [];
    // Spot coins are held as positions too (BTC/USD long 0.1 and a BTC balance of 0.1): counted once, as the position.
    const held = new Set(
      v.positions.flatMap((p) => {
        const inst = v.instrument(p.instrumentId);
        return inst?.assetClass === 'crypto_spot' ? [inst.base.toUpperCase()] : [];
      }),
    );
    let cash = ZERO;
    let available: Decimal | null = ZERO;
    for (const b of v.balances) {
      const asset = b.asset.toUpperCase();
      if (held.has(asset)) continue;
      const r = asset === base ? new Decimal(1) : v.rate(asset);
      if (!r) {
        missing.push(`${b.total} ${b.asset} on ${v.name} (no ${b.asset}/${base} rate)`);
        continue;
      }
      cash = cash.plus(new Decimal(b.total).mul(r));
      if (available) available = available.plus(Decimal.max(ZERO, new Decimal(b.available)).mul(r));
    }
    let positions = ZERO;
    for (const p of v.positions) {
      const qty = new Decimal(p.qty);
      if (qty.isZero()) continue;
      const inst = v.instrument(p.instrumentId);
      const mark = markOf(v.quote(p.instrumentId));
      const r = inst ? (inst.quote.toUpperCase() === base ? new Decimal(1) : v.rate(inst.quote.toUpperCase())) : undefined;
      if (!inst || !mark || !r) {
        const why = !inst ? 'instrument unknown' : !mark ? 'no quote to mark it' : `no ${inst.quote}/${base} rate`;
        missing.push(`${p.qty} ${p.symbol} on ${v.name} (${why})`);
        continue;
      }
      const mult = new Decimal(inst.multiplier);
      // Futures exchange no notional: only their open P&L is the account's.
      const value = inst.assetClass === 'future' || inst.assetClass === 'perpetual' ? mark.minus(p.avgPrice).mul(qty) : mark.mul(qty);
      positions = positions.plus(value.mul(mult).mul(r));
    }
    const f = v.figures;
    const fRate = f ? (f.currency.toUpperCase() === base ? new Decimal(1) : v.rate(f.currency.toUpperCase())) : undefined;
    const ownNet = f?.netLiquidation !== undefined && fRate ? new Decimal(f.netLiquidation).mul(fRate) : undefined;
    const ownBp = f?.buyingPower !== undefined && fRate ? new Decimal(f.buyingPower).mul(fRate) : undefined;
    const netLiq = ownNet ?? cash.plus(positions);
    const bp = ownBp ?? available;
    venues.push({
      venue: v.name,
      cash: money(cash),
      positionsValue: money(positions),
      netLiquidation: money(netLiq),
      buyingPower: bp ? money(bp) : null,
      source: ownNet ? 'venue' : 'computed',
      unconverted: missing,
    });
    net = net.plus(netLiq);
    cashSum = cashSum.plus(cash);
    posSum = posSum.plus(positions);
    bpSum = bpSum && bp ? bpSum.plus(bp) : null;
    unconverted.push(...missing);
  }
  const pnl = i.pnlToday.realized.plus(i.pnlToday.unrealized);
  return {
    currency: base,
    netLiquidation: money(net),
    cash: money(cashSum),
    positionsValue: money(posSum),
    buyingPower: bpSum ? money(bpSum) : null,
    pnlToday: { realized: money(i.pnlToday.realized), unrealized: money(i.pnlToday.unrealized), total: money(pnl) },
    venues,
    unconverted,
    ts: i.now,
  };
}
