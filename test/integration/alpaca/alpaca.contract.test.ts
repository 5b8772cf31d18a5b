/**
 * Alpaca (src-main/engine/venues/alpaca) against its emulator over real sockets: the venue
 * contract, the same through the engine, and Alpaca's own cases (alpaca-cases.test.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeVenueContract } from '../../support/venue-contract';
import { describeVenueEngineContract, sessionClock, RestartableEngine, addLiveVenue } from '../../support/venue-engine-contract';
import { createEngine } from '../../../src-main/engine/engine';
import { VENUE_FACTORIES } from '../../../src-main/engine/venues/registry';
import { alpacaFactory } from '../../../src-main/engine/venues/alpaca';
import type { VenueFactory } from '../../../src-main/engine/venues/venue-port';
import { alpacaSettings, connectorRig, control, fillNow, secretsFor, startEmulator, submitsSeen, venueStatus } from './alpaca-rig';

describeVenueContract('alpaca', {
  abilities: {
    ackLost: true,
    fill: true,
    outage: true,
    replace: 'Alpaca replaces an order with a NEW order id (PATCH creates the replacement), so "same venue id" cannot hold; alpaca-cases.test.ts checks the replace with its new id',
    externalOrder: true,
    rateLimit: true,
    serverErrors: true,
    breaker: true,
    streamGap: 'Alpaca numbers no stream message (no sequence to skip); the connector reconciles through REST on every reconnect instead',
  },
  async makeRig() {
    const emu = await startEmulator();
    const { connector, close } = await connectorRig(emu);
    const s = emu.server;
    return {
      connector,
      instrument: async () => connector.instrument('AAPL')!,
      resting: async () => ({ side: 'buy', type: 'limit', qty: '2', limitPrice: '150.00', tif: 'gtc' }),
      marketable: async () => ({ side: 'buy', type: 'market', qty: '1', tif: 'day' }),
      reject: async () => {
        await control(emu, 'reject-next', { status: 403, code: 40310000, message: 'insufficient buying power' });
        return { reason: 'insufficient buying power' };
      },
      submitsSeen: (coid) => submitsSeen(emu, coid),
      fill: async (ref, qty, price) => fillNow(emu, ref.clientOrderId, qty, price),
      loseNextSubmitAnswer: () => s.faults.arm({ kind: 'lose-response', method: 'POST', path: '/v2/orders' }),
      outage: async (whileDown) => {
        await s.stop();
        await whileDown();
        await s.start();
      },
      rateLimitNext: (retryAfterS) => s.faults.arm({ kind: '429', retryAfterS, method: 'POST', path: '/v2/orders' }),
      serverErrorBurst: (count) => s.faults.arm({ kind: '5xx', count, method: 'POST', path: '/v2/orders' }),
      externalOrder: async () => void (await control(emu, 'external-order', { symbol: 'AAPL', side: 'sell', qty: '3', limit_price: '250' })),
      async close() {
        await emu.stop();
        close();
      },
    };
  },
});

describeVenueEngineContract('alpaca', {
  abilities: { ackLost: true, fill: true, outage: true, reject: true, externalOrder: true },
  async makeRig() {
    const clock = sessionClock();
    const emu = await startEmulator(() => clock.now());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-alpe-'));
    const secrets = await secretsFor('alp');
    const start = () =>
      createEngine({
        dataDir: dir,
        secrets,
        clock,
        paperSeed: 7,
        paperTickMs: 0,
        venueFactories: new Map<string, VenueFactory>([...VENUE_FACTORIES, ['alpaca', alpacaFactory({ timeoutMs: 2000 })]]),
        unknownLookupDelays: [20, 50, 100, 200],
      });
    const e = await RestartableEngine.start(start);
    await addLiveVenue(e.engine, 'alpaca', 'alp', alpacaSettings(emu));
    const s = emu.server;
    return {
      get engine() {
        return e.engine;
      },
      restart: (whileClosed) => e.restart(whileClosed),
      venue: 'alp',
      symbol: 'AAPL',
      resting: async () => ({ qty: '2', limitPrice: '150.00' }),
      unsupported: { ocaGroup: 'g1' },
      submitsSeen: (coid) => submitsSeen(emu, coid),
      venueStatus: async (coid) => venueStatus(emu, coid),
      reject: async () => {
        await control(emu, 'reject-next', { status: 403, code: 40310000, message: 'insufficient buying power' });
        return { reason: 'insufficient buying power' };
      },
      fill: async (ref, qty, price) => fillNow(emu, ref.clientOrderId, qty, price),
      loseNextSubmitAnswer: () => s.faults.arm({ kind: 'lose-response', method: 'POST', path: '/v2/orders' }),
      outage: async (whileDown) => {
        await s.stop();
        await whileDown();
        await s.start();
      },
      externalOrder: async () => {
        await control(emu, 'external-order', { symbol: 'AAPL', side: 'sell', qty: '3', limit_price: '250' });
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
