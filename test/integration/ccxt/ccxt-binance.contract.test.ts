/**
 * The same ccxt connector, unchanged, against the project's Binance emulator through ccxt.binance:
 * the venue contract again, which shows the connector is generic (only settings differ).
 */
import { describeVenueContract } from '../../support/venue-contract';
import { BINANCE_SPOT_ONLY, CCXT_ABILITIES, ccxtRig } from './ccxt-rig';
import { KEY, SECRET, control, startEmulator, submitsSeen } from '../binance/binance-rig';

const REJECT = { code: -2010, msg: 'Account has insufficient balance for requested action.' };
const SUBMIT = { method: 'POST', path: '/api/v3/order' } as const;

describeVenueContract('ccxt (binance)', {
  abilities: { ...CCXT_ABILITIES, replace: "ccxt.binance edits through order/cancelReplace, which places a NEW order (new orderId), so 'same venue id' cannot hold" },
  async makeRig() {
    const emu = await startEmulator();
    const rig = await ccxtRig('cbn', { exchange: 'binance', urlOverride: emu.url, pollMs: '250', ccxtOptions: BINANCE_SPOT_ONLY }, { apiKey: KEY, secret: SECRET });
    const connector = rig.connector;
    const s = emu.server;
    return {
      connector,
      instrument: async () => connector.instrument('BTC/USDT')!,
      resting: async () => ({ side: 'buy', type: 'limit', qty: '0.002', limitPrice: '50000.00', tif: 'gtc' }),
      marketable: async () => ({ side: 'buy', type: 'market', qty: '0.001', tif: 'gtc' }),
      reject: async () => {
        await control(emu, 'reject-next', REJECT);
        return { reason: REJECT.msg };
      },
      submitsSeen: (coid) => submitsSeen(emu, coid),
      fill: async (ref, qty, price) => void emu.fillByClientId(ref.clientOrderId, qty, price),
      loseNextSubmitAnswer: () => s.faults.arm({ kind: 'lose-response', ...SUBMIT }),
      outage: async (whileDown) => {
        await s.stop();
        await whileDown();
        await s.start();
      },
      rateLimitNext: (retryAfterS) => s.faults.arm({ kind: '429', retryAfterS, ...SUBMIT }),
      serverErrorBurst: (count) => s.faults.arm({ kind: '5xx', count, ...SUBMIT }),
      externalOrder: async () => void (await control(emu, 'external-order', { symbol: 'BTCUSDT', side: 'SELL', quantity: '0.003', price: '70000' })),
      async close() {
        await emu.stop();
        rig.close();
      },
    };
  },
});
