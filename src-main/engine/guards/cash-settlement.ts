/**
 * Cash-account settlement guards, for any venue that reports a cash account's cash and fills
 * (a margin account has none of these): US equities settle T+1,
 * crypto at once. Replaying the account's fills gives, for each position lot, whether it was paid
 * with settled cash, with unsettled sale proceeds, or not paid at all. Then:
 * - a purchase paid partly with unsettled proceeds is allowed, with a warning;
 * - selling such a lot before those proceeds settle is a good-faith violation (warned);
 * - a purchase beyond settled cash plus unsettled proceeds, or selling a lot nobody paid for,
 *   is free-riding (blocked).
 * Pure; `settles(ymd)` says when a trade of that New York date settles.
 */
import type { PreviewIssue } from '../api/commands';
import { Decimal, toStr } from '../domain/money';

export interface CashFill {
  /** New York trade date, yyyy-mm-dd. */
  readonly date: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly qty: string;
  readonly price: string;
  /** Crypto settles at once. */
  readonly crypto: boolean;
}

interface Lot {
  qty: Decimal;
  /** Date after which the proceeds used to buy it have settled ('' when paid with settled cash). */
  fundsSettle: string;
  unpaid: boolean;
}

interface Pending {
  amount: Decimal;
  settle: string;
}

export interface CashState {
  readonly settled: Decimal;
  readonly unsettled: Decimal;
  /** When the last unsettled proceeds settle ('' when none). */
  readonly settlesOn: string;
  readonly violations: number;
}

export class CashLedger {
  private settled: Decimal;
  private pending: Pending[] = [];
  private readonly lots = new Map<string, Lot[]>();
  violations = 0;

  /** `cashBefore`: the cash (all settled) before the first fill replayed. */
  constructor(
    cashBefore: Decimal,
    private readonly settles: (ymd: string) => string,
  ) {
    this.settled = cashBefore;
  }

  private settleUpTo(date: string): void {
    for (const p of this.pending.filter((x) => x.settle <= date)) this.settled = this.settled.plus(p.amount);
    this.pending = this.pending.filter((x) => x.settle > date);
  }

  state(date: string): CashState {
    this.settleUpTo(date);
    const unsettled = this.pending.reduce((s, p) => s.plus(p.amount), new Decimal(0));
    return {
      settled: this.settled,
      unsettled,
      settlesOn:
        this.pending
          .map((p) => p.settle)
          .sort()
          .at(-1) ?? '',
      violations: this.violations,
    };
  }

  /** Applies a buy; returns how it was paid. */
  buy(f: CashFill): { fromUnsettled: Decimal; unpaid: Decimal; fundsSettle: string } {
    this.settleUpTo(f.date);
    let cost = new Decimal(f.qty).mul(f.price);
    const fromSettled = Decimal.min(cost, Decimal.max(0, this.settled));
    this.settled = this.settled.minus(fromSettled);
    cost = cost.minus(fromSettled);
    let fromUnsettled = new Decimal(0);
    let fundsSettle = '';
    for (const p of this.pending.sort((a, b) => a.settle.localeCompare(b.settle))) {
      if (cost.lte(0)) break;
      const use = Decimal.min(cost, p.amount);
      p.amount = p.amount.minus(use);
      cost = cost.minus(use);
      fromUnsettled = fromUnsettled.plus(use);
      fundsSettle = p.settle > fundsSettle ? p.settle : fundsSettle;
    }
    this.pending = this.pending.filter((p) => p.amount.gt(0));
    const lots = this.lots.get(f.symbol) ?? [];
    lots.push({ qty: new Decimal(f.qty), fundsSettle: fromUnsettled.gt(0) && !f.crypto ? fundsSettle : '', unpaid: cost.gt(0) });
    this.lots.set(f.symbol, lots);
    return { fromUnsettled, unpaid: cost, fundsSettle };
  }

