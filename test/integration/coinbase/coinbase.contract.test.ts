/**
 * Coinbase (src-main/engine/venues/coinbase) against its emulator over real sockets: the venue
 * contract, and the same through the engine.
 */
import { describeVenueContract } from '../../support/venue-contract';
import { describeVenueEngineContract, sessionClock } from '../../support/venue-engine-contract';
import { kitFaults, liveVenueEngine } from '../../support/venue-rig';
import { coinbaseFactory } from '../../../src-main/engine/venues/coinbase';
import { coinbaseSettings, connectorRig, control, secretsFor, startEmulator, submitsSeen, venueStatus } from './coinbase-rig';

const ORDERS = { method: 'POST', path: '/api/v3/brokerage/orders' };

describeVenueContract('coinbase', {
  abilities: { ackLost: true, fill: true, outage: true, replace: true, externalOrder: true, rateLimit: true, serverErrors: true, breaker: true, streamGap: true },
  async makeRig() {
    const emu = await startEmulator();
    const { connector, close } = await connectorRig(emu);
    const s = emu.server;
    const { loseNextSubmitAnswer, rateLimitNext, serverErrorBurst, streamGapNext } = kitFaults(s, ORDERS);
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
      loseNextSubmitAnswer,
      outage: async (whileDown) => {
        await emu.stop();
        await whileDown();
        await emu.start();
      },
      rateLimitNext,
      streamGapNext,
      serverErrorBurst,
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
    const e = await liveVenueEngine({ kind: 'coinbase', name: 'cb', factory: coinbaseFactory({ timeoutMs: 2000 }), settings: coinbaseSettings(emu), secrets: await secretsFor('cb'), clock });
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
      loseNextSubmitAnswer: kitFaults(s, ORDERS).loseNextSubmitAnswer,
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
      },
    };
  },
});
