/**
 * The renderer's copy of engine state and the pure functions that change it. The zustand store
 * (engine-store.ts) only wires these to React; keeping them pure lets them be tested in Node.
 *
 * Every function returns the same object for a slice it did not touch, so components that select
 * an untouched slice do not re-render.
 */
import type { EngineInfo, KillSwitchStatus, QuoteView, ReconcileReportView, Snapshot, VenueInfo } from '../../../src-main/engine/api/commands';
import type { EngineEvent, StorageStatus } from '../../../src-main/engine/api/events';
import type { VenueHealthView } from '../../../src-main/engine/api/venue-health';
import type { Balance, Fill, Order, Position } from '../../../src-main/engine/domain/order';
import type { Instrument } from '../../../src-main/engine/domain/instrument';
import { forScreen } from '../api/screen-messages';

export interface Notice {
  readonly id: number;
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly ts: number;
}

export interface EngineData {
  readonly loaded: boolean;
  readonly info: EngineInfo | undefined;
  readonly venues: Readonly<Record<string, VenueInfo>>;
  /** Keyed by local order id. */
  readonly orders: Readonly<Record<string, Order>>;
  /** Newest first, unique by id. */
  readonly fills: readonly Fill[];
  /** Keyed by `venue|instrumentId`. */
  readonly positions: Readonly<Record<string, Position>>;
  /** Keyed by `venue|asset`. */
  readonly balances: Readonly<Record<string, Balance>>;
  /** Keyed by instrumentId. */
  readonly quotes: Readonly<Record<string, QuoteView>>;
  /** Newest last, capped. */
  readonly notices: readonly Notice[];
  /** Instruments seen in searches, keyed by id: tick/lot for formatting and checks. */
  readonly instruments: Readonly<Record<string, Instrument>>;
  /** The kill switch; undefined until `killSwitch.status` answers (older engines never do). */
  readonly killSwitch: KillSwitchStatus | undefined;
  /** Reconciliation reports, newest first, unique by venue + seq, capped. */
  readonly reconcileReports: readonly ReconcileReportView[];
  /** Rate-limit usage and circuit breaker per venue (status bar), keyed by venue name. */
  readonly venueHealth: Readonly<Record<string, VenueHealthView>>;
  /**
   * Venues this window removed since the last snapshot. The engine sends no "removed" event, and
   * stopping a venue may still emit one last `venue` event for it: those are ignored here.
   */
  readonly removedVenues: Readonly<Record<string, true>>;
  /** Whether the engine can write its journal; undefined until told (older engines never say). */
  readonly storage: StorageStatus | undefined;
  /** Batches applied; lets tests and the UI benchmark see that a frame's batch landed. */
  readonly batches: number;
}

export const MAX_FILLS = 5000;
export const MAX_NOTICES = 200;
export const MAX_RECONCILE_REPORTS = 200;

export const emptyEngineData: EngineData = {
  loaded: false,
  info: undefined,
  venues: {},
  orders: {},
  fills: [],
  positions: {},
  balances: {},
  quotes: {},
  notices: [],
  instruments: {},
  killSwitch: undefined,
  reconcileReports: [],
  venueHealth: {},
  removedVenues: {},
  storage: undefined,
  batches: 0,
};

export const positionKey = (p: Pick<Position, 'venue' | 'instrumentId'>): string => `${p.venue}|${p.instrumentId}`;
export const balanceKey = (b: Pick<Balance, 'venue' | 'asset'>): string => `${b.venue}|${b.asset}`;

function byKey<T>(items: readonly T[], key: (t: T) => string): Record<string, T> {
  const out: Record<string, T> = {};
  for (const it of items) out[key(it)] = it;
  return out;
}

let noticeSeq = 0;

/**
 * Replaces everything the engine owns with the snapshot. The instrument cache is kept: it is
 * reference data the snapshot does not carry. Notices are kept too: they are a log.
 */
