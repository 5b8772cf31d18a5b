/**
 * The reference REST venue (test/emulators/reference, on the emulator kit) against the venue
 * contract over real sockets. This file is the template for a new venue: its emulator, a rig
 * that maps the contract's faults to the emulator's (the kit's, through test/support/venue-rig),
 * and one call per suite.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeVenueContract } from '../../support/venue-contract';
import { describeVenueEngineContract, sessionClock } from '../../support/venue-engine-contract';
import { kitFaults, liveVenueEngine } from '../../support/venue-rig';
import { ReferenceEmulator, type RefStatus } from '../../emulators/reference';
import { ReferenceConnector, referenceFactory } from '../../support/reference-connector';
import { openDatabase } from '../../../src-main/engine/store/db';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';

const ORDERS = { method: 'POST', path: '/v1/orders' };

describeVenueContract('reference', {
  abilities: { ackLost: true, fill: true, outage: true, replace: true, externalOrder: true, rateLimit: true, serverErrors: true, breaker: true, streamGap: true },
  async makeRig() {
    const emu = new ReferenceEmulator({ apiKey: 'k-123456' });
    await emu.start();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-ref-'));
    const db = openDatabase(path.join(dir, 'tradeport.db'));
    const secrets = new MemorySecretStore();
    await secrets.set('ref/apiKey', 'k-123456');
    const connector = new ReferenceConnector({ name: 'ref', settings: { baseUrl: emu.url }, clock: { now: Date.now }, secrets, db }, { timeoutMs: 2000 });
    const s = emu.server;
    const { loseNextSubmitAnswer, rateLimitNext, serverErrorBurst, streamGapNext, submitsSeen } = kitFaults(s, ORDERS, 2);
    return {
      connector,
      instrument: async () => connector.instrument('XYZ/USD')!,
      resting: async () => ({ side: 'buy', type: 'limit', qty: '2', limitPrice: '99.00', tif: 'gtc' }),
      marketable: async () => ({ side: 'buy', type: 'market', qty: '1', tif: 'ioc' }),
      reject: async () => {
        await fetch(`${emu.url}/__control/reject-next`, { method: 'POST', body: JSON.stringify({ message: 'insufficient funds for this order' }) });
        return { reason: 'insufficient funds for this order' };
      },
      submitsSeen,
      fill: async (ref, qty, price) => void emu.fill(ref.clientOrderId, qty, price),
      loseNextSubmitAnswer,
      outage: async (whileDown) => {
        await s.stop();
        await whileDown();
        await s.start();
      },
      rateLimitNext,
      streamGapNext,
      serverErrorBurst,
      externalOrder: async () => {
        await fetch(`${emu.url}/__control/external-order`, { method: 'POST', body: JSON.stringify({ side: 'sell', qty: '3', limit_price: '120' }) });
      },
      async close() {
        await emu.stop();
        db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});

const PORT_STATUS: Record<RefStatus, string> = { new: 'accepted', partially_filled: 'partially_filled', filled: 'filled', canceled: 'cancelled' };

describeVenueEngineContract('reference', {
  abilities: { ackLost: true, fill: true, outage: true, reject: true, externalOrder: true },
  async makeRig() {
    const emu = new ReferenceEmulator({ apiKey: 'k-123456' });
    await emu.start();
    const secrets = new MemorySecretStore();
    await secrets.set('ref/apiKey', 'k-123456');
    const e = await liveVenueEngine({ kind: 'reference', name: 'ref', factory: referenceFactory(), settings: { baseUrl: emu.url }, secrets, clock: sessionClock() });
    const s = emu.server;
    const { loseNextSubmitAnswer, submitsSeen } = kitFaults(s, ORDERS);
    const byCid = (coid: string) => [...emu.orders.values()].find((o) => o.client_order_id === coid);
    return {
      get engine() {
        return e.engine;
      },
      restart: (whileClosed) => e.restart(whileClosed),
      venue: 'ref',
      symbol: 'XYZ/USD',
      resting: async () => ({ qty: '2', limitPrice: '99.00' }),
      unsupported: { tif: 'fok' },
      submitsSeen,
      venueStatus: async (coid) => {
        const o = byCid(coid);
        return o ? PORT_STATUS[o.status] : undefined;
      },
      reject: async () => {
        await fetch(`${emu.url}/__control/reject-next`, { method: 'POST', body: JSON.stringify({ message: 'insufficient funds for this order' }) });
        return { reason: 'insufficient funds for this order' };
      },
      fill: async (ref, qty, price) => void emu.fill(ref.clientOrderId, qty, price),
      loseNextSubmitAnswer,
      outage: async (whileDown) => {
        await s.stop();
        await whileDown();
        await s.start();
      },
      externalOrder: async () => {
        await fetch(`${emu.url}/__control/external-order`, { method: 'POST', body: JSON.stringify({ side: 'sell', qty: '3', limit_price: '120' }) });
        return { side: 'sell', qty: '3', limitPrice: '120' };
      },
      async close() {
        await e.close();
        await emu.stop();
      },
    };
  },
});
