/**
 * The engine's one lot ledger across every venue, fed from the journal's fills (every route but
 * SHADOW; adopted and reconciled fills like any other). Rebuilt from the journal at start and on
 * any change of its inputs (opening lots, methods, specific-lot choices); updated incrementally on
 * each fill event. A fill already in the ledger is ignored (idempotent); a fill older than the
 * newest in its book (a reconciled fill from while disconnected) triggers a rebuild, so the state
 * is always the one a full rebuild gives.
 *
 * Prices enter as the price of one contract (price × multiplier); a fee in the instrument's base
 * asset is priced at the fill; a fee in any other currency cannot be priced and is left out and
 * named in `unpricedFees`.
 */
import type { Instrument } from '../domain/instrument';
import { Decimal, ONE } from '../domain/money';
import type { DecimalString } from '../domain/money';
import type { LedgerFillRow, LedgerRepo } from '../store/ledger-repo';
import { applyFill, addOpeningLot, bookKey, emptyLedger, fillOrder, purchaseOf, RELIEF_METHODS, type LedgerFill, type LedgerState, type Lot, type ReliefMethod } from './lot-ledger';
import { washSales, type Purchase, type WashAdjustment } from './tax-lots';

export interface BookInfo {
  readonly instrumentId: string;
  readonly assetClass: Instrument['assetClass'] | undefined;
  readonly currency: string | undefined;
  /** Lot prices are per contract: a unit mark times this. */
  readonly multiplier: Decimal;
}

export interface LedgerView {
  readonly state: LedgerState;
  readonly wash: WashAdjustment[];
}

export interface LotLedgerDeps {
  readonly repo: LedgerRepo;
  /** The instrument of a fill, from its venue; undefined while the venue does not know it. */
  readonly instrument: (venue: string, instrumentId: string) => Instrument | undefined;
}

const isMethod = (m: string): m is ReliefMethod => (RELIEF_METHODS as readonly string[]).includes(m);

export class LotLedger {
  private state: LedgerState = emptyLedger();
  private fills: LedgerFill[] = [];
  private rows: LedgerFillRow[] = [];
  /** Which fills are in and each book's newest: built when the first fill arrives after a rebuild, then kept up. */
  private index: { readonly applied: Set<string>; readonly newest: Map<string, LedgerFill> } | undefined;
  /** Who placed each fill's order, by fill id: built when first asked. */
  private sourceById: Map<string, string> | undefined;
  private readonly books = new Map<string, BookInfo>();
  private readonly securities = new Set<string>();
  private purchases: Purchase[] = [];
  private choices = new Map<string, string[]>();
  private wash: WashAdjustment[] | undefined;
  /** Fees in a currency the ledger cannot price, in words. */
  readonly unpricedFees: string[] = [];

  constructor(private readonly d: LotLedgerDeps) {}

  /** Full rebuild from the journal. */
  rebuild(): void {
    this.choices = this.d.repo.lotChoices();
    this.unpricedFees.length = 0;
    this.rows = this.d.repo.fills();
    this.sourceById = undefined;
    this.fills = this.rows.map((row) => this.toLedgerFill(row));
    this.replay();
  }

  /** A fill the engine journaled (any venue). Returns true if the ledger changed. */
  onFill(fillId: string): boolean {
    if (this.indexed().applied.has(fillId)) return false;
    const row = this.d.repo.fill(fillId);
    if (!row) return false;
    const f = this.toLedgerFill(row);
    this.rows.push(row);
    this.sourceById?.set(row.id, row.source);
    this.fills.push(f);
    const last = this.indexed().newest.get(bookKey(f.venue, f.symbol));
    if (last && fillOrder(f, last) < 0) {
      this.fills.sort(fillOrder);
      this.replay();
    } else this.apply(f);
    return true;
  }

  /** Every close so far, without the wash-sale pass (P&L does not read it). */
  closes(): LedgerState['closes'] {
    return this.state.closes;
  }

  /** The ledger and its wash sales (computed once per change). */
  view(): LedgerView {
    this.wash ??= washSales(this.state.closes, this.purchases, (asset) => this.washable(asset));
    return { state: this.state, wash: this.wash };
  }

  /** The same fills relieved by one method in every account (`tax-report --method`). */
  viewWith(method: ReliefMethod): LedgerView {
    const accounts = new Set(this.fills.map((f) => f.venue));
    const { state, purchases } = this.run(
      [...accounts].map((a) => [a, method]),
      this.fills,
    );
    return { state, wash: washSales(state.closes, purchases, (asset) => this.washable(asset)) };
  }

  /** Describes a book before any fill does (an opening lot). */
  noteBook(account: string, inst: Instrument, symbol = inst.symbol): void {
    const key = bookKey(account, symbol);
    const known = this.books.get(key);
    if (known?.instrumentId !== inst.id || !known.currency)
      this.books.set(key, { instrumentId: inst.id, assetClass: inst.assetClass, currency: inst.quote.toUpperCase(), multiplier: new Decimal(inst.multiplier) });
    if (inst.assetClass === 'equity' || inst.assetClass === 'etf') this.securities.add(symbol);
  }

