/**
 * A strategy's money from the fills it accounted: what it bought and sold, its fees and its P&L at
 * a mark. Realized P&L is at average cost (each sell against the average price of what is held),
 * net of every fee; unrealized is what is held at the mark against that average cost. Their sum is
 * cash from sells − cash for buys − fees + held × mark.
 */
import { Decimal, toStr } from '../domain/money';
import type { StrategyFill } from './strategy-types';

export interface StrategyMoney {
  readonly bought: string;
  readonly sold: string;
  readonly fees: string;
  /** Realized + unrealized; null without a mark while something is held. */
  readonly pnl: string | null;
}

export interface StrategyPnl {
  readonly bought: Decimal;
  readonly sold: Decimal;
  readonly spent: Decimal;
  readonly received: Decimal;
  readonly fees: Decimal;
  readonly held: Decimal;
  /** Average cost of what is held (0 when flat). */
  readonly avgCost: Decimal;
  readonly realized: Decimal;
  /** At the mark; undefined without one while something is held. */
  readonly unrealized: Decimal | undefined;
}

export function strategyPnl(fills: readonly Pick<StrategyFill, 'side' | 'qty' | 'price' | 'fee'>[], mark: Decimal.Value | undefined): StrategyPnl {
  let bought = new Decimal(0);
  let sold = new Decimal(0);
  let spent = new Decimal(0);
  let received = new Decimal(0);
  let fees = new Decimal(0);
  let held = new Decimal(0);
  let basis = new Decimal(0);
  let realized = new Decimal(0);
  for (const f of fills) {
    const qty = new Decimal(f.qty);
    const value = qty.mul(f.price);
    fees = fees.plus(f.fee);
    realized = realized.minus(f.fee);
    if (f.side === 'buy') {
      bought = bought.plus(qty);
      spent = spent.plus(value);
      held = held.plus(qty);
      basis = basis.plus(value);
    } else {
      sold = sold.plus(qty);
      received = received.plus(value);
      // A sell of more than is held (never planned) realizes the excess at no cost.
      const cost = held.gt(0) ? basis.mul(Decimal.min(qty, held)).div(held) : new Decimal(0);
      realized = realized.plus(value).minus(cost);
      basis = basis.minus(cost);
      held = held.minus(qty);
    }
  }
  const avgCost = held.gt(0) ? basis.div(held) : new Decimal(0);
  const unrealized = held.isZero() ? new Decimal(0) : mark !== undefined ? held.mul(mark).minus(held.gt(0) ? basis : 0) : undefined;
  return { bought, sold, spent, received, fees, held, avgCost, realized, unrealized };
}

export function strategyMoney(fills: readonly StrategyFill[], mark: string | undefined): StrategyMoney {
  const p = strategyPnl(fills, mark);
  const pnl = p.unrealized === undefined ? undefined : p.realized.plus(p.unrealized);
  return { bought: toStr(p.bought), sold: toStr(p.sold), fees: toStr(p.fees), pnl: pnl ? toStr(pnl.toDecimalPlaces(8)) : null };
}
