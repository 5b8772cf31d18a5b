/** The one ticket's state and its engine calls. Rules live in ticket-model.ts. */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { Instrument } from '../../../../src-main/engine/domain/instrument';
import { invoke } from '../../api/invoke';
import { fetchQuote, searchInstruments } from '../../store/actions';
import { canPlace, clear, currentKey, edit, finishPlace, finishPreview, initialTicket, newClientOrderId, startPlace, startPreview, type TicketState } from './ticket-model';
import { toOrderTicket, validateTicket, type TicketForm } from './validation';

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
  set(edit(get(), { venue: inst.venue, symbol: inst.symbol }, inst));
  void fetchQuote(inst.venue, inst.symbol);
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
  set(finishPreview(get(), started.previewSeq, key, r, newClientOrderId(), Date.now()));
}

/** Ctrl+Enter. Guarded synchronously: zustand's set is immediate, so a second call sees `placing`. */
export async function placeTicket(): Promise<void> {
  const s = get();
  if (!canPlace(s, Date.now()) || !s.preview) return;
  const coid = s.preview.clientOrderId;
  set(startPlace(s));
  const r = await invoke('order.place', toOrderTicket(s.form, s.instrument, coid));
  set(finishPlace(get(), r));
}

export function clearTicket(): void {
  set(clear(get()));
}

export function setDefaultVenue(venue: string): void {
  const s = get();
  if (s.form.venue === '') set(edit(s, { venue }));
}
