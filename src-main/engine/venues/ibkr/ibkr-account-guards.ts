/**
 * The account guards on an IB preview, from the values TWS reports (the same guards Alpaca's
 * preview applies, shared in engine/guards):
 * - a cash account (setting `accountKind=cash`, or `auto` with an AccountType naming cash):
 *   settled and unsettled cash (IB's SettledCash and TotalCashValue), a warning before a buy paid
 *   with unsettled proceeds or a sale that would be a good-faith violation, and free-riding
 *   blocked. The fills replayed are the executions TWS lists (its last 7 days), plenty for T+1;
 *   the violation count says so.
 * - a margin account whose whatIf answer is missing: the BuyingPower TWS streams, less our working
 *   buys, blocks an order beyond it (with whatIf, IB's own margin check decides).
 * - an order that could trade against our own opposite order is flagged: IB's self-trade
 *   prevention may cancel one of them.
 * Pure: the preview gathers the inputs.
 */
import type { PreviewIssue } from '../../api/commands';
import type { Instrument } from '../../domain/instrument';
import { Decimal, toStr } from '../../domain/money';
import type { NormalizedTicket } from '../../domain/order-validation';
import { cashAccountIssues, type CashFill } from '../../guards/cash-settlement';
import { washOpponent, workingBuys, type OpenOrderView } from '../../guards/order-guards';
import { newYorkDate, settlementDate } from '../../market/settlement';
import type { IbkrSettings } from './ibkr-config';

export interface IbGuardInput {
  readonly inst: Instrument;
  readonly ticket: Pick<NormalizedTicket, 'side' | 'type' | 'qty' | 'limitPrice'>;
  /** The price the order is expected to trade at (limit, else the touch); undefined without a quote. */
  readonly price: Decimal | undefined;
  readonly now: number;
  readonly accountKind: IbkrSettings['accountKind'];
  /** An account value as TWS streams it (TotalCashValue, SettledCash, BuyingPower, AccountType). */
  readonly value: (key: string) => string | undefined;
  /** Our working orders at IB. */
  readonly openOrders: readonly OpenOrderView[];
  /** True when IB's own whatIf margin check answered. */
  readonly whatIfChecked: boolean;
}

/** Whether the guards treat the account as a cash account. */
export function isCashAccount(kind: IbkrSettings['accountKind'], accountType: string | undefined): boolean {
  return kind === 'cash' || (kind === 'auto' && /\bcash\b/i.test(accountType ?? ''));
}

/** Instruments whose trades settle through cash the way stocks do; crypto settles at once; futures and forex have no such rule. */
function settles(inst: Instrument): 'T+1' | 'now' | undefined {
  if (inst.assetClass === 'equity' || inst.assetClass === 'etf' || inst.assetClass === 'option') return 'T+1';
  if (inst.assetClass === 'crypto_spot') return 'now';
  return undefined;
}

const num = (v: string | undefined): Decimal | undefined => (v !== undefined && v.trim() !== '' && Number.isFinite(Number(v)) ? new Decimal(v) : undefined);

/** The fills TWS listed, as the cash ledger replays them (oldest first). */
export function cashFills(
  fills: ReadonlyArray<{ instrumentId: string; side: 'buy' | 'sell'; qty: string; price: string; ts: number }>,
  find: (instrumentId: string) => Instrument | undefined,
): CashFill[] {
  return [...fills]
    .sort((a, b) => a.ts - b.ts)
    .flatMap((f) => {
      const inst = find(f.instrumentId);
      if (!inst || !settles(inst)) return [];
      return [{ date: newYorkDate(f.ts), symbol: inst.symbol, side: f.side, qty: new Decimal(f.qty).mul(inst.multiplier).toString(), price: f.price, crypto: settles(inst) === 'now' }];
    });
}

export function ibAccountGuards(x: IbGuardInput, fills: readonly CashFill[]): { warnings: PreviewIssue[]; violations: PreviewIssue[] } {
  const warnings: PreviewIssue[] = [];
  const violations: PreviewIssue[] = [];
  const { inst, ticket: t, price } = x;
  const notional = price?.mul(t.qty).mul(inst.multiplier);
  const rule = settles(inst);
  const cash = num(x.value('TotalCashValue'));
  if (isCashAccount(x.accountKind, x.value('AccountType')) && rule && cash && price) {
    const settled = num(x.value('SettledCash'));
    const r = cashAccountIssues({
      cash: toStr(cash),
      fills,
      order: { date: newYorkDate(x.now), symbol: inst.symbol, side: t.side, qty: new Decimal(t.qty).mul(inst.multiplier).toString(), price: toStr(price), crypto: rule === 'now' },
      settles: settlementDate,
      history: 'in the executions IB lists (its last 7 days)',
      ...(settled ? { venueSettled: toStr(settled) } : {}),
    });
    warnings.push(...r.warnings);
    violations.push(...r.violations);
  } else if (!x.whatIfChecked && t.side === 'buy' && notional) {
    const bp = num(x.value('BuyingPower'));
    if (bp) {
      const left = Decimal.max(0, bp.minus(workingBuys(x.openOrders)));
      if (notional.gt(left))
        violations.push({
          code: 'insufficient_buying_power',
          message: `This order needs about ${toStr(notional.toDecimalPlaces(2))} ${inst.quote} but IB's buying power after your working buys is ${toStr(left.toDecimalPlaces(2))}; IB's margin check did not answer, so Tradeport holds it back. Reduce the size or cancel a working buy.`,
        });
    }
  }
  const opp = washOpponent(t, inst.id, x.openOrders);
  if (opp)
    warnings.push({
      code: 'wash_trade',
      message: `This order could trade against your own ${opp.side ?? 'opposite'} order ${opp.clientOrderId}${opp.limitPrice ? ` at ${opp.limitPrice}` : ''}; IB's self-trade prevention may cancel one of them. Cancel that order first or change the price.`,
    });
  return { warnings, violations };
}
