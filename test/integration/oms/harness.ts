/**
 * An engine on a temp data dir with the Paper venue and a scripted venue ("scripted"), as the
 * order-safety tests build it. The scripted venue instance outlives engine restarts (the factory
 * hands out the same object), so it behaves like a real venue across a restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine, type Engine } from '../../../src-main/engine/engine';
import { ManualClock } from '../../../src-main/engine/ports/clock';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';
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
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tp-safety-'));
  const clock = new ManualClock(T0);
  const secrets = new MemorySecretStore();
  const factory = scriptedFactory(() => clock.now(), () => opts.venueOptions ?? {});
  const factories = new Map<string, VenueFactory>([...VENUE_FACTORIES, ['scripted', factory]]);
  const start = () => createEngine({ dataDir: dir, secrets, clock, paperSeed: 7, paperTickMs: 0, venueFactories: factories, unknownLookupDelays: opts.lookupDelays ?? [2, 2, 2] });
  const h: Harness = {
    dir,
    clock,
    engine: await start(),
    venue: () => factory.instances.get('scripted')!,
    async restart() {
      await h.engine.close();
      h.engine = await start();
      return h.engine;
    },
    async ok(command, input, ctx) {
      const r = (await windowCall(h.engine, command, input, ctx)) as Awaited<ReturnType<typeof h.engine.call<typeof command>>>;
      if (!r.ok) throw new Error(`${command} failed: ${r.error.code}: ${r.error.message}`);
      return r.value;
    },
    async close() {
      await h.engine.close();
      if (!opts.keepDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  if (!(await h.engine.call('venues.list', {})).ok) throw new Error('engine did not start');
  const list = await h.ok('venues.list', {});
  if (!list.some((v) => v.name === 'scripted')) await h.ok('venue.add', { kind: 'scripted', name: 'scripted' });
  return h;
}

