/**
 * The ticket's state machine, pure so the rules that prevent a wrong or duplicate order are
 * tested without a DOM:
 *  - Place is enabled only by a fresh, allowed preview of exactly what is on the ticket;
 *    any edit invalidates it.
 *  - The clientOrderId (the engine's idempotency key) is fixed once per preview: the one the
 *    engine computed the preview's route for (`preview.clientOrderId`; under CANARY the route is
 *    a function of it, so the route shown is the route taken), so a double-click or a repeated
 *    Ctrl+Enter can only ever name one order.
 *  - Only one place is in flight at a time.
 */
import type { Preview, VenueInfo } from '../../../../src-main/engine/api/commands';
import type { ApiError, Result } from '../../../../src-main/engine/api/errors';
import type { Instrument } from '../../../../src-main/engine/domain/instrument';
import type { Order } from '../../../../src-main/engine/domain/order';
import { ticketKey, validateTicket, type FieldIssue, type TicketForm } from './validation';
import { ticketVertical, verticalLabel } from './vertical-model';

/** A preview older than this no longer enables Place: the market has moved on. */
export const PREVIEW_MAX_AGE_MS = 60_000;

export interface PreviewContext {
  readonly settings: string;
  readonly killSwitch: string | undefined;
}

export interface FreshPreview {
  readonly key: string;
  readonly preview: Preview;
  readonly clientOrderId: string;
  readonly at: number;
  /** The venue settings and kill-switch state the preview was made under. */
  readonly context?: PreviewContext;
}

export interface TicketError {
  readonly stage: 'preview' | 'place';
  readonly code: string;
  readonly message: string;
}

export interface TicketState {
  readonly form: TicketForm;
  readonly instrument: Instrument | undefined;
  readonly preview: FreshPreview | undefined;
  /** Sequence of the preview request in flight; answers to older requests are ignored. */
  readonly previewSeq: number;
  readonly previewing: boolean;
  readonly placing: boolean;
  readonly error: TicketError | undefined;
  readonly placed: Order | undefined;
  /** After a preview attempt every client issue shows, not only those of fields typed into. */
  readonly attempted: boolean;
  /**
   * The instrument each price on the ticket was typed for (absent: typed while none was attached,
   * so it is for the next pick). Picking another instrument clears the prices that were not its.
   */
  readonly priceOwners?: Readonly<Partial<Record<PriceField, string>>>;
}

export function initialTicket(venue = ''): TicketState {
  return {
    form: { venue, symbol: '', side: 'buy', type: 'limit', qty: '', limitPrice: '', stopPrice: '', tif: 'day' },
    instrument: undefined,
    preview: undefined,
    previewSeq: 0,
    previewing: false,
    placing: false,
    error: undefined,
    placed: undefined,
    attempted: false,
  };
}

export function currentKey(s: TicketState): string {
  return ticketKey(s.form, s.instrument);
}

/** The ticket fields that hold a price of the instrument (never meaningful for another one). */
const PRICE_FIELDS = ['limitPrice', 'stopPrice', 'trailAmount', 'takeProfit', 'stopLoss', 'stopLossLimit'] as const;
type PriceField = (typeof PRICE_FIELDS)[number];

/** A pick of `inst`: prices typed for another instrument are cleared; the rest are now its. */
function pricesForPick(s: TicketState, inst: Instrument): { cleared: Partial<TicketForm>; owners: Partial<Record<PriceField, string>> } {
  const cleared: { -readonly [K in PriceField]?: string } = {};
  const owners: Partial<Record<PriceField, string>> = {};
  for (const f of PRICE_FIELDS) {
    const owner = s.priceOwners?.[f];
    if (owner !== undefined && owner !== inst.id) cleared[f] = '';
    else if ((s.form[f] ?? '') !== '') owners[f] = inst.id;
  }
  return { cleared, owners };
}

/** Prices typed now belong to the instrument attached now (none: to the next pick). */
function ownersAfterTyping(s: TicketState, patch: Partial<TicketForm>, inst: Instrument | undefined): TicketState['priceOwners'] {
  let owners = s.priceOwners;
  for (const f of PRICE_FIELDS) {
    if (!(f in patch)) continue;
    const next = { ...owners };
    if (inst && (patch[f] ?? '') !== '') next[f] = inst.id;
    else delete next[f];
    owners = next;
  }
  return owners;
}

