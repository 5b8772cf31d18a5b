/**
 * The lot ledger's commands: P&L (`pnl`), lots (`lots`), closes, exports (`tax-report`, lots and
 * realized CSVs) and the trader's inputs (opening lots, relief method, specific-lot choices).
 */
import type { PnlTotals } from '../portfolio/equity-history';
import type { CommandHandlers } from '../api/engine-api';
import { TradeportError } from '../api/errors';
import { TAX_DISCLAIMER } from '../api/portfolio';
import type { Instrument } from '../domain/instrument';
import { Decimal, parseDecimal, toStr } from '../domain/money';
import { exchangeDate, form8949Csv, form8949Rows, washBasisIndex } from '../portfolio/tax-lots';
import { closeViews, lotsCsv, lotView, lotViews, realizedCsv } from '../portfolio/ledger-views';
import type { LotLedger } from '../portfolio/ledger-service';
import { unitMark } from '../portfolio/marks';
import { pnlCurve, pnlReport, type PnlInput } from '../portfolio/pnl';
import { isValidZone } from '../portfolio/day-boundary';
import type { Clock } from '../ports/clock';
import type { RiskService } from '../risk/risk-service';
import type { LedgerRepo } from '../store/ledger-repo';
import type { VenueManager } from '../venues/venue-manager';

export interface PortfolioCommandsDeps {
  readonly ledger: LotLedger;
  readonly repo: LedgerRepo;
  readonly venues: Pick<VenueManager, 'get' | 'list'>;
  readonly risk: Pick<RiskService, 'accountCurrency' | 'fxToAccount'>;
  readonly clock: Clock;
  /** The trader's IANA time zone for the crypto day boundary (default UTC). */
  readonly timeZone?: string;
}

type Names = 'pnl.get' | 'pnl.curve' | 'lots.list' | 'lots.closes' | 'ledger.export' | 'ledger.openingLot.add' | 'ledger.method.set' | 'ledger.lots.choose';

