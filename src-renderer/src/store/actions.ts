/** Small engine calls shared by several panels; results that are state go through the store. */
import type { QuoteView } from '../../../src-main/engine/api/commands';
import type { Instrument } from '../../../src-main/engine/domain/instrument';
import { invoke } from '../api/invoke';
import { applyEvents } from './engine-state';
import { engineStore } from './hooks';
import type { EngineStore } from './engine-store';

export async function searchInstruments(venue: string, query: string, limit = 20): Promise<Instrument[]> {
  const r = await invoke('instruments.search', { venue, query, limit });
  if (!r.ok) return [];
  engineStore.getState().rememberInstruments(r.value);
  return r.value;
}

/** Seeds the quote of a newly selected instrument; newer streamed quotes still win (by ts). */
export async function fetchQuote(venue: string, symbol: string): Promise<void> {
  const r = await invoke('quote.get', { venue, symbol });
  if (!r.ok) return;
  const q: QuoteView = r.value;
  engineStore.setState((s) => applyEvents(s, [{ type: 'quote', quote: q }]) as Partial<EngineStore>);
}

export async function cancelOrder(id: string, venue: string): Promise<void> {
  const r = await invoke('order.cancel', { id, venue });
  if (!r.ok) engineStore.getState().notice('error', `Cancel ${id}: ${r.error.code} — ${r.error.message}`);
}

export async function cancelAll(): Promise<void> {
  const r = await invoke('order.cancelAll', {});
  if (!r.ok) engineStore.getState().notice('error', `Cancel all: ${r.error.code} — ${r.error.message}`);
  else engineStore.getState().notice('info', `Cancel all: ${r.value.requested} order${r.value.requested === 1 ? '' : 's'} requested.`);
}
