/**
 * What every venue's contract rig repeats, written once:
 * - `kitFaults(server, submit)`: the contract suites' fault hooks on an emulator-kit server, aimed
 *   at the venue's order-entry route (lose the answer, 429, a 5xx burst, a stream sequence gap);
 * - `liveVenueEngine(...)`: an engine on a fresh data dir with the venue's factory (short timeouts),
 *   the venue added and armed LIVE, restartable on the same data dir, and removed on close.
 * A venue's contract file keeps only what is its own: the emulator, the instrument, the tickets,
 * the refusals and fills its emulator can be told to produce.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine, type Engine } from '../../src-main/engine/engine';
import type { Clock } from '../../src-main/engine/ports/clock';
import type { SecretStore } from '../../src-main/engine/ports/secrets';
import { VENUE_FACTORIES } from '../../src-main/engine/venues/registry';
import type { VenueFactory } from '../../src-main/engine/venues/venue-port';
import type { EmulatorServer } from '../emulators/kit';
import { addLiveVenue, RestartableEngine } from './venue-engine-contract';

/** The venue's order-entry request, as the kit's faults match it. */
export interface SubmitRoute {
  readonly method: string;
  readonly path: string;
}

export function kitFaults(server: EmulatorServer, submit: SubmitRoute, gapCount = 3) {
  return {
    loseNextSubmitAnswer: (): void => server.faults.arm({ kind: 'lose-response', ...submit }),
    rateLimitNext: (retryAfterS: number): void => server.faults.arm({ kind: '429', retryAfterS, ...submit }),
    serverErrorBurst: (count: number): void => server.faults.arm({ kind: '5xx', count, ...submit }),
    streamGapNext: (): void => server.faults.arm({ kind: 'gap', count: gapCount }),
    /** How many order-entry requests carried this client id (a JSON body naming it). */
    submitsSeen: (clientOrderId: string): number => server.requests.filter((r) => r.method === submit.method && r.path === submit.path && r.body.includes(`"${clientOrderId}"`)).length,
  };
}

export interface LiveVenueEngineOptions {
  /** The venue kind (registry key) and the name it is added under. */
  readonly kind: string;
  readonly name: string;
  /** The venue's factory, usually with a short request timeout for tests. */
  readonly factory: VenueFactory;
  readonly settings: Record<string, string>;
  readonly secrets: SecretStore;
  readonly clock: Clock;
  /** The account currency, where the venue quotes in one the default (USD) cannot be valued from. */
  readonly accountCurrency?: string;
}

export interface LiveVenueEngine {
  readonly engine: Engine;
  restart(whileClosed: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export async function liveVenueEngine(o: LiveVenueEngineOptions): Promise<LiveVenueEngine> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tp-${o.kind}-engine-`));
  const start = () =>
    createEngine({
      dataDir: dir,
      secrets: o.secrets,
      clock: o.clock,
      paperSeed: 7,
      paperTickMs: 0,
      ...(o.accountCurrency !== undefined ? { accountCurrency: o.accountCurrency } : {}),
      venueFactories: new Map<string, VenueFactory>([...VENUE_FACTORIES, [o.kind, o.factory]]),
      unknownLookupDelays: [20, 50, 100, 200],
    });
  const e = await RestartableEngine.start(start);
  await addLiveVenue(e.engine, o.kind, o.name, o.settings);
  return {
    get engine() {
      return e.engine;
    },
    restart: (whileClosed) => e.restart(whileClosed),
    async close() {
      await e.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
