/**
 * tastytrade (src-main/engine/venues/tastytrade) against its emulator over real sockets: the venue
 * contract and the same through the engine. tastytrade does not deduplicate `external-identifier`,
 * so the lost-ack cases prove exactly one order exists afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { describeVenueContract } from '../../support/venue-contract';
import { describeVenueEngineContract, sessionClock, RestartableEngine, addLiveVenue } from '../../support/venue-engine-contract';
import { createEngine } from '../../../src-main/engine/engine';
import { VENUE_FACTORIES } from '../../../src-main/engine/venues/registry';
import { tastytradeFactory } from '../../../src-main/engine/venues/tastytrade';
import type { VenueFactory } from '../../../src-main/engine/venues/venue-port';
import { EXTERNAL_ORDER, connectorRig, control, fillNow, secretsFor, startEmulator, submitsSeen, tastytradeSettings, venueStatus } from './tastytrade-rig';

describeVenueContract('tastytrade', {
  abilities: {
    ackLost: true,
    fill: true,
    outage: true,
    replace: 'tastytrade replaces an order with a NEW order id (PUT creates the replacement, replaces-order-id links it), so "same venue id" cannot hold; tastytrade-cases.test.ts checks it',
    externalOrder: true,
    rateLimit: true,
    serverErrors: true,
    breaker: true,
    streamGap: 'the tastytrade account streamer numbers no message (no sequence to skip); the connector reconciles through REST on every reconnect instead',
  },
  async makeRig() {
    const emu = await startEmulator();
    const { connector, close } = await connectorRig(emu);
    const s = emu.server;
    const ordersPath = `/accounts/${emu.accountNumber}/orders`;
    return {
      connector,
      instrument: async () => (await connector.lookupInstrument('AAPL'))!,
      resting: async () => ({ side: 'buy', type: 'limit', qty: '2', limitPrice: '100.00', tif: 'gtc' }),
      marketable: async () => ({ side: 'buy', type: 'market', qty: '1', tif: 'day' }),
      reject: async () => {
        await control(emu, 'reject-next', { message: 'This order exceeds your buying power' });
        return { reason: 'This order exceeds your buying power' };
      },
      submitsSeen: (coid) => {
        // tastytrade does not deduplicate: more than one order under the identifier would be a resend.
        expect(emu.ordersWithIdentifier(coid)).toBeLessThanOrEqual(1);
        return submitsSeen(emu, coid);
      },
      fill: async (ref, qty, price) => fillNow(emu, ref.clientOrderId, qty, price),
      loseNextSubmitAnswer: () => s.faults.arm({ kind: 'lose-response', method: 'POST', path: ordersPath }),
      outage: async (whileDown) => {
        await s.stop();
        await whileDown();
        await s.start();
      },
      rateLimitNext: (retryAfterS) => s.faults.arm({ kind: '429', retryAfterS, method: 'POST', path: ordersPath }),
      serverErrorBurst: (count) => s.faults.arm({ kind: '5xx', count, method: 'POST', path: ordersPath }),
      externalOrder: async () => void (await control(emu, 'external-order', { order: EXTERNAL_ORDER })),
      async close() {
        await connector.stop().catch(() => undefined);
        await emu.stop();
        close();
      },
    };
  },
});

describeVenueEngineContract('tastytrade', {
  abilities: { ackLost: true, fill: true, outage: true, reject: true, externalOrder: true },
  async makeRig() {
    const clock = sessionClock();
    const emu = await startEmulator(() => clock.now());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-tte-'));
    const secrets = await secretsFor('tt');
    const start = () =>
      createEngine({
        dataDir: dir,
        secrets,
        clock,
        paperSeed: 7,
        paperTickMs: 0,
        venueFactories: new Map<string, VenueFactory>([...VENUE_FACTORIES, ['tastytrade', tastytradeFactory({ timeoutMs: 2000, streamBackoff: { initialMs: 50, maxMs: 200 } })]]),
        unknownLookupDelays: [20, 50, 100, 200],
      });
    const e = await RestartableEngine.start(start);
    await addLiveVenue(e.engine, 'tastytrade', 'tt', tastytradeSettings(emu));
    const s = emu.server;
    const ordersPath = `/accounts/${emu.accountNumber}/orders`;
    return {
      get engine() {
        return e.engine;
      },
      restart: (whileClosed) => e.restart(whileClosed),
      venue: 'tt',
      symbol: 'AAPL',
      resting: async () => ({ qty: '2', limitPrice: '100.00' }),
      unsupported: { ocaGroup: 'g1' },
      submitsSeen: (coid) => {
        expect(emu.ordersWithIdentifier(coid)).toBeLessThanOrEqual(1);
        return submitsSeen(emu, coid);
      },
      venueStatus: async (coid) => venueStatus(emu, coid),
      reject: async () => {
        await control(emu, 'reject-next', { message: 'This order exceeds your buying power' });
        return { reason: 'This order exceeds your buying power' };
      },
      fill: async (ref, qty, price) => fillNow(emu, ref.clientOrderId, qty, price),
      // The engine previews (dry-run, a path under the orders path) before it submits: the fault is armed once the dry-run is answered.
      loseNextSubmitAnswer: () => {
        const arm = (r: { path: string }): void => {
          if (!r.path.endsWith('/dry-run')) return;
          s.off('request', arm);
          s.faults.arm({ kind: 'lose-response', method: 'POST', path: ordersPath });
        };
        s.on('request', arm);
      },
      outage: async (whileDown) => {
        await s.stop();
        await whileDown();
        await s.start();
      },
      externalOrder: async () => {
        await control(emu, 'external-order', { order: EXTERNAL_ORDER });
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
