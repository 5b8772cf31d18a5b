/**
 * Named watchlists: several lists of instruments across venues, each in the trader's order.
 * Pure: state in, state out (tested in Node); every refused edit says why.
 *
 * An instrument is kept by its engine id (`venue:symbol`, e.g. `paper:ETH/USD`), so one list can
 * mix venues and the same symbol on two venues is two rows.
 */
import { Decimal } from '../../../../src-main/engine/domain/money';
import type { Quote } from '../../../../src-main/engine/domain/order';
import { parseStored } from '../../store/local-storage';

export const MAX_LISTS = 20;
export const MAX_ITEMS = 200;
export const MAX_NAME = 32;

export interface Watchlist {
  readonly name: string;
  readonly items: readonly string[];
}

export interface WatchlistsState {
  readonly lists: readonly Watchlist[];
  /** The list on screen; ALL_QUOTES shows every quote the engine streams. */
  readonly active: string;
}

export const ALL_QUOTES = '';

export const EMPTY_WATCHLISTS: WatchlistsState = { lists: [], active: ALL_QUOTES };

export type Edit = { readonly ok: true; readonly state: WatchlistsState } | { readonly ok: false; readonly message: string };

const done = (state: WatchlistsState): Edit => ({ ok: true, state });
const no = (message: string): Edit => ({ ok: false, message });
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function nameProblem(s: WatchlistsState, name: string, except?: string): string | undefined {
  if (name === '') return 'Give the list a name.';
  if (name.length > MAX_NAME) return `A list name is at most ${MAX_NAME} characters.`;
  if (s.lists.some((l) => same(l.name, name) && l.name !== except)) return `There is already a list called “${name}”.`;
  return undefined;
}

const IDS = /^[a-z0-9][a-z0-9_-]{0,31}:\S.{0,63}$/i;

/** A well-formed instrument id: `venue:symbol`. */
export const isInstrumentId = (id: string): boolean => IDS.test(id);

export interface Known {
  readonly id: string;
  readonly venue: string;
  readonly symbol: string;
}

/**
 * What the trader typed → one instrument id: an exact id (`paper:BTC-USD`), `venue:symbol` as
 * shown (`paper:BTC/USD`), or a symbol that exactly one venue carries (`AAPL` with one venue up).
 */
export function resolveInstrument(typed: string, known: readonly Known[]): string | undefined {
  const t = typed.trim();
  if (t === '') return undefined;
  if (known.some((k) => k.id === t)) return t;
  const up = t.toUpperCase();
  const colon = t.indexOf(':');
  const match = (k: Known) => (colon > 0 ? k.venue === t.slice(0, colon) && k.symbol.toUpperCase() === up.slice(colon + 1) : k.symbol.toUpperCase() === up);
  const ids = new Set(known.filter(match).map((k) => k.id));
  return ids.size === 1 ? [...ids][0] : undefined;
}

export function createList(s: WatchlistsState, rawName: string): Edit {
  const name = rawName.trim();
  const why = nameProblem(s, name);
  if (why) return no(why);
  if (s.lists.length >= MAX_LISTS) return no(`At most ${MAX_LISTS} lists; delete one first.`);
  return done({ lists: [...s.lists, { name, items: [] }], active: name });
}

export function renameList(s: WatchlistsState, from: string, rawName: string): Edit {
  const name = rawName.trim();
  if (!s.lists.some((l) => l.name === from)) return no(`There is no list called “${from}”.`);
  const why = nameProblem(s, name, from);
  if (why) return no(why);
  return done({ lists: s.lists.map((l) => (l.name === from ? { ...l, name } : l)), active: s.active === from ? name : s.active });
}

export function deleteList(s: WatchlistsState, name: string): Edit {
  if (!s.lists.some((l) => l.name === name)) return no(`There is no list called “${name}”.`);
  return done({ lists: s.lists.filter((l) => l.name !== name), active: s.active === name ? ALL_QUOTES : s.active });
}

export function setActive(s: WatchlistsState, name: string): WatchlistsState {
  return name === ALL_QUOTES || s.lists.some((l) => l.name === name) ? { ...s, active: name } : s;
}

function editItems(s: WatchlistsState, list: string, f: (items: readonly string[]) => readonly string[] | string): Edit {
  const l = s.lists.find((x) => x.name === list);
  if (!l) return no(`There is no list called “${list}”.`);
  const items = f(l.items);
  if (typeof items === 'string') return no(items);
  return done({ ...s, lists: s.lists.map((x) => (x === l ? { ...x, items } : x)) });
}

