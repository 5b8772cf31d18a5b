/**
 * P&L from the lot ledger: realized per close (and per day), unrealized of open lots at their
 * marks, grouped by venue, symbol, asset class or strategy (the order's source), in the
 * instrument's currency converted to the reporting currency at the rate shown. Economic P&L: wash
 * sale adjustments belong to the tax view (lots, Form 8949), not here. What has no rate or mark is
 * left out and named, never added as if it were the reporting currency.
 */
import type { PnlCurveView, PnlRowView, PnlView } from '../api/portfolio';
import { Decimal, ZERO } from '../domain/money';
import { DAY_BOUNDARY_NOTE, dayStart } from './day-boundary';
import type { BookInfo } from './ledger-service';
import type { Close, Lot } from './lot-ledger';

export type PnlGroup = PnlView['by'];

export interface PnlInput {
  readonly currency: string;
  readonly now: number;
  readonly traderZone?: string | undefined;
  readonly closes: readonly Close[];
  readonly lots: readonly Lot[];
  readonly book: (account: string, asset: string) => BookInfo | undefined;
  readonly source: (fillId: string) => string | undefined;
  /** Mark of one unit (mid, else last); undefined when there is no quote. */
  readonly mark: (venue: string, instrumentId: string) => Decimal | undefined;
  /** Reporting-currency value of one unit of `currency` at `venue`; undefined when unknown. */
  readonly rate: (venue: string, currency: string) => Decimal | undefined;
}

const money = (d: Decimal): string => d.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2);

/** Unrealized P&L of a lot at a unit mark, in the instrument's currency. */
export function lotUnrealized(lot: Lot, unitMark: Decimal, multiplier: Decimal): Decimal {
  const value = unitMark.mul(multiplier).mul(lot.qty);
  return lot.direction === 'long' ? value.minus(lot.basis) : lot.basis.minus(value);
}

interface Acc {
  realized: Decimal;
  unrealized: Decimal;
  today: Decimal;
}

function converter(i: PnlInput) {
  const base = i.currency.toUpperCase();
  const rates = new Map<string, Decimal>();
  const unconverted: string[] = [];
  const convert = (venue: string, ccy: string | undefined, amount: Decimal, what: string): Decimal | undefined => {
    if (!ccy) {
      unconverted.push(`${what} (instrument unknown: currency not known)`);
      return undefined;
    }
    const r = ccy === base ? new Decimal(1) : i.rate(venue, ccy);
    if (!r) {
      unconverted.push(`${what} (no ${ccy}/${base} rate)`);
      return undefined;
    }
    if (ccy !== base) rates.set(ccy, r);
    return amount.mul(r);
  };
  return { base, rates, unconverted, convert };
}

export function pnlReport(i: PnlInput, by: PnlGroup, sinceTs?: number): PnlView {
  const c = converter(i);
  const groups = new Map<string, Acc>();
  const acc = (key: string): Acc => {
    let a = groups.get(key);
    if (!a) groups.set(key, (a = { realized: ZERO, unrealized: ZERO, today: ZERO }));
    return a;
  };
  const keyOf = (account: string, asset: string, fillId: string): string => {
    if (by === 'venue') return account;
    if (by === 'symbol') return asset;
    if (by === 'assetClass') return i.book(account, asset)?.assetClass ?? 'unknown';
    return i.source(fillId) ?? 'external';
  };
  for (const close of i.closes) {
    if (sinceTs !== undefined && close.closedAt < sinceTs) continue;
    const b = i.book(close.account, close.asset);
    const v = c.convert(close.account, b?.currency, close.realized, `realized ${close.realized.toFixed()} on ${close.qty.toFixed()} ${close.asset} at ${close.account}`);
    if (!v) continue;
    const a = acc(keyOf(close.account, close.asset, close.closeFillId));
    a.realized = a.realized.plus(v);
    if (close.closedAt >= dayStart(b?.assetClass, i.now, i.traderZone)) a.today = a.today.plus(v);
  }
  for (const lot of i.lots) {
    const b = i.book(lot.account, lot.asset);
    const mark = b ? i.mark(lot.account, b.instrumentId) : undefined;
    if (!b || !mark) {
      c.unconverted.push(`${lot.qty.toFixed()} ${lot.asset} on ${lot.account} (no quote to mark it)`);
      continue;
    }
    const v = c.convert(lot.account, b.currency, lotUnrealized(lot, mark, b.multiplier), `${lot.qty.toFixed()} ${lot.asset} on ${lot.account}`);
    if (!v) continue;
    const a = acc(keyOf(lot.account, lot.asset, lot.openFillId));
    a.unrealized = a.unrealized.plus(v);
  }
  const row = (key: string, a: Acc): PnlRowView => ({ key, realized: money(a.realized), unrealized: money(a.unrealized), today: money(a.today), total: money(a.realized.plus(a.unrealized)) });
  const total = [...groups.values()].reduce<Acc>((t, a) => ({ realized: t.realized.plus(a.realized), unrealized: t.unrealized.plus(a.unrealized), today: t.today.plus(a.today) }), {
    realized: ZERO,
    unrealized: ZERO,
    today: ZERO,
  });
  return {
    currency: c.base,
    by,
    rows: [...groups.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([k, a]) => row(k, a)),
    total: row('total', total),
    rates: [...c.rates.entries()].sort().map(([from, r]) => ({ from, rate: r.toString() })),
    unconverted: c.unconverted,
    dayBoundary: DAY_BOUNDARY_NOTE,
    ts: i.now,
  };
}

/** Realized P&L per UTC day, cumulative, and the total now (cumulative realized plus open P&L at marks). */
export function pnlCurve(i: PnlInput, sinceTs?: number): PnlCurveView {
  const c = converter(i);
  const days = new Map<number, Decimal>();
  for (const close of i.closes) {
    if (sinceTs !== undefined && close.closedAt < sinceTs) continue;
    const v = c.convert(close.account, i.book(close.account, close.asset)?.currency, close.realized, close.asset);
    if (!v) continue;
    const day = close.closedAt - (close.closedAt % 86_400_000);
    days.set(day, (days.get(day) ?? ZERO).plus(v));
  }
  let cum = ZERO;
  const points = [...days.entries()]
    .sort(([a], [b]) => a - b)
    .map(([time, realized]) => {
      cum = cum.plus(realized);
      return { time, realized: money(realized), cumulative: money(cum) };
    });
  const open = pnlReport({ ...i, closes: [] }, 'venue').total.unrealized;
  return { currency: c.base, points, now: { time: i.now, total: money(cum.plus(open)) } };
}