/**
 * Any change to what would be sent drops the preview, the last error and the last confirmation.
 * Picking a different instrument also clears the prices: 418.00 typed for MSFT is not a price of NVDA.
 */
export function edit(s: TicketState, patch: Partial<TicketForm>, instrument?: Instrument | null): TicketState {
  // Nothing can change while an order is on its way: the confirmation must match the ticket.
  if (s.placing) return s;
  const pick = instrument ? pricesForPick(s, instrument) : undefined;
  const form = { ...s.form, ...pick?.cleared, ...patch };
  let inst = instrument === undefined ? s.instrument : (instrument ?? undefined);
  // Typing a different symbol (or switching venue) detaches the selected instrument.
  if (instrument === undefined && inst && (form.venue !== inst.venue || form.symbol.trim().toUpperCase() !== inst.symbol.toUpperCase())) inst = undefined;
  // A vertical's second leg belongs to the picked option: it goes when the option does.
  if (!inst && form.leg2) delete form.leg2;
  const priceOwners = pick ? pick.owners : ownersAfterTyping(s, patch, inst);
  const next: TicketState = { ...s, form, instrument: inst, priceOwners };
  if (currentKey(next) === currentKey(s) && inst === s.instrument) return next;
  return { ...next, preview: undefined, error: undefined, placed: undefined };
}

/**
 * The Place button's words. Only what is valid is echoed: "Buy abc AAPL" would read as an order
 * the trader never asked for, so a quantity that is not a positive number (or a symbol not picked
 * from the list) is left out.
 */
export function placeLabel(form: TicketForm, inst: Instrument | undefined): string {
  const qty = form.qty.trim();
  const shownQty = /^(\d+\.?\d*|\.\d+)$/.test(qty) && /[1-9]/.test(qty) ? qty : '';
  const v = ticketVertical(form, inst);
  if (v && form.leg2) return verticalLabel(shownQty, v, form.leg2);
  const parts = [form.side === 'buy' ? 'Buy' : 'Sell'];
  if (shownQty) parts.push(shownQty);
  if (inst) parts.push(inst.symbol);
  return parts.join(' ');
}

export function visibleIssues(s: TicketState): FieldIssue[] {
  const all = validateTicket(s.form, s.instrument);
  if (s.attempted) return all;
  // While typing, complain only about fields that have something in them.
  return all.filter((i) => {
    const v =
      i.field === 'qty'
        ? s.form.qty
        : i.field === 'limitPrice'
          ? s.form.limitPrice
          : i.field === 'stopPrice'
            ? s.form.stopPrice
            : i.field === 'trailAmount'
              ? `${s.form.trailAmount ?? ''}${s.form.trailPercent ?? ''}`
              : '';
    return v.trim() !== '';
  });
}

export function startPreview(s: TicketState): TicketState {
  return { ...s, attempted: true, previewing: true, previewSeq: s.previewSeq + 1, error: undefined, placed: undefined, preview: undefined };
}

/**
 * `key` is the ticket key when the request was sent; an answer for an edited ticket is dropped.
 * The order's client id is the preview's own (`preview.clientOrderId`, the id its route was
 * computed for); `fallbackClientOrderId` is used only when an engine does not send one.
 */
export function finishPreview(s: TicketState, seq: number, key: string, r: Result<Preview>, fallbackClientOrderId: string, now: number, context?: PreviewContext): TicketState {
  if (seq !== s.previewSeq) return s;
  if (key !== currentKey(s)) return { ...s, previewing: false };
  if (!r.ok) return { ...s, previewing: false, error: { stage: 'preview', code: r.error.code, message: r.error.message } };
  const clientOrderId = r.value.clientOrderId ?? fallbackClientOrderId;
  return { ...s, previewing: false, preview: { key, preview: r.value, clientOrderId, at: now, ...(context ? { context } : {}) } };
}

/** What the engine said about a venue and the kill switch, as far as a preview depends on it. */
export interface RouteContext {
  readonly venue: Pick<VenueInfo, 'name' | 'mode' | 'canaryPct' | 'settings'> | undefined;
  readonly killSwitch: string | undefined;
}