function parseWhen(v: number | string): number {
  if (typeof v === 'number') return v;
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T12:00:00Z` : v);
  if (Number.isNaN(t)) throw new TradeportError('invalid_input', `openedAt must be a date (2025-03-10), an ISO date-time or epoch milliseconds; got '${v}'.`);
  return t;
}

/** The P&L report's input as the ledger and the venues' marks stand now. */
function pnlInputOf(d: PortfolioCommandsDeps): () => PnlInput {
  const zone = d.timeZone && isValidZone(d.timeZone) ? d.timeZone : undefined;
  const mark = (venue: string, instrumentId: string): Decimal | undefined => unitMark(d.venues.get(venue)?.quote(instrumentId));
  return () => ({
    currency: d.risk.accountCurrency,
    now: d.clock.now(),
    traderZone: zone,
    closes: d.ledger.closes(),
    lots: d.ledger.openLots(),
    book: d.ledger.book.bind(d.ledger),
    source: d.ledger.source.bind(d.ledger),
    mark,
    rate: (venue, ccy) => d.risk.fxToAccount(venue, ccy),
  });
}

/** The ledger's realized and unrealized total now, in the reporting currency (kept beside each equity snapshot). */
export function pnlTotals(d: PortfolioCommandsDeps): () => PnlTotals {
  const input = pnlInputOf(d);
  return () => {
    const r = pnlReport(input(), 'venue');
    return { currency: r.currency, realized: r.total.realized, unrealized: r.total.unrealized };
  };
}

export function portfolioCommands(d: PortfolioCommandsDeps): Pick<CommandHandlers, Names> {
  const mark = (venue: string, instrumentId: string): Decimal | undefined => unitMark(d.venues.get(venue)?.quote(instrumentId));
  const viewDeps = () => ({ now: d.clock.now(), book: d.ledger.book.bind(d.ledger), mark });
  const pnlInput = pnlInputOf(d);
  const knownVenue = (venue: string) => {
    if (!d.venues.list().some((v) => v.name === venue)) throw new TradeportError('unknown_venue', `No venue named "${venue}". See: tradeport venues`);
  };

  return {
    'pnl.get': (i) => pnlReport(pnlInput(), i.by, i.sinceTs),
    'pnl.curve': (i) => pnlCurve(pnlInput(), i.sinceTs),
    'lots.list': (i) => lotViews(d.ledger.view(), viewDeps(), i),
    'lots.closes': (i) => closeViews(d.ledger.view(), viewDeps(), i),
    'ledger.export': (i) => {
      const v = i.method ? d.ledger.viewWith(i.method) : d.ledger.view();
      const year = i.year ?? Number(exchangeDate(d.clock.now()).slice(0, 4));
      if (i.kind === 'lots') {
        const lots = lotViews(v, viewDeps());
        return { csv: lotsCsv(lots), rows: lots.length, filename: `lots-${exchangeDate(d.clock.now())}.csv`, disclaimer: TAX_DISCLAIMER };
      }
      if (i.kind === 'realized') {
        const closes = closeViews(v, viewDeps()).filter((c) => exchangeDate(c.closedAt).startsWith(`${year}-`));
        return { csv: realizedCsv(closes), rows: closes.length, filename: `realized-${year}.csv`, disclaimer: TAX_DISCLAIMER };
      }
      const rows = form8949Rows(v.state.closes, v.wash, year);
      return { csv: form8949Csv(rows), rows: rows.length, filename: `form8949-${year}.csv`, disclaimer: TAX_DISCLAIMER };
    },
    'ledger.openingLot.add': (i) => {
      knownVenue(i.venue);
      const qty = parseDecimal(i.qty);
      if (!qty || qty.lte(0)) throw new TradeportError('invalid_quantity', `An opening lot's quantity must be a positive number; got '${String(i.qty)}'.`);
      const cost = parseDecimal(i.cost);
      if (!cost || cost.lt(0)) throw new TradeportError('invalid_price', `An opening lot's cost must be the total you paid (zero or more); got '${String(i.cost)}'.`);
      const openedAt = parseWhen(i.openedAt);
      if (openedAt > d.clock.now()) throw new TradeportError('invalid_input', `An opening lot was acquired in the past; ${new Date(openedAt).toISOString()} is in the future.`);
      const inst: Instrument | undefined = d.venues.get(i.venue)?.instrument(i.symbol);
      const symbol = inst?.symbol ?? i.symbol;
      const id = `open-${d.repo.openingLots().length + 1}-${d.clock.now()}`;
      d.repo.addOpeningLot({ id, account: i.venue, asset: symbol, direction: i.direction, qty: toStr(qty), cost: toStr(cost), openedAt }, d.clock.now());
      if (inst) d.ledger.noteBook(i.venue, inst);
      d.ledger.rebuild();
      const lot = d.ledger.openLots().find((l) => l.id === id);
      if (!lot) throw new TradeportError('internal', 'The opening lot was stored but is not in the ledger.');
      return lotView(lot, washBasisIndex(d.ledger.view().wash), viewDeps());
    },
    'ledger.method.set': (i) => {
      knownVenue(i.venue);
      d.repo.setMethod(i.venue, i.method);
      d.ledger.rebuild();
      return { venue: i.venue, method: d.ledger.method(i.venue) };
    },
    'ledger.lots.choose': (i) => {
      const fill = d.repo.fill(i.fillId);
      if (!fill) throw new TradeportError('invalid_input', `No fill "${i.fillId}" in the ledger (see: tradeport fills).`);
      if (d.ledger.method(fill.venue) !== 'specific') {
        throw new TradeportError(
          'invalid_input',
          `${fill.venue} relieves lots by ${d.ledger.method(fill.venue).toUpperCase()}; set specific-lot relief first: tradeport lot-method ${fill.venue} specific`,
        );
      }
      d.repo.setLotChoice(i.fillId, i.lotIds);
      d.ledger.rebuild();
      return { fillId: i.fillId, lotIds: [...i.lotIds] };
    },
  };
}
