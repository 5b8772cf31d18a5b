/**
 * `prefs.get` / `prefs.set`: the desk preferences in the data dir (store/desk-prefs-repo.ts), and
 * `oneClick.arm`: arming one-click trading on a venue the trader opted in. Every set and every arm
 * goes through the dispatcher, so the audit log says who turned one-click on, for which venue, when.
 */
import type { CommandHandlers } from '../api/engine-api';
import { TradeportError } from '../api/errors';
import { oneClickPrefsSchema } from '../api/desk-prefs';
import type { HaltState } from '../domain/kill-switch-state';
import type { DeskPrefsRepo } from '../store/desk-prefs-repo';

export interface DeskPrefsCommandsDeps {
  readonly repo: DeskPrefsRepo;
  readonly now: () => number;
  readonly haltState: () => HaltState;
  readonly venueExists: (venue: string) => boolean;
}

export function deskPrefsCommands(d: DeskPrefsCommandsDeps): Pick<CommandHandlers, 'prefs.get' | 'prefs.set' | 'oneClick.arm'> {
  return {
    'prefs.get': () => d.repo.all(),
    'prefs.set': (i) => {
      const savedAt = d.now();
      d.repo.set(i.key, i.value, savedAt);
      return { key: i.key, savedAt };
    },
    'oneClick.arm': (i) => {
      if (!i.armed) return { venue: i.venue, armed: false, at: d.now() };
      if (!d.venueExists(i.venue)) throw new TradeportError('unknown_venue', `No venue "${i.venue}". Add it first, then turn one-click on for it.`);
      const parsed = oneClickPrefsSchema.safeParse(d.repo.get('oneClick') ?? {});
      const optedIn = parsed.success && parsed.data.venues.includes(i.venue);
      if (!optedIn) throw new TradeportError('invalid_input', `One-click is off for ${i.venue}. Turn it on for this venue in the ladder's one-click settings first.`);
      const halt = d.haltState();
      if (halt !== 'running') throw new TradeportError('halted', `The kill switch is ${halt}: one-click cannot be armed until it is reset.`);
      return { venue: i.venue, armed: true, at: d.now() };
    },
  };
}
