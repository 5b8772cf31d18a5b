/**
 * What the header and the positions footer say about the account, as pure functions: the engine's
 * `account.summary` figures in words, and the positions' open P&L added only within one currency
 * (converted to the base currency where a rate is quoted, else named apart, never summed as if
 * it were dollars).
 */
import type { AccountSummaryView, QuoteView } from '../../../../src-main/engine/api/commands';
import type { Instrument } from '../../../../src-main/engine/domain/instrument';
import { Decimal } from '../../../../src-main/engine/domain/money';

export interface HeaderFigure {
  readonly id: 'netliq' | 'bp' | 'pnl';
  readonly label: string;
  readonly value: string | null;
  readonly kind: 'money' | 'pnl';
  readonly title: string;
}

export function headerFigures(s: AccountSummaryView | undefined): HeaderFigure[] {
  const ccy = s?.currency ?? 'USD';
  const perVenue = s?.venues.map((v) => `${v.venue} ${v.netLiquidation}${v.source === 'venue' ? ' (the venue’s figure)' : ''}`).join(', ') ?? '';
  return [
    { id: 'netliq', label: `net liq ${ccy}`, value: s?.netLiquidation ?? null, kind: 'money', title: `Cash plus positions at their mark, in ${ccy}${perVenue ? `: ${perVenue}` : ''}` },
    {
      id: 'bp',
      label: 'buying power',
      value: s?.buyingPower ?? null,
      kind: 'money',
      title: s && s.buyingPower === null ? 'A venue in the total reports no buying power' : `What new orders can use, in ${ccy}`,
    },
    {
      id: 'pnl',
      label: 'P&L today',
      value: s?.pnlToday.total ?? null,
      kind: 'pnl',
      title: s ? `Realized today ${s.pnlToday.realized} (fees included) + open ${s.pnlToday.unrealized} ${ccy} — the figure the daily loss limit uses` : '',
    },
  ];
}

/** "Not in the totals: 0.0421 BTC on coinbase (no BTC/USD rate)", or null when everything was converted. */
export function unconvertedNote(s: AccountSummaryView | undefined): string | null {
  return s && s.unconverted.length > 0 ? `Not in the totals: ${s.unconverted.join('; ')}` : null;
}

export interface UnrealizedTotal {
  readonly currency: string;
  readonly total: string;
  /** Amounts in other currencies with no rate to convert them: shown apart. */
  readonly unconverted: ReadonlyArray<{ readonly currency: string; readonly amount: string }>;
}

function mid(q: QuoteView | undefined): Decimal | undefined {
  if (q?.bid && q.ask) return new Decimal(q.bid).plus(q.ask).div(2);
  return q?.last ? new Decimal(q.last) : undefined;
}

/**
 * Open P&L of the positions in `base`: amounts in another currency are converted at the mid of a
 * `CCY/BASE` quote on the same venue when one is streaming, else listed apart.
 */
export function totalUnrealized(
  rows: ReadonlyArray<{ readonly venue: string; readonly instrument: Instrument | undefined; readonly unrealized: string | undefined }>,
  instruments: Readonly<Record<string, Instrument>>,
  quotes: Readonly<Record<string, QuoteView>>,
  base = 'USD',
): UnrealizedTotal {
  let total = new Decimal(0);
  const apart = new Map<string, Decimal>();
  const rate = (venue: string, ccy: string): Decimal | undefined => {
    const pair = Object.values(instruments).find((i) => i.venue === venue && i.symbol.toUpperCase() === `${ccy}/${base}`);
    return pair ? mid(quotes[pair.id]) : undefined;
  };
  for (const r of rows) {
    if (!r.unrealized) continue;
    const ccy = (r.instrument?.quote ?? base).toUpperCase();
    const amount = new Decimal(r.unrealized);
    const fx = ccy === base.toUpperCase() ? new Decimal(1) : rate(r.venue, ccy);
    if (fx) total = total.plus(amount.mul(fx));
    else apart.set(ccy, (apart.get(ccy) ?? new Decimal(0)).plus(amount));
  }
  return { currency: base, total: total.toFixed(), unconverted: [...apart].map(([currency, a]) => ({ currency, amount: a.toFixed() })) };
}
