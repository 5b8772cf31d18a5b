/**
 * The same ccxt connector, unchanged, against the project's Kraken emulator through ccxt.kraken:
 * the venue contract a third time (after Bybit and Binance), with only the settings differing.
 */
import { describeVenueContract } from '../../support/venue-contract';
import { control, fillNow, startEmulator, submitsSeen } from '../kraken/kraken-rig';
import { ccxtRig } from './ccxt-rig';

const ADD = { method: 'POST', path: '/0/private/AddOrder' } as const;
const REJECT = 'EOrder:Insufficient funds';

describeVenueContract('ccxt (kraken)', {
  abilities: {
    ackLost: true,
    fill: true,
    outage: true,
    replace: true,
    externalOrder: true,
    rateLimit: true,
    serverErrors: true,
    breaker: true,
    streamGap: 'the ccxt connector polls REST (no stream messages to number); every failed poll reports disconnected and the next good one connected',
  },
  async makeRig() {
    const emu = await startEmulator();
    const rig = await ccxtRig('ckr', { exchange: 'kraken', urlOverride: emu.url, pollMs: '250' }, { apiKey: emu.apiKey, secret: emu.apiSecret });
    const connector = rig.connector;
    const s = emu.server;
    return {
      connector,
      instrument: async () => connector.instrument('BTC/USD')!,
      resting: async () => ({ side: 'buy', type: 'limit', qty: '0.02', limitPrice: '90.0', tif: 'gtc' }),
      marketable: async () => ({ side: 'buy', type: 'market', qty: '0.01', tif: 'gtc' }),
      reject: async () => {
        await control(emu, 'reject-next', { error: REJECT });
        return { reason: REJECT };
      },
      submitsSeen: (coid) => submitsSeen(emu, coid),
      fill: async (ref, qty, price) => fillNow(emu, ref.clientOrderId, qty, price),
      loseNextSubmitAnswer: () => s.faults.arm({ kind: 'lose-response', ...ADD }),
      outage: async (whileDown) => {
        await s.stop();
        await whileDown();
        await s.start();
      },
      rateLimitNext: (retryAfterS) => s.faults.arm({ kind: '429', retryAfterS, ...ADD }),
      serverErrorBurst: (count) => s.faults.arm({ kind: '5xx', count, ...ADD }),
      externalOrder: async () => void (await control(emu, 'external-order', { type: 'sell', volume: '3', price: '250' })),
      async close() {
        await emu.stop();
        rig.close();
      },
    };
  },
});
