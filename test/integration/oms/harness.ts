/**
 * An engine on a temp data dir with the Paper venue and a scripted venue ("scripted"), as the
 * order-safety tests build it. The scripted venue instance outlives engine restarts (the factory
 * hands out the same object), so it behaves like a real venue across a restart.
 */
import type { Engine } from '../../../src-main/engine/engine';
import { engineRig } from '../../support/engine-rig';
import { ManualClock } from '../../../src-main/engine/ports/clock';
import { VENUE_FACTORIES } from '../../../src-main/engine/venues/registry';
import type { VenueFactory } from '../../../src-main/engine/venues/venue-port';
import type { CommandName, CommandOutput } from '../../../src-main/engine/api/commands';
import type { CallContext } from '../../../src-main/engine/api/engine-api';
import { scriptedFactory, type ScriptedVenue, type ScriptedVenueOptions } from '../../support/scripted-venue';
import { windowCall } from '../../support/window-call';

// Wednesday 2026-11-18 15:00 UTC = 10:00 New York: US equities are in session.
export const T0 = Date.UTC(2026, 10, 18, 15, 0, 0);

export interface Harness {
  readonly dir: string;
  readonly clock: ManualClock;
  engine: Engine;
  venue(): ScriptedVenue;
  restart(): Promise<Engine>;
  /** Calls a command and returns its value, failing the test with the engine's message otherwise. */
  ok<C extends CommandName>(command: C, input: unknown, ctx?: CallContext): Promise<CommandOutput<C>>;
  close(): Promise<void>;
}

export async function makeHarness(opts: { dir?: string; venueOptions?: ScriptedVenueOptions; lookupDelays?: number[]; keepDir?: boolean } = {}): Promise<Harness> {
  const clock = new ManualClock(T0);
  const factory = scriptedFactory(
    () => clock.now(),
    () => opts.venueOptions ?? {},
  );
  const rig = await engineRig({
    clock,
    prefix: 'tp-safety-',
    ...(opts.dir ? { dir: opts.dir } : {}),
    keepDir: opts.keepDir ?? false,
    venueFactories: new Map<string, VenueFactory>([...VENUE_FACTORIES, ['scripted', factory]]),
    unknownLookupDelays: opts.lookupDelays ?? [2, 2, 2],
  });
  const h: Harness = {
    dir: rig.dir,
    clock,
    get engine() {
      return rig.engine;
    },
    set engine(e: Engine) {
      rig.engine = e;
    },
    venue: () => factory.instances.get('scripted')!,
    restart: () => rig.restart(),
    async ok(command, input, ctx) {
      const r = (await windowCall(h.engine, command, input, ctx)) as Awaited<ReturnType<typeof h.engine.call<typeof command>>>;
      if (!r.ok) throw new Error(`${command} failed: ${r.error.code}: ${r.error.message}`);
      return r.value;
    },
    close: () => rig.close(),
  };
  if (!(await h.engine.call('venues.list', {})).ok) throw new Error('engine did not start');
  const list = await h.ok('venues.list', {});
  if (!list.some((v) => v.name === 'scripted')) await h.ok('venue.add', { kind: 'scripted', name: 'scripted' });
  return h;
}