export function addItem(s: WatchlistsState, list: string, id: string): Edit {
  if (!isInstrumentId(id)) return no(`“${id}” is not an instrument: pick one from the search (venue:symbol).`);
  return editItems(s, list, (items) => {
    if (items.includes(id)) return `${id} is already in “${list}”.`;
    if (items.length >= MAX_ITEMS) return `A list holds at most ${MAX_ITEMS} instruments.`;
    return [...items, id];
  });
}

export function removeItem(s: WatchlistsState, list: string, id: string): Edit {
  return editItems(s, list, (items) => (items.includes(id) ? items.filter((x) => x !== id) : `${id} is not in “${list}”.`));
}

/** Moves the item at `from` to position `to` (both clamped to the list). */
export function moveItem(s: WatchlistsState, list: string, from: number, to: number): Edit {
  return editItems(s, list, (items) => {
    if (from < 0 || from >= items.length) return 'Nothing to move there.';
    const dest = Math.max(0, Math.min(items.length - 1, to));
    const out = [...items];
    const [it] = out.splice(from, 1);
    out.splice(dest, 0, it!);
    return out;
  });
}

/**
 * Stored lists (JSON). Lists with a bad or repeated name and items that are not instrument ids or
 * repeat are dropped; anything unreadable gives no lists.
 */
export function parseWatchlists(raw: string | null | undefined): WatchlistsState {
  const o = parseStored(raw) as { lists?: unknown; active?: unknown } | null;
  if (!o || typeof o !== 'object' || !Array.isArray(o.lists)) return EMPTY_WATCHLISTS;
  let s = EMPTY_WATCHLISTS;
  for (const l of o.lists as unknown[]) {
    const name = (l as { name?: unknown })?.name;
    const items = (l as { items?: unknown })?.items;
    if (typeof name !== 'string') continue;
    const created = createList(s, name);
    if (!created.ok) continue;
    s = created.state;
    for (const id of Array.isArray(items) ? items : []) {
      if (typeof id !== 'string') continue;
      const added = addItem(s, name.trim(), id);
      if (added.ok) s = added.state;
    }
  }
  return setActive({ ...s, active: ALL_QUOTES }, typeof o.active === 'string' ? o.active : ALL_QUOTES);
}

export interface DayStats {
  readonly change?: string;
  /** Percent, two decimals. */
  readonly changePct?: string;
  readonly dayHigh?: string;
  readonly dayLow?: string;
  readonly volume?: string;
}

/** Change and change % since the previous close (from the last price), with the day's range and volume as given. */
export function dayStats(q: Pick<Quote, 'last' | 'prevClose' | 'dayHigh' | 'dayLow' | 'volume'> | undefined): DayStats {
  if (!q) return {};
  const out: { -readonly [K in keyof DayStats]: DayStats[K] } = { dayHigh: q.dayHigh, dayLow: q.dayLow, volume: q.volume };
  if (q.last !== undefined && q.prevClose !== undefined) {
    const last = new Decimal(q.last);
    const prev = new Decimal(q.prevClose);
    out.change = last.minus(prev).toFixed();
    if (!prev.isZero()) out.changePct = last.minus(prev).div(prev).mul(100).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2);
  }
  return out;
}

/** A quote row's tooltip: symbol and venue, the change and day range when known, and STALE while the venue's feed is down. */
export function quoteTitle(q: Pick<Quote, 'stale'> & { readonly symbol: string; readonly venue: string }, day: DayStats): string {
  const change = day.change !== undefined ? ` · change ${day.change}` : '';
  const range = day.dayHigh && day.dayLow ? ` · day range ${day.dayLow} – ${day.dayHigh}` : '';
  return `${q.symbol} on ${q.venue}${change}${range}${q.stale ? ' · STALE: the market-data feed is down, last prices shown' : ''}`;
}

const UNITS: readonly (readonly [number, string])[] = [
  [12, 'T'],
  [9, 'B'],
  [6, 'M'],
  [3, 'K'],
];

/**
 * A volume short enough for a narrow column: three significant digits and K/M/B/T from 10,000 up
 * (12,345 → 12.3K, 1,523,004.5 → 1.52M); smaller volumes as given, at most two decimals.
 */
export function compactVolume(v: string): string {
  const d = new Decimal(v);
  const abs = d.abs();
  if (abs.lt(10_000)) return d.toDecimalPlaces(2, Decimal.ROUND_DOWN).toFixed();
  for (const [exp, unit] of UNITS) {
    if (abs.gte(new Decimal(10).pow(exp))) return `${d.div(new Decimal(10).pow(exp)).toSignificantDigits(3, Decimal.ROUND_DOWN).toFixed()}${unit}`;
  }
  return d.toFixed();
}