  /** A book's instrument; one its venue did not know at the time (not yet started) is looked up again. */
  book(account: string, asset: string): BookInfo | undefined {
    const b = this.books.get(bookKey(account, asset));
    if (!b || b.currency) return b;
    const inst = this.d.instrument(account, b.instrumentId);
    if (!inst) return b;
    // Lot prices are per contract: a multiplier learnt late means the basis must be computed again.
    if (!new Decimal(inst.multiplier).eq(1)) this.rebuild();
    else this.noteBook(account, inst, asset);
    return this.books.get(bookKey(account, asset));
  }
  source(fillId: string): string | undefined {
    this.sourceById ??= new Map(this.rows.map((r) => [r.id, r.source]));
    return this.sourceById.get(fillId);
  }
  method(account: string): ReliefMethod {
    return this.state.methods.get(account) ?? 'fifo';
  }
  openLots(): Lot[] {
    return [...this.state.lots.values()].flat();
  }

  /** Wash sales apply to equities and ETFs only (by symbol, in any account). */
  private washable(asset: string): boolean {
    return this.securities.has(asset);
  }

  private replay(): void {
    const methods = this.d.repo.methods().filter((m): m is [string, ReliefMethod] => isMethod(m[1]));
    this.index = undefined;
    const { state, purchases } = this.run(methods, this.fills);
    this.state = state;
    this.purchases = purchases;
    this.wash = undefined;
  }

  private indexed(): { readonly applied: Set<string>; readonly newest: Map<string, LedgerFill> } {
    if (this.index) return this.index;
    const applied = new Set<string>();
    const newest = new Map<string, LedgerFill>();
    // Each book's fills are in apply order, so its last one here is its newest.
    for (const f of this.fills) {
      applied.add(f.id);
      newest.set(bookKey(f.venue, f.symbol), f);
    }
    return (this.index = { applied, newest });
  }

  private run(methods: Iterable<[string, ReliefMethod]>, fills: readonly LedgerFill[]): { state: LedgerState; purchases: Purchase[] } {
    const state = emptyLedger(methods);
    const purchases: Purchase[] = [];
    for (const o of this.d.repo.openingLots()) {
      const lot = addOpeningLot(state, o);
      if (lot.direction === 'long') purchases.push(purchaseOf(lot));
    }
    for (const f of fills) this.applyTo(state, purchases, f);
    return { state, purchases };
  }

  private apply(f: LedgerFill): void {
    this.applyTo(this.state, this.purchases, f);
    const index = this.indexed();
    index.applied.add(f.id);
    index.newest.set(bookKey(f.venue, f.symbol), f);
    this.wash = undefined;
  }

  private applyTo(state: LedgerState, purchases: Purchase[], f: LedgerFill): void {
    applyFill(state, f);
    // A fill opens at most one lot, appended last to its book.
    const book = state.lots.get(bookKey(f.venue, f.symbol));
    const opened = book?.[book.length - 1];
    if (opened?.openFillId === f.id && opened.direction === 'long') purchases.push(purchaseOf(opened));
  }

  private toLedgerFill(row: LedgerFillRow): LedgerFill {
    const inst = this.d.instrument(row.venue, row.instrumentId);
    const mult = inst && inst.multiplier !== '1' ? new Decimal(inst.multiplier) : ONE;
    if (inst) this.noteBook(row.venue, inst, row.symbol);
    else this.books.set(bookKey(row.venue, row.symbol), { instrumentId: row.instrumentId, assetClass: undefined, currency: undefined, multiplier: mult });
    const lotIds = this.choices.get(row.id);
    const fee = this.feeInQuote(row, inst);
    // The journal's row is the ledger's fill as it is when nothing needs converting (the common case).
    if (mult === ONE && fee === row.fee && !lotIds) return row;
    return {
      id: row.id,
      venue: row.venue,
      symbol: row.symbol,
      side: row.side,
      qty: row.qty,
      price: mult === ONE ? row.price : mult.mul(row.price).toString(),
      fee,
      ts: row.ts,
      ...(lotIds ? { lotIds } : {}),
    };
  }

  private feeInQuote(row: LedgerFillRow, inst: Instrument | undefined): DecimalString {
    if (!inst || row.feeCurrency === inst.quote) return row.fee;
    const ccy = row.feeCurrency.toUpperCase();
    if (!ccy || ccy === inst.quote.toUpperCase() || new Decimal(row.fee || '0').isZero()) return row.fee;
    if (ccy === inst.base.toUpperCase()) return new Decimal(row.fee).mul(row.price).toString();
    this.unpricedFees.push(`${row.fee} ${row.feeCurrency} fee on ${row.venue} fill ${row.id} (${row.symbol}) is not in the cost basis: no ${row.feeCurrency}/${inst.quote} price`);
    return '0';
  }
}
