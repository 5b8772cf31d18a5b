/**
 * One simulated order book for a simulated venue: records orders in the store it is given, runs
 * them through a matching engine against the book it is handed, and turns what happened into the
 * venue's records and reports. The Paper venue (its own seeded books) and the SHADOW route (a
 * real venue's books) both drive one of these; neither matches or books orders itself.
 *
 * Every method takes `now` and the book to match against: the simulator owns no clock and no
 * market. Checks a venue makes before it accepts an order (is it running, is the account able to
 * carry it) stay with the venue; this only refuses what the matching engine refuses.
 */
import type { Order } from '../domain/order';
import type { VenueFillReport, VenueOrderReport } from '../ports/venue-reports';
import { applyMatchEvents, persistedFromRow, recordNewOrder, simFillReport, simOrderReport, type LedgerResult } from './ledger';
import type { MatchEvent, MatchingEngine, ScaledBook, SimReplace } from './matching-engine';
import type { SimFillRow, SimOrderRow, SimStore } from './sim-store';

export interface SimulatorOptions {
  readonly store: SimStore;
  readonly engine: MatchingEngine;
  /** Venue order ids are `<prefix><seq>`, the sequence kept in the store. */
  readonly orderIdPrefix: string;
  /** Prefixed to fill ids (SHADOW keeps its fills apart from Paper's in the same tables). */
  readonly fillIdPrefix?: string;
  /** Attached to every report, e.g. `{shadow: true}`. */
  readonly raw?: unknown;
}

/** Called for each newly recorded fill inside the transaction that records it (cash and positions). */
export type OnFill = (row: SimOrderRow, fill: SimFillRow) => void;

export interface RestoreProblem {
  readonly row: SimOrderRow;
  readonly reason: string;
}

export class Simulator {
  readonly store: SimStore;
  readonly engine: MatchingEngine;

  constructor(private readonly o: SimulatorOptions) {
    this.store = o.store;
    this.engine = o.engine;
  }

  /** Records one order and matches it against `book`; returns its row afterwards (status `rejected` if the engine refused it). */
  submit(order: Order, book: ScaledBook | undefined, now: number, onFill?: OnFill): { row: SimOrderRow; result: LedgerResult } {
    const { row, input } = recordNewOrder(this.store, order, this.o.orderIdPrefix, now);
    const result = this.apply(this.engine.submit(input, book, now), now, onFill);
    return { row: this.store.orderByVenueId(row.venueOrderId)!, result };
  }

  /** Records an entry and its children in one transaction, then matches them as one bracket; rows are entry first. */
  submitBracket(parent: Order, children: readonly Order[], book: ScaledBook | undefined, now: number, onFill?: OnFill): { rows: SimOrderRow[]; result: LedgerResult } {
    const legs = this.store.transaction(() => {
      const entry = recordNewOrder(this.store, parent, this.o.orderIdPrefix, now);
      return [entry, ...children.map((c) => recordNewOrder(this.store, c, this.o.orderIdPrefix, now, entry.row.venueOrderId))];
    });
    const [entry, ...kids] = legs;
    const events = this.engine.submitBracket(
      entry!.input,
      kids.map((k) => k.input),
      book,
      now,
    );
    const result = this.apply(events, now, onFill);
    return { rows: legs.map((l) => this.store.orderByVenueId(l.row.venueOrderId)!), result };
  }

  /**
   * Cancels an order. One the engine no longer works (it could not be restored) is closed in the
   * records all the same, so it never stays open for good.
   */
  cancel(row: SimOrderRow, now: number, onFill?: OnFill): LedgerResult {
    const events: MatchEvent[] = this.engine.get(row.venueOrderId)
      ? this.engine.cancel(row.venueOrderId, now, 'cancelled by request')
      : [{ type: 'cancelled', orderId: row.venueOrderId, ts: now, reason: 'cancelled by request' }];
    return this.apply(events, now, onFill);
  }

  /** Modifies a working order; a string says why the engine refused (nothing changed). */
  replace(row: SimOrderRow, changes: SimReplace, book: ScaledBook | undefined, now: number, onFill?: OnFill): { row: SimOrderRow; result: LedgerResult } | string {
    const events = this.engine.replace(row.venueOrderId, changes, book, now);
    if (typeof events === 'string') return events;
    const result = this.apply(events, now, onFill);
    return { row: this.store.orderByVenueId(row.venueOrderId)!, result };
  }

  /** Whether the engine works this order (false after it ended or when it could not be restored). */
  isWorking(venueOrderId: string): boolean {
    return this.engine.get(venueOrderId) !== undefined;
  }

  /** Matches the working orders of one instrument against its new book. */
  matchBook(instrumentId: string, book: ScaledBook, now: number): MatchEvent[] {
    return this.engine.hasWorking(instrumentId) ? this.engine.onBook(instrumentId, book, now) : [];
  }

  /** DAY orders whose session has closed by `now`. */
  expireDue(now: number): MatchEvent[] {
    const exp = this.engine.nextExpiry();
    return exp !== undefined && exp <= now ? this.engine.expireDay(now) : [];
  }

  /** Reloads stored working orders (trailing extremes, bracket quantities, OCA groups); returns those that could not be. */
  restore(rows: readonly SimOrderRow[]): RestoreProblem[] {
    const problems: RestoreProblem[] = [];
    for (const p of this.engine.restore(rows.map(persistedFromRow)).problems) {
      const row = rows.find((r) => r.venueOrderId === p.orderId);
      if (row) problems.push({ row, reason: p.reason });
    }
    return problems;
  }

  /** Applies match events to the records in one transaction; report what it returns after it commits (fills first). */
  apply(events: readonly MatchEvent[], now: number, onFill?: OnFill): LedgerResult {
    if (events.length === 0) return { reports: [], fills: [] };
    return this.store.transaction(() =>
      applyMatchEvents(this.store, events, now, {
        ...(this.o.fillIdPrefix !== undefined ? { fillIdPrefix: this.o.fillIdPrefix } : {}),
        ...(this.o.raw !== undefined ? { raw: this.o.raw } : {}),
        ...(onFill ? { onFill } : {}),
      }),
    );
  }

  /** Closes a stored order the simulator cannot work any more, with the reason said to the trader. */
  close(row: SimOrderRow, reason: string, now: number): VenueOrderReport {
    this.store.saveOrder({ ...row, status: 'cancelled', reason, updatedAt: now });
    return this.report(this.store.orderByVenueId(row.venueOrderId)!);
  }

  report(row: SimOrderRow): VenueOrderReport {
    return simOrderReport(row, this.o.raw);
  }
  fillReport(f: SimFillRow): VenueFillReport {
    return simFillReport(f, this.o.raw);
  }
}
