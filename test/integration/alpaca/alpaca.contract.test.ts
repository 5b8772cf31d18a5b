/**
 * Alpaca (src-main/engine/venues/alpaca) against its emulator over real sockets: the venue
 * contract, the same through the engine, and Alpaca's own cases (alpaca-cases.test.ts).
 */
import { describeVenueContract } from '../../support/venue-contract';
import { describeVenueEngineContract, sessionClock } from '../../support/venue-engine-contract';
import { kitFaults, liveVenueEngine } from '../../support/venue-rig';
import { alpacaFactory } from '../../../src-main/engine/venues/alpaca';
import { alpacaSettings, connectorRig, control, fillNow, secretsFor, startEmulator, submitsSeen, venueStatus } from './alpaca-rig';

const ORDERS = { method: 'POST', path: '/v2/orders' };

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
    const { loseNextSubmitAnswer, rateLimitNext, serverErrorBurst } = kitFaults(s, ORDERS);
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
      loseNextSubmitAnswer,
      outage: async (whileDown) => {
        await s.stop();
        await whileDown();
        await s.start();
      },
      rateLimitNext,
      serverErrorBurst,
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
    const e = await liveVenueEngine({ kind: 'alpaca', name: 'alp', factory: alpacaFactory({ timeoutMs: 2000 }), settings: alpacaSettings(emu), secrets: await secretsFor('alp'), clock });
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
      loseNextSubmitAnswer: kitFaults(s, ORDERS).loseNextSubmitAnswer,
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
      },
    };
  },
});
