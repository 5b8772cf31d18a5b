/** The scripted venue (test/support/scripted-venue.ts) against the venue contract: in-process, its faults are scripted directly. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeVenueContract } from '../../support/venue-contract';
import { describeVenueEngineContract, sessionClock, RestartableEngine, addLiveVenue } from '../../support/venue-engine-contract';
import { SCRIPTED_INSTRUMENT, ScriptedVenue, scriptedFactory } from '../../support/scripted-venue';
import { createEngine } from '../../../src-main/engine/engine';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';
import { VENUE_FACTORIES } from '../../../src-main/engine/venues/registry';
import type { VenueFactory } from '../../../src-main/engine/venues/venue-port';

const NO_HTTP = 'the scripted venue is in-process and has no HTTP; the reference venue runs this case over real sockets';
let ext = 0;

describeVenueContract('scripted', {
  abilities: {
    ackLost: true,
    fill: true,
    outage: true,
    replace: true,
    externalOrder: true,
    rateLimit: NO_HTTP,
    serverErrors: NO_HTTP,
    breaker: 'the scripted venue has no circuit breaker (no network)',
    streamGap: 'the scripted venue is in-process and has no stream to number',
  },
  async makeRig() {
    const v = new ScriptedVenue('scripted', Date.now);
    return {
      connector: v,
      instrument: async () => v.instrument(SCRIPTED_INSTRUMENT.symbol)!,
      resting: async () => ({ side: 'buy', type: 'limit', qty: '2', limitPrice: '99.00', tif: 'gtc' }),
      marketable: async () => ({ side: 'buy', type: 'market', qty: '1', tif: 'ioc' }),
      reject: async () => {
        v.submitScript.push('reject');
        return { reason: 'insufficient margin (scripted)' };
      },
      submitsSeen: (coid) => v.submitLog.filter((x) => x === coid).length,
      fill: async (ref, qty, price) => v.fill(ref.clientOrderId, qty, price),
      loseNextSubmitAnswer: () => v.submitScript.push('lost_after_accept'),
      outage: async (whileDown) => {
        v.disconnect();
        await whileDown();
        v.reconnect();
      },
      externalOrder: async () => v.placeExternal(`web-${++ext}`, '1', '90'),
      close: async () => undefined,
    };
  },
});

describeVenueEngineContract('scripted', {
  abilities: { ackLost: true, fill: true, outage: true, reject: true, externalOrder: true },
  async makeRig() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-scre-'));
    const clock = sessionClock();
    const factory = scriptedFactory(clock.now);
    const secrets = new MemorySecretStore();
    const start = () =>
      createEngine({
        dataDir: dir,
        secrets,
        clock,
        paperSeed: 7,
        paperTickMs: 0,
        venueFactories: new Map<string, VenueFactory>([...VENUE_FACTORIES, ['scripted', factory]]),
        unknownLookupDelays: [20, 50, 100],
      });
    const e = await RestartableEngine.start(start);
    await addLiveVenue(e.engine, 'scripted', 'scripted');
    // One venue instance across engine restarts, like a real venue.
    const v = factory.instances.get('scripted')!;
    return {
      get engine() {
        return e.engine;
      },
      restart: (whileClosed) => e.restart(whileClosed),
      venue: 'scripted',
      symbol: SCRIPTED_INSTRUMENT.symbol,
      resting: async () => ({ qty: '2', limitPrice: '99.00' }),
      unsupported: { tif: 'opg' },
      submitsSeen: (coid) => v.submitLog.filter((x) => x === coid).length,
      venueStatus: async (coid) => v.remote.get(coid)?.status,
      reject: async () => {
        v.submitScript.push('reject');
        return { reason: 'insufficient margin (scripted)' };
      },
      fill: async (ref, qty, price) => v.fill(ref.clientOrderId, qty, price),
      loseNextSubmitAnswer: () => v.submitScript.push('lost_after_accept'),
      outage: async (whileDown) => {
        v.disconnect();
        await whileDown();
        v.reconnect();
      },
      externalOrder: async () => {
        v.placeExternal(`web-${++ext}`, '1', '90');
        return { side: 'buy', qty: '1', limitPrice: '90' };
      },
      async close() {
        await e.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});
