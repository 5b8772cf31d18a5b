/** The context one-click is armed in (the ticket's venue, its connection, the kill switch), and the watch that disarms when it no longer holds. */
import type { StoreApi } from 'zustand/vanilla';
import { engineStore } from '../../store/hooks';
import { linkView } from '../../store/link-view';
import { ticketStore } from '../ticket/ticket-store';
import type { ArmContext } from './one-click-model';
import type { OneClickStore } from './one-click-store';

export function armContext(): ArmContext {
  const t = ticketStore.getState();
  const venue = t.instrument?.venue ?? (t.form.venue || undefined);
  const s = engineStore.getState();
  const live = !linkView(s.link, s.loaded).offline;
  return { venue, connected: live && venue !== undefined && s.venues[venue]?.state === 'connected', killSwitch: s.killSwitch?.state };
}

export function watchOneClick(store: StoreApi<OneClickStore>): () => void {
  const check = () => store.getState().check(armContext());
  const offs = [engineStore.subscribe(check), ticketStore.subscribe(check)];
  return () => offs.forEach((off) => off());
}
