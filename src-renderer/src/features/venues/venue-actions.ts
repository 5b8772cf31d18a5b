/**
 * Engine calls for the Venues panel. Venue state goes through the store; secrets never do: a
 * secret value is passed straight to `secret.set` and not kept, logged or echoed anywhere.
 */
import type { ApiError } from '../../../../src-main/engine/api/errors';
import type { CommandInput, CommandOutput, VenueInfo, VenueKindInfo } from '../../../../src-main/engine/api/commands';
import { invoke } from '../../api/invoke';
import { removeVenue as removeFromState, upsertVenue } from '../../store/engine-state';
import type { EngineStore } from '../../store/engine-store';
import { engineStore } from '../../store/hooks';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: ApiError };

let kindsCache: VenueKindInfo[] | undefined;

/** The kinds this engine can connect to; asked once per window (they change only with a new build). */
export async function loadVenueKinds(): Promise<Outcome<VenueKindInfo[]>> {
  if (kindsCache) return { ok: true, value: kindsCache };
  const r = await invoke('venue.kinds', {});
  if (r.ok) kindsCache = r.value;
  return r;
}

const store = (f: (s: EngineStore) => Partial<EngineStore>) => engineStore.setState((s) => f(s));

export async function addVenue(input: CommandInput<'venue.add'>): Promise<Outcome<VenueInfo>> {
  // Events for a re-used name count again from now on.
  if (input.name) store((s) => upsertVenue(s, input.name!) as Partial<EngineStore>);
  const r = await invoke('venue.add', input);
  if (r.ok) {
    store((s) => upsertVenue(s, r.value.name, engineStore.getState().venues[r.value.name] ?? r.value) as Partial<EngineStore>);
    engineStore.getState().notice('info', `Venue ${r.value.name} added (${r.value.kind}).`);
  }
  return r;
}

export async function updateVenue(input: CommandInput<'venue.set'>): Promise<Outcome<VenueInfo>> {
  const r = await invoke('venue.set', input);
  if (r.ok) {
    store((s) => upsertVenue(s, r.value.name, r.value) as Partial<EngineStore>);
    engineStore.getState().notice('info', `Venue ${r.value.name}: settings saved (${Object.keys(input.settings).join(', ')}); restarted.`);
  }
  return r;
}

export async function removeVenue(name: string): Promise<Outcome<CommandOutput<'venue.remove'>>> {
  const r = await invoke('venue.remove', { name });
  if (r.ok) {
    store((s) => removeFromState(s, name) as Partial<EngineStore>);
    engineStore.getState().notice('info', `Venue ${name} removed.`);
  }
  return r;
}

export async function secretStatus(venue: string): Promise<Outcome<CommandOutput<'secret.status'>>> {
  return invoke('secret.status', { venue });
}

/**
 * Sends one secret. The caller clears its input whatever the outcome; the notice names the field,
 * never the value.
 */
export async function saveSecret(venue: string, field: string, value: string): Promise<Outcome<CommandOutput<'secret.set'>>> {
  const r = await invoke('secret.set', { venue, field, value });
  if (r.ok) engineStore.getState().notice('info', `Venue ${venue}: secret ${field} stored in the OS keychain.`);
  return r;
}
