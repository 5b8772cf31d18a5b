/**
 * Price alerts: "tell me when AAPL crosses above 231", "… below 228", "… moves 2 % from here".
 * Pure: what an alert is, the price it watches (the last trade, else the mid), and whether a quote
 * sets it off. An alert fires once; a crossing alert set on the wrong side of the market is refused
 * at creation because it would fire at once.
 */
import { Decimal, type DecimalString } from './money';

export type PriceAlertCondition = 'above' | 'below' | 'move_pct';

export interface PriceAlert {
  readonly id: string;
  readonly venue: string;
  readonly instrumentId: string;
  readonly symbol: string;
  readonly condition: PriceAlertCondition;
  /** The level for above/below. */
  readonly price?: DecimalString;
  /** The move for move_pct, in percent of `refPrice` (either way). */
  readonly pct?: DecimalString;
  /** The price when the alert was set (move_pct measures from it). */
  readonly refPrice: DecimalString;
  readonly note?: string;
  readonly createdAt: number;
  readonly firedAt?: number;
  readonly firedPrice?: DecimalString;
}

/** The price an alert watches: the last trade, else the mid of bid and ask, else one side. */
export function watchedPrice(q: { readonly bid?: string; readonly ask?: string; readonly last?: string }): Decimal | undefined {
  if (q.last !== undefined) return new Decimal(q.last);
  if (q.bid !== undefined && q.ask !== undefined) return new Decimal(q.bid).plus(q.ask).div(2);
  const one = q.bid ?? q.ask;
  return one === undefined ? undefined : new Decimal(one);
}

/** True when `price` sets the alert off. */
export function triggers(a: Pick<PriceAlert, 'condition' | 'price' | 'pct' | 'refPrice'>, price: Decimal): boolean {
  switch (a.condition) {
    case 'above':
      return price.gte(a.price!);
    case 'below':
      return price.lte(a.price!);
    case 'move_pct': {
      const ref = new Decimal(a.refPrice);
      return !ref.isZero() && price.minus(ref).abs().div(ref).mul(100).gte(a.pct!);
    }
  }
}

/** What the alert says in words: "AAPL crossed above 231 (at 231.02)". */
export function describeAlert(a: Pick<PriceAlert, 'symbol' | 'condition' | 'price' | 'pct' | 'refPrice'>, at?: DecimalString): string {
  const what = a.condition === 'move_pct' ? `moved ${a.pct}% from ${a.refPrice}` : `crossed ${a.condition} ${a.price}`;
  return `${a.symbol} ${what}${at !== undefined ? ` (at ${at})` : ''}`;
}
