/**
 * Kraken (src-main/engine/venues/kraken) against its emulator over real sockets: the venue
 * contract, the same through the engine, and Kraken's own cases (kraken-cases.test.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeVenueContract } from '../../support/venue-contract';
import { describeVenueEngineContract, sessionClock, RestartableEngine, addLiveVenue } from '../../support/venue-engine-contract';
import { createEngine } from '../../../src-main/engine/engine';
import { VENUE_FACTORIES } from '../../../src-main/engine/venues/registry';
import { krakenFactory } from '../../../src-main/engine/venues/kraken';
import type { VenueFactory } from '../../../src-main/engine/venues/venue-port';
import { connectorRig, control, fillNow, krakenContractHooks, krakenSettings, roomyLimits, secretsFor, startEmulator, submitsSeen, venueStatus } from './kraken-rig';

const ADD = { method: 'POST', path: '/0/private/AddOrder' } as const;

describeVenueContract('kraken', {
  abilities: {
    ackLost: true,
    fill: true,
    outage: true,
    replace: true,
    externalOrder: true,
    rateLimit: true,
    serverErrors: true,
    breaker: true,
    streamGap: 'Kraken numbers no executions message (no sequence to skip); the connector reports a drop and the engine reconciles through REST on every reconnect',
  },
  async makeRig() {
    const emu = await startEmulator();
    const { connector, close } = await connectorRig(emu);
    return {
      connector,
      instrument: async () => connector.instrument('BTC/USD')!,
      resting: async () => ({ side: 'buy', type: 'limit', qty: '0.02', limitPrice: '90.0', tif: 'gtc' }),
      marketable: async () => ({ side: 'buy', type: 'market', qty: '0.01', tif: 'ioc' }),
      ...krakenContractHooks(emu),
      async close() {
        await emu.stop();
        close();
      },
    };
  },
});

describeVenueEngineContract('kraken', {
  abilities: { ackLost: true, fill: true, outage: true, reject: true, externalOrder: true },
  async makeRig() {
    const clock = sessionClock();
    const emu = await startEmulator();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-kre-'));
    const secrets = await secretsFor(emu, 'kr');
    const start = () =>
      createEngine({
        dataDir: dir,
        secrets,
        clock,
        paperSeed: 7,
        paperTickMs: 0,
        venueFactories: new Map<string, VenueFactory>([...VENUE_FACTORIES, ['kraken', krakenFactory({ timeoutMs: 2000, limits: roomyLimits() })]]),
        unknownLookupDelays: [20, 50, 100, 200],
      });
    const e = await RestartableEngine.start(start);
    await addLiveVenue(e.engine, 'kraken', 'kr', krakenSettings(emu));
    const s = emu.server;
    return {
      get engine() {
        return e.engine;
      },
      restart: (whileClosed) => e.restart(whileClosed),
      venue: 'kr',
      symbol: 'BTC/USD',
      resting: async () => ({ qty: '0.02', limitPrice: '90.0' }),
      unsupported: { tif: 'day' },
      submitsSeen: (coid) => submitsSeen(emu, coid),
      venueStatus: async (coid) => venueStatus(emu, coid),
      reject: async () => {
        await control(emu, 'reject-next', { error: 'EOrder:Insufficient funds' });
        return { reason: 'EOrder:Insufficient funds' };
      },
      fill: async (ref, qty, price) => fillNow(emu, ref.clientOrderId, qty, price),
      // The engine previews first (AddOrder validate=true, same path): the answer lost is the real submit's.
      loseNextSubmitAnswer: () => {
        const afterValidate = (r: { path: string; body: string }) => {
          if (r.path !== ADD.path || new URLSearchParams(r.body).get('validate') !== 'true') return;
          s.off('request', afterValidate);
          s.faults.arm({ kind: 'lose-response', ...ADD });
        };
        s.on('request', afterValidate);
      },
      outage: async (whileDown) => {
        await s.stop();
        await whileDown();
        await s.start();
      },
      externalOrder: async () => {
        await control(emu, 'external-order', { type: 'sell', volume: '3', price: '250' });
        return { side: 'sell', qty: '3', limitPrice: '250' };
      },
      async close() {
        await e.close();
        await emu.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});
