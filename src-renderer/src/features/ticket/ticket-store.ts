/** The one ticket's state and its engine calls. Rules live in ticket-model.ts. */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { Instrument } from '../../../../src-main/engine/domain/instrument';
import { invoke } from '../../api/invoke';
import { fetchQuote, searchInstruments } from '../../store/actions';
import {
  canPlace,
  clear,
  contextOf,
  currentKey,
  dropIfRouteChanged,
  edit,
  finishPlace,
  finishPreview,
  initialTicket,
  newClientOrderId,
  startPlace,
  startPreview,
  type RouteContext,
  type TicketState,
} from './ticket-model';
import { toOrderTicket, validateTicket, type TicketForm } from './validation';
import type { SecondLeg } from './vertical-model';

export const ticketStore = createStore<TicketState>()(() => initialTicket());

export function useTicket<T>(selector: (s: TicketState) => T): T {
  return useStore(ticketStore, selector);
}

const set = (s: TicketState) => ticketStore.setState(s, true);
const get = () => ticketStore.getState();

export function editTicket(patch: Partial<TicketForm>): void {
  set(edit(get(), patch));
}

export function selectInstrument(inst: Instrument): void {
  // Another instrument: a vertical's second leg belonged to the one before.
  set(edit(get(), { venue: inst.venue, symbol: inst.symbol, leg2: undefined }, inst));
  void fetchQuote(inst.venue, inst.symbol);
}

/** The vertical's other strike (undefined: a single option again). */
export function selectSecondLeg(leg: SecondLeg | undefined): void {
  set(edit(get(), { leg2: leg }));
  if (leg) void fetchQuote(get().form.venue, leg.symbol);
}

/** Enter. Client checks first (instant); then the engine, whose answer is shown as it is. */
export async function previewTicket(): Promise<void> {
  let s = get();
  if (s.placing || s.previewing) return;
  // A symbol typed but not picked from the list: resolve an exact match so tick/lot checks run.
  if (!s.instrument && s.form.symbol.trim() !== '' && s.form.venue !== '') {
    const typed = s.form.symbol.trim().toUpperCase();
    const found = (await searchInstruments(s.form.venue, typed, 20)).find((i) => i.symbol.toUpperCase() === typed || i.id === s.form.symbol.trim());
    if (found && get().form.symbol.trim().toUpperCase() === typed) selectInstrument(found);
    s = get();
  }
  if (validateTicket(s.form, s.instrument).length > 0) {
    set({ ...s, attempted: true, preview: undefined, error: undefined, placed: undefined });
    return;
  }
  const started = startPreview(s);
  set(started);
  const key = currentKey(started);
  const r = await invoke('order.preview', toOrderTicket(started.form, started.instrument));
  set(finishPreview(get(), started.previewSeq, key, r, newClientOrderId(), Date.now(), contextOf(routeContext(started.form.venue))));
}

/** Ctrl+Enter. Guarded synchronously: zustand's set is immediate, so a second call sees `placing`. */
/** Places the previewed ticket; `oneClick` marks a one-click ladder place (the engine refuses it unless that account is armed). */
export async function placeTicket(opts: { readonly oneClick?: true } = {}): Promise<void> {
  const s = get();
  if (!canPlace(s, Date.now()) || !s.preview) return;
  const coid = s.preview.clientOrderId;
  set(startPlace(s));
  // The preview's id binds the place to what the preview showed: the engine refuses it if the
  // route, mode, kill switch, limits or settings changed since.
  const previewId = s.preview.preview.previewId;
  const r = await invoke('order.place', { ...toOrderTicket(s.form, s.instrument, coid), ...(previewId ? { previewId } : {}), ...opts });
  set(finishPlace(get(), r));
}

export function clearTicket(): void {
  set(clear(get()));
}

export function setDefaultVenue(venue: string): void {
  const s = get();
  if (s.form.venue === '') set(edit(s, { venue }));
}

/** Where the route context comes from (the engine store); set once at start by `watchRouteContext`. */
let readContext: (venue: string) => RouteContext = () => ({ venue: undefined, killSwitch: undefined });

function routeContext(venue: string): RouteContext {
  return readContext(venue);
}

/**
 * Keeps the preview honest: when the ticket's venue changes mode, CANARY share or settings, or the
 * kill switch changes state, the preview on screen is dropped and Place disables.
 */
export function watchRouteContext(read: (venue: string) => RouteContext, onChange: (listener: () => void) => () => void): () => void {
  readContext = read;
  return onChange(() => {
    const s = get();
    if (!s.preview) return;
    const next = dropIfRouteChanged(s, read(s.preview.preview.venue));
    if (next !== s) set(next);
  });
}
