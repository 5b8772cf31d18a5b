/**
 * Coinbase (src-main/engine/venues/coinbase) against its emulator over real sockets: the venue
 * contract, and the same through the engine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeVenueContract } from '../../support/venue-contract';
import { describeVenueEngineContract, sessionClock, RestartableEngine, addLiveVenue } from '../../support/venue-engine-contract';
import { createEngine } from '../../../src-main/engine/engine';
import { VENUE_FACTORIES } from '../../../src-main/engine/venues/registry';
import { coinbaseFactory } from '../../../src-main/engine/venues/coinbase';
import type { VenueFactory } from '../../../src-main/engine/venues/venue-port';
import { coinbaseSettings, connectorRig, control, secretsFor, startEmulator, submitsSeen, venueStatus } from './coinbase-rig';

const ORDERS = '/api/v3/brokerage/orders';

describeVenueContract('coinbase', {
  abilities: { ackLost: true, fill: true, outage: true, replace: true, externalOrder: true, rateLimit: true, serverErrors: true, breaker: true, streamGap: true },
  async makeRig() {
    const emu = await startEmulator();
    const { connector, close } = await connectorRig(emu);
    const s = emu.server;
    return {
      connector,
      instrument: async () => connector.instrument('BTC/USD')!,
      resting: async () => ({ side: 'buy', type: 'limit', qty: '0.02', limitPrice: '50000.00', tif: 'gtc' }),
      marketable: async () => ({ side: 'buy', type: 'market', qty: '0.01', tif: 'ioc' }),
      reject: async () => {
        await control(emu, 'reject-next', { error: 'INSUFFICIENT_FUND', message: 'Insufficient balance in source account' });
        return { reason: 'Insufficient balance in source account' };
      },
      submitsSeen: (coid) => submitsSeen(emu, coid),
      fill: async (ref, qty, price) => void emu.fill(ref.clientOrderId, qty, price),
      loseNextSubmitAnswer: () => s.faults.arm({ kind: 'lose-response', method: 'POST', path: ORDERS }),
      outage: async (whileDown) => {
        await emu.stop();
        await whileDown();
        await emu.start();
      },
      rateLimitNext: (retryAfterS) => s.faults.arm({ kind: '429', retryAfterS, method: 'POST', path: ORDERS }),
      streamGapNext: () => s.faults.arm({ kind: 'gap', count: 3 }),
      serverErrorBurst: (count) => s.faults.arm({ kind: '5xx', count, method: 'POST', path: ORDERS }),
      externalOrder: async () => void (await control(emu, 'external-order', { product_id: 'BTC-USD', side: 'SELL', base_size: '0.3', limit_price: '70000' })),
      async close() {
        await emu.stop();
        close();
      },
    };
  },
});

describeVenueEngineContract('coinbase', {
  abilities: { ackLost: true, fill: true, outage: true, reject: true, externalOrder: true },
  async makeRig() {
    const clock = sessionClock();
    const emu = await startEmulator(() => clock.now());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-cbe-'));
    const secrets = await secretsFor('cb');
    const start = () =>
      createEngine({
        dataDir: dir,
        secrets,
        clock,
        paperSeed: 7,
        paperTickMs: 0,
        venueFactories: new Map<string, VenueFactory>([...VENUE_FACTORIES, ['coinbase', coinbaseFactory({ timeoutMs: 2000 })]]),
        unknownLookupDelays: [20, 50, 100, 200],
      });
    const e = await RestartableEngine.start(start);
    await addLiveVenue(e.engine, 'coinbase', 'cb', coinbaseSettings(emu));
    const s = emu.server;
    return {
      get engine() {
        return e.engine;
      },
      restart: (whileClosed) => e.restart(whileClosed),
      venue: 'cb',
      symbol: 'BTC/USD',
      resting: async () => ({ qty: '0.02', limitPrice: '50000.00' }),
      unsupported: { tif: 'day' },
      submitsSeen: (coid) => submitsSeen(emu, coid),
      venueStatus: async (coid) => venueStatus(emu, coid),
      reject: async () => {
        await control(emu, 'reject-next', { error: 'INSUFFICIENT_FUND', message: 'Insufficient balance in source account' });
        return { reason: 'Insufficient balance in source account' };
      },
      fill: async (ref, qty, price) => void emu.fill(ref.clientOrderId, qty, price),
      loseNextSubmitAnswer: () => s.faults.arm({ kind: 'lose-response', method: 'POST', path: ORDERS }),
      outage: async (whileDown) => {
        await emu.stop();
        await whileDown();
        await emu.start();
      },
      externalOrder: async () => {
        await control(emu, 'external-order', { product_id: 'BTC-USD', side: 'SELL', base_size: '0.3', limit_price: '70000' });
        return { side: 'sell', qty: '0.3', limitPrice: '70000' };
      },
      async close() {
        await e.close();
        await emu.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});