  /** Applies a sell (FIFO lots); returns what selling them now would be. */
  sell(f: CashFill): { goodFaith: string | undefined; freeRide: boolean } {
    this.settleUpTo(f.date);
    let left = new Decimal(f.qty);
    let goodFaith: string | undefined;
    let freeRide = false;
    for (const lot of this.lots.get(f.symbol) ?? []) {
      if (left.lte(0)) break;
      const take = Decimal.min(left, lot.qty);
      if (take.lte(0)) continue;
      if (lot.unpaid) freeRide = true;
      else if (lot.fundsSettle !== '' && lot.fundsSettle > f.date) goodFaith = lot.fundsSettle;
      lot.qty = lot.qty.minus(take);
      left = left.minus(take);
    }
    this.lots.set(
      f.symbol,
      (this.lots.get(f.symbol) ?? []).filter((l) => l.qty.gt(0)),
    );
    const proceeds = new Decimal(f.qty).mul(f.price);
    if (f.crypto) this.settled = this.settled.plus(proceeds);
    else this.pending.push({ amount: proceeds, settle: this.settles(f.date) });
    if (goodFaith || freeRide) this.violations++;
    return { goodFaith, freeRide };
  }
}

export interface CashCheckInput {
  /** Cash now, as the venue reports it. */
  readonly cash: string;
  /** The account's fills, oldest first (the last 12 months for the violation count). */
  readonly fills: readonly CashFill[];
  /** The span `fills` covers, as the count of violations is worded ("in the last 12 months" by default). */
  readonly history?: string;
  /** Settled cash as the venue itself reports it; shown instead of the replayed figure when given. */
  readonly venueSettled?: string;
  /** The order, as a fill today at the estimated price. */
  readonly order: CashFill;
  readonly settles: (ymd: string) => string;
}

export function cashAccountIssues(x: CashCheckInput): { warnings: PreviewIssue[]; violations: PreviewIssue[]; state: CashState } {
  const flow = x.fills.reduce((s, f) => s.plus(new Decimal(f.qty).mul(f.price).mul(f.side === 'buy' ? -1 : 1)), new Decimal(0));
  const ledger = new CashLedger(new Decimal(x.cash).minus(flow), x.settles);
  for (const f of x.fills) {
    if (f.side === 'buy') ledger.buy(f);
    else ledger.sell(f);
  }
  const replayed = ledger.state(x.order.date);
  const state = x.venueSettled !== undefined ? { ...replayed, settled: new Decimal(x.venueSettled), unsettled: Decimal.max(0, new Decimal(x.cash).minus(x.venueSettled)) } : replayed;
  const usd = (d: Decimal): string => `${toStr(d.toDecimalPlaces(2))} USD`;
  const warnings: PreviewIssue[] = [
    {
      code: 'settlement',
      message: `Cash account: settled ${usd(state.settled)}, unsettled ${usd(state.unsettled)}${state.settlesOn ? ` (settles by ${state.settlesOn})` : ''}; ${state.violations} good-faith or free-riding violation(s) ${x.history ?? 'in the last 12 months'}.`,
    },
  ];
  const violations: PreviewIssue[] = [];
  if (x.order.side === 'buy') {
    const paid = ledger.buy(x.order);
    if (paid.unpaid.gt(0))
      violations.push({
        code: 'free_riding',
        message: `This buy needs ${usd(paid.unpaid)} more than your settled cash and unsettled proceeds; in a cash account that is free-riding. Reduce it to ${usd(state.settled.plus(state.unsettled))} or less.`,
      });
    else if (paid.fromUnsettled.gt(0))
      warnings.push({
        code: 'unsettled_funds',
        message: `${usd(paid.fromUnsettled)} of this buy is paid with proceeds that settle on ${paid.fundsSettle}; selling it before then is a good-faith violation.`,
      });
  } else {
    const sold = ledger.sell(x.order);
    if (sold.freeRide)
      violations.push({
        code: 'free_riding',
        message: `These ${x.order.symbol} shares were bought without settled funds; selling them before paying for them is free-riding (a cash account is then restricted for 90 days).`,
      });
    else if (sold.goodFaith)
      warnings.push({
        code: 'good_faith_violation',
        message: `These ${x.order.symbol} shares were bought with proceeds that settle on ${sold.goodFaith}; selling before then is a good-faith violation (${state.violations + 1} ${x.history ?? 'in the last 12 months'}; the fourth in 12 months restricts the account for 90 days).`,
      });
  }
  return { warnings, violations, state };
}