const modeLabel = (mode: string | undefined, pct: number | undefined) => (mode === 'canary' ? `CANARY ${pct ?? 0}%` : (mode ?? 'unknown').toUpperCase());

/**
 * The preview on screen was made under one mode, CANARY share, set of settings and kill-switch
 * state; when any of them changes it no longer describes where Place would send the order, so it
 * is dropped with a message saying why (the engine refuses such a place too: this is the early
 * word, not the guard). `p.context` is what was recorded when the preview arrived.
 */
export function dropIfRouteChanged(s: TicketState, now: RouteContext): TicketState {
  const p = s.preview;
  if (!p || s.placing) return s;
  const then = p.context;
  if (!then || !now.venue || now.venue.name !== p.preview.venue) return s;
  let why: string | undefined;
  const modeThen = modeLabel(p.preview.mode, p.preview.canaryPct);
  const modeNow = modeLabel(now.venue.mode, now.venue.canaryPct);
  if (p.preview.mode !== undefined && modeThen !== modeNow) why = `${p.preview.venue}'s mode changed from ${modeThen} to ${modeNow}`;
  else if (then.settings !== JSON.stringify(now.venue.settings ?? {})) why = `${p.preview.venue}'s settings changed`;
  else if (then.killSwitch !== now.killSwitch && now.killSwitch !== undefined) why = `the kill switch changed to ${now.killSwitch}`;
  if (!why) return s;
  return { ...s, preview: undefined, error: { stage: 'preview', code: 'preview_stale', message: `Preview again (Enter): ${why} since this preview.` } };
}

/** The context a preview is made under, recorded when it arrives. */
export function contextOf(now: RouteContext): PreviewContext {
  return { settings: JSON.stringify(now.venue?.settings ?? {}), killSwitch: now.killSwitch };
}

export type PlaceBlock = 'no_preview' | 'stale' | 'expired' | 'not_allowed' | 'in_flight' | undefined;

export function placeBlock(s: TicketState, now: number): PlaceBlock {
  if (s.placing || s.previewing) return 'in_flight';
  if (!s.preview) return 'no_preview';
  if (s.preview.key !== currentKey(s)) return 'stale';
  if (now - s.preview.at > PREVIEW_MAX_AGE_MS) return 'expired';
  if (!s.preview.preview.allowed) return 'not_allowed';
  return undefined;
}

export const canPlace = (s: TicketState, now: number): boolean => placeBlock(s, now) === undefined;

export function startPlace(s: TicketState): TicketState {
  return { ...s, placing: true, error: undefined, placed: undefined };
}

/**
 * After a successful place the preview is used up: placing again needs a new preview and so a
 * new clientOrderId. After a failure it is kept, so a deliberate retry reuses the same key and
 * the engine cannot make a second order from it.
 */
export function finishPlace(s: TicketState, r: Result<Order>): TicketState {
  if (r.ok) return { ...s, placing: false, preview: undefined, placed: r.value };
  // A preview the engine no longer honours (the route, mode or limits changed) cannot enable Place again.
  const used = r.error.code === 'duplicate_client_order_id' || r.error.code === 'preview_stale' || r.error.code === 'route_changed';
  return { ...s, placing: false, preview: used ? undefined : s.preview, error: placeError(r.error) };
}

function placeError(e: ApiError): TicketError {
  return { stage: 'place', code: e.code, message: e.message };
}

/** Esc: keep where (venue, instrument) and how (side, type, TIF); clear amounts and results. */
export function clear(s: TicketState): TicketState {
  if (s.placing) return s;
  return {
    ...s,
    form: { ...s.form, qty: '', limitPrice: '', stopPrice: '', trailAmount: '', trailPercent: '', takeProfit: '', stopLoss: '', stopLossLimit: '' },
    preview: undefined,
    previewing: false,
    previewSeq: s.previewSeq + 1,
    error: undefined,
    placed: undefined,
    attempted: false,
  };
}

/**
 * Fallback only (an engine whose preview carries no clientOrderId). A client order id every venue accepts: the engine allows 1–18 characters (Kraken's limit), so
 * "tp" + 64 random bits in hex = 18. getRandomValues works in insecure contexts too (randomUUID
 * does not), so a LAN-served page still gets a key.
 */
export function newClientOrderId(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const bytes = random(new Uint8Array(8));
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return `tp${hex}`;
}
