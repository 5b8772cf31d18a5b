/**
 * `prefs.get` / `prefs.set`: the desk preferences in the data dir (store/desk-prefs-repo.ts), and
 * `oneClick.arm` / `oneClick.status`: arming one-click trading on an account (a venue) the trader
 * opted in; the engine holds the armed state (risk/one-click-arming.ts). Every set and every arm goes
 * through the dispatcher, so the audit log says who turned one-click on, for which account, when.
 */
import type { CommandHandlers } from '../api/engine-api';
import { TradeportError } from '../api/errors';
import { oneClickPrefsSchema } from '../api/desk-prefs';
import type { HaltState } from '../domain/kill-switch-state';
import type { DeskPrefsRepo } from '../store/desk-prefs-repo';
import type { OneClickArming } from '../risk/one-click-arming';

export interface DeskPrefsCommandsDeps {
  readonly repo: DeskPrefsRepo;
  readonly now: () => number;
  readonly haltState: () => HaltState;
  readonly venueExists: (venue: string) => boolean;
  /** Whether the venue (its account) is connected: one-click arms only on a live connection. */
  readonly venueLive: (venue: string) => boolean;
  /** The engine's armed state (risk/one-click-arming.ts). */
  readonly arming: OneClickArming;
}

export function deskPrefsCommands(d: DeskPrefsCommandsDeps): Pick<CommandHandlers, 'prefs.get' | 'prefs.set' | 'oneClick.arm' | 'oneClick.status'> {
  return {
    'prefs.get': () => d.repo.all(),
    'prefs.set': (i) => {
      const savedAt = d.now();
      d.repo.set(i.key, i.value, savedAt);
      return { key: i.key, savedAt };
    },
    'oneClick.arm': (i) => {
      if (!i.armed) return d.arming.disarm(i.venue);
      if (!d.venueExists(i.venue)) throw new TradeportError('unknown_venue', `No venue "${i.venue}". Add it first, then turn one-click on for it.`);
      const parsed = oneClickPrefsSchema.safeParse(d.repo.get('oneClick') ?? {});
      const optedIn = parsed.success && parsed.data.venues.includes(i.venue);
      if (!optedIn) throw new TradeportError('invalid_input', `One-click is off for ${i.venue}. Turn it on for this venue in the ladder's one-click settings first.`);
      const halt = d.haltState();
      if (halt !== 'running') throw new TradeportError('halted', `The kill switch is ${halt}: one-click cannot be armed until it is reset.`);
      if (!d.venueLive(i.venue)) throw new TradeportError('venue_unavailable', `${i.venue} is not connected: one-click arms only on a connected venue.`);
      return d.arming.arm(i.venue);
    },
    'oneClick.status': () => ({ armed: d.arming.list() }),
  };
}
