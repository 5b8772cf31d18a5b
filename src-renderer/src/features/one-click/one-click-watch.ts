/** The context one-click is armed in: the ticket's account (venue), its connection, the kill switch (the engine decides; this gives the screen's reason first). */
import { engineStore } from '../../store/hooks';
import { linkView } from '../../store/link-view';
import { ticketStore } from '../ticket/ticket-store';
import type { ArmContext } from './one-click-model';

export function armContext(): ArmContext {
  const t = ticketStore.getState();
  const venue = t.instrument?.venue ?? (t.form.venue || undefined);
  const s = engineStore.getState();
  const live = !linkView(s.link, s.loaded).offline;
  return { venue, connected: live && venue !== undefined && s.venues[venue]?.state === 'connected', killSwitch: s.killSwitch?.state };
}