export function applySnapshot(s: EngineData, snap: Snapshot): EngineData {
  const fills = [...snap.fills].sort((a, b) => b.ts - a.ts);
  return {
    ...s,
    loaded: true,
    info: snap.info,
    venues: byKey(snap.venues, (v) => v.name),
    orders: byKey(snap.orders, (o) => o.id),
    fills: fills.length > MAX_FILLS ? fills.slice(0, MAX_FILLS) : fills,
    positions: byKey(snap.positions, positionKey),
    balances: byKey(snap.balances, balanceKey),
    quotes: byKey(snap.quotes, (q) => q.instrumentId),
    // An engine without the field (older build) reports no health: keep what events told us.
    venueHealth: snap.venueHealth ? byKey(snap.venueHealth, (h) => h.venue) : s.venueHealth,
    // The snapshot is the whole truth about which venues exist.
    removedVenues: {},
    storage: snap.storage ?? s.storage,
  };
}

/** A venue `venue.remove` removed: gone from the lists now, and late events for it ignored. */
export function removeVenue(s: EngineData, name: string): EngineData {
  const venues = { ...s.venues };
  delete venues[name];
  const venueHealth = { ...s.venueHealth };
  delete venueHealth[name];
  return { ...s, venues, venueHealth, removedVenues: { ...s.removedVenues, [name]: true } };
}

/** A venue added (or about to be): its events count again, and its info is stored when given. */
export function upsertVenue(s: EngineData, name: string, info?: VenueInfo): EngineData {
  let removedVenues = s.removedVenues;
  if (removedVenues[name]) {
    removedVenues = { ...removedVenues };
    delete (removedVenues as Record<string, true>)[name];
  }
  return { ...s, removedVenues, venues: info ? { ...s.venues, [name]: info } : s.venues };
}

/**
 * Applies one frame's batch in order. Rules that make replaying events on top of a snapshot safe
 * (events that arrived while the snapshot was in flight may already be in it):
 *  - an order replaces the stored one unless the stored one is newer (updatedAt);
 *  - a fill already present (same id) is ignored;
 *  - a quote older than the stored one is ignored;
 *  - positions, balances and venues are "latest state" and applied in stream order.
 */
export function applyEvents(s: EngineData, events: readonly EngineEvent[]): EngineData {
  let venues = s.venues;
  let orders = s.orders;
  let positions = s.positions;
  let balances = s.balances;
  let quotes = s.quotes;
  let newFills: Fill[] | undefined;
  let notices: Notice[] | undefined;
  let fillIds: Set<string> | undefined;
  let killSwitch = s.killSwitch;
  let reports: ReconcileReportView[] | undefined;
  let venueHealth = s.venueHealth;
  let storage = s.storage;

  const own = <T extends object>(cur: T, orig: T): T => (cur === orig ? { ...cur } : cur);

  for (const e of events) {
    switch (e.type) {
      case 'quote': {
        const prev = quotes[e.quote.instrumentId];
        if (prev && prev.ts > e.quote.ts) break;
        quotes = own(quotes, s.quotes);
        (quotes as Record<string, QuoteView>)[e.quote.instrumentId] = e.quote;
        break;
      }
      case 'order': {
        const prev = orders[e.order.id];
        if (prev && prev.updatedAt > e.order.updatedAt) break;
        orders = own(orders, s.orders);
        (orders as Record<string, Order>)[e.order.id] = e.order;
        break;
      }
      case 'fill': {
        fillIds ??= new Set(s.fills.map((f) => f.id));
        if (fillIds.has(e.fill.id)) break;
        fillIds.add(e.fill.id);
        (newFills ??= []).push(e.fill);
        break;
      }
      case 'position':
        positions = own(positions, s.positions);
        (positions as Record<string, Position>)[positionKey(e.position)] = e.position;
        break;
      case 'balance':
        balances = own(balances, s.balances);
        (balances as Record<string, Balance>)[balanceKey(e.balance)] = e.balance;
        break;
      case 'venue':
        if (s.removedVenues[e.venue.name]) break;
        venues = own(venues, s.venues);
        (venues as Record<string, VenueInfo>)[e.venue.name] = e.venue;
        break;
      case 'notice':
        (notices ??= []).push({ id: ++noticeSeq, level: e.level, message: forScreen(e.message), ts: e.ts });
        break;
      case 'killSwitch':
        killSwitch = newerKillSwitch(killSwitch, e.state);
        break;
      case 'reconcile':
        (reports ??= []).push(e.report);
        break;
      case 'venueRemoved':
        venues = own(venues, s.venues);
        delete (venues as Record<string, VenueInfo>)[e.name];
        venueHealth = own(venueHealth, s.venueHealth);
        delete (venueHealth as Record<string, VenueHealthView>)[e.name];
        break;
      case 'storage':
        storage = e.storage;
        break;
      case 'venueHealth':
        if (s.removedVenues[e.venue]) break;
        venueHealth = own(venueHealth, s.venueHealth);
        (venueHealth as Record<string, VenueHealthView>)[e.venue] = { venue: e.venue, usage: e.usage, breaker: e.breaker, ...(e.feeds ? { feeds: e.feeds } : {}) };
        break;
    }
  }

  let fills = s.fills;
  if (newFills) {
    const merged = [...newFills, ...s.fills].sort((a, b) => b.ts - a.ts);
    fills = merged.length > MAX_FILLS ? merged.slice(0, MAX_FILLS) : merged;
  }
  let allNotices = s.notices;
  if (notices) {
    const merged = [...s.notices, ...notices];
    allNotices = merged.length > MAX_NOTICES ? merged.slice(merged.length - MAX_NOTICES) : merged;
  }
  const reconcileReports = reports ? mergeReconcileReports(s.reconcileReports, reports) : s.reconcileReports;
  return { ...s, venues, orders, positions, balances, quotes, fills, notices: allNotices, killSwitch, reconcileReports, venueHealth, storage, batches: s.batches + 1 };
}

