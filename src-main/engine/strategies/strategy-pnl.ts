/** A strategy's money from the fills it accounted: what it bought and sold, its fees and its P&L at a mark. */
import { Decimal, toStr } from '../domain/money';
import type { StrategyFill } from './strategy-types';

export interface StrategyMoney {
  readonly bought: string;
  readonly sold: string;
  readonly fees: string;
  /** Cash from sells − cash for buys − fees + (bought − sold) × mark; null without a mark while something is held. */
  readonly pnl: string | null;
}

export function strategyMoney(fills: readonly StrategyFill[], mark: string | undefined): StrategyMoney {
  let bought = new Decimal(0);
  let sold = new Decimal(0);
  let cash = new Decimal(0);
  let fees = new Decimal(0);
  for (const f of fills) {
    const value = new Decimal(f.qty).mul(f.price);
    if (f.side === 'buy') {
      bought = bought.plus(f.qty);
      cash = cash.minus(value);
    } else {
      sold = sold.plus(f.qty);
      cash = cash.plus(value);
    }
    fees = fees.plus(f.fee);
  }
  const held = bought.minus(sold);
  const pnl = held.isZero() ? cash.minus(fees) : mark ? cash.minus(fees).plus(held.mul(mark)) : undefined;
  return { bought: toStr(bought), sold: toStr(sold), fees: toStr(fees), pnl: pnl ? toStr(pnl.toDecimalPlaces(8)) : null };
}
