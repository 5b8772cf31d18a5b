/**
 * Binance (src-main/engine/venues/binance) against its emulator over real sockets: the venue
 * contract, and the same through the engine.
 */
import { describeVenueContract } from '../../support/venue-contract';
import { describeVenueEngineContract, sessionClock } from '../../support/venue-engine-contract';
import { liveVenueEngine } from '../../support/venue-rig';
import { binanceFactory } from '../../../src-main/engine/venues/binance';
import { binanceSettings, connectorRig, control, secretsFor, startEmulator, submitsSeen, venueStatus } from './binance-rig';

const REJECT = { code: -2010, msg: 'Account has insufficient balance for requested action.' };

describeVenueContract('binance', {
  abilities: {
    ackLost: true,
    fill: true,
    outage: true,
    replace: 'Binance replaces through order/cancelReplace, which cancels the order and places a NEW one (new orderId), so "same venue id" cannot hold',
    externalOrder: true,
    rateLimit: true,
    serverErrors: true,
    breaker: true,
    streamGap: 'Binance numbers no user data event (no sequence to skip); the connector reconciles through REST on every reconnect instead',
  },
  async makeRig() {
    const emu = await startEmulator();
    const { connector, close } = await connectorRig(emu);
    const s = emu.server;
    return {
      connector,
      instrument: async () => connector.instrument('BTC/USDT')!,
      resting: async () => ({ side: 'buy', type: 'limit', qty: '0.002', limitPrice: '50000.00', tif: 'gtc' }),
      marketable: async () => ({ side: 'buy', type: 'market', qty: '0.001', tif: 'ioc' }),
      reject: async () => {
        await control(emu, 'reject-next', REJECT);
        return { reason: REJECT.msg };
      },
      submitsSeen: (coid) => submitsSeen(emu, coid),
      fill: async (ref, qty, price) => void emu.fillByClientId(ref.clientOrderId, qty, price),
      loseNextSubmitAnswer: () => s.faults.arm({ kind: 'lose-response', method: 'POST', path: '/api/v3/order' }),
      outage: async (whileDown) => {
        await s.stop();
        await whileDown();
        await s.start();
      },
      rateLimitNext: (retryAfterS) => s.faults.arm({ kind: '429', retryAfterS, method: 'POST', path: '/api/v3/order' }),
      serverErrorBurst: (count) => s.faults.arm({ kind: '5xx', count, method: 'POST', path: '/api/v3/order' }),
      externalOrder: async () => void (await control(emu, 'external-order', { symbol: 'BTCUSDT', side: 'SELL', quantity: '0.003', price: '70000' })),
      async close() {
        await emu.stop();
        close();
      },
    };
  },
});

describeVenueEngineContract('binance', {
  abilities: { ackLost: true, fill: true, outage: true, reject: true, externalOrder: true },
  async makeRig() {
    const clock = sessionClock();
    const emu = await startEmulator(() => clock.now());
    // Binance quotes in USDT and lists no USDT/USD pair: a USD account could not value these orders.
    const e = await liveVenueEngine({
      kind: 'binance',
      name: 'bn',
      factory: binanceFactory({ timeoutMs: 2000 }),
      settings: binanceSettings(emu),
      secrets: await secretsFor('bn'),
      clock,
      accountCurrency: 'USDT',
    });
    const s = emu.server;
    return {
      get engine() {
        return e.engine;
      },
      restart: (whileClosed) => e.restart(whileClosed),
      venue: 'bn',
      symbol: 'BTC/USDT',
      resting: async () => ({ qty: '0.002', limitPrice: '50000.00' }),
      unsupported: { tif: 'day' },
      submitsSeen: (coid) => submitsSeen(emu, coid),
      venueStatus: async (coid) => venueStatus(emu, coid),
      reject: async () => {
        await control(emu, 'reject-next', REJECT);
        return { reason: REJECT.msg };
      },
      fill: async (ref, qty, price) => void emu.fillByClientId(ref.clientOrderId, qty, price),
      // The engine previews (order/test, which the fault's path prefix also matches) before it sends: arm after the preview.
      loseNextSubmitAnswer: () => {
        const arm = (r: { path: string }) => {
          if (r.path !== '/api/v3/order/test') return;
          s.off('request', arm);
          s.faults.arm({ kind: 'lose-response', method: 'POST', path: '/api/v3/order' });
        };
        s.on('request', arm);
      },
      outage: async (whileDown) => {
        await s.stop();
        await whileDown();
        await s.start();
      },
      externalOrder: async () => {
        await control(emu, 'external-order', { symbol: 'BTCUSDT', side: 'SELL', quantity: '0.003', price: '70000' });
        return { side: 'sell', qty: '0.003', limitPrice: '70000' };
      },
      async close() {
        await e.close();
        await emu.stop();
      },
    };
  },
});