/** When the kill switch last changed: a trip (kept across escalation) or a reset. */
export function killSwitchChangedAt(k: KillSwitchStatus): number {
  return Math.max(k.trippedAt ?? 0, k.lastReset?.at ?? 0);
}

/**
 * The status to keep. `killSwitch.status` answers and events can cross (the answer to a request
 * sent at start may land before an event that was buffered earlier), so a state that changed
 * earlier than the one held is ignored; equal times (escalation, flatten done) take the newer arrival.
 */
export function newerKillSwitch(cur: KillSwitchStatus | undefined, next: KillSwitchStatus): KillSwitchStatus {
  if (cur && killSwitchChangedAt(next) < killSwitchChangedAt(cur)) return cur;
  return next;
}

export function applyKillSwitch(s: EngineData, status: KillSwitchStatus): EngineData {
  const killSwitch = newerKillSwitch(s.killSwitch, status);
  return killSwitch === s.killSwitch ? s : { ...s, killSwitch };
}

const reportKey = (r: ReconcileReportView): string => `${r.venue}|${r.seq}`;

/** Adds reports (from an event or a fetch) to the list: unique by venue + seq, newest first, capped. */
export function mergeReconcileReports(cur: readonly ReconcileReportView[], add: readonly ReconcileReportView[]): readonly ReconcileReportView[] {
  if (add.length === 0) return cur;
  const byKey = new Map<string, ReconcileReportView>();
  for (const r of cur) byKey.set(reportKey(r), r);
  for (const r of add) byKey.set(reportKey(r), r);
  const merged = [...byKey.values()].sort((a, b) => b.ts - a.ts || b.seq - a.seq);
  return merged.length > MAX_RECONCILE_REPORTS ? merged.slice(0, MAX_RECONCILE_REPORTS) : merged;
}

export function applyReconcileReports(s: EngineData, list: readonly ReconcileReportView[]): EngineData {
  const reconcileReports = mergeReconcileReports(s.reconcileReports, list);
  return reconcileReports === s.reconcileReports ? s : { ...s, reconcileReports };
}

export function rememberInstruments(s: EngineData, list: readonly Instrument[]): EngineData {
  if (list.every((i) => s.instruments[i.id] === i)) return s;
  const instruments = { ...s.instruments };
  for (const i of list) instruments[i.id] = i;
  return { ...s, instruments };
}

/** A local notice (e.g. a cancel the engine refused), shown in the same log as engine notices. */
export function addNotice(s: EngineData, level: Notice['level'], message: string, ts: number): EngineData {
  const merged = [...s.notices, { id: ++noticeSeq, level, message, ts }];
  return { ...s, notices: merged.length > MAX_NOTICES ? merged.slice(merged.length - MAX_NOTICES) : merged };
}
