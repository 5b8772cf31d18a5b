/**
 * The ccxt connector (src-main/engine/venues/ccxt, exchange=bybit) against the Bybit v5 emulator
 * over real sockets: the venue contract, and the same through the engine.
 */
import { describeVenueContract } from '../../support/venue-contract';
import { describeVenueEngineContract, sessionClock } from '../../support/venue-engine-contract';
import { liveVenueEngine } from '../../support/venue-rig';
import { ccxtFactory } from '../../../src-main/engine/venues/ccxt';
import { REJECT, SUBMIT, bybitSettings, connectorRig, control, placeElsewhere, secretsFor, startBybit, submitsSeen, venueStatus } from './bybit-rig';
import { CCXT_ABILITIES } from './ccxt-rig';

describeVenueContract('ccxt (bybit)', {
  abilities: { ...CCXT_ABILITIES },
  async makeRig() {
    const emu = await startBybit();
    const { connector, close } = await connectorRig(emu);
    const s = emu.server;
    return {
      connector,
      instrument: async () => connector.instrument('BTC/USDT')!,
      resting: async () => ({ side: 'buy', type: 'limit', qty: '0.02', limitPrice: '90000.00', tif: 'gtc' }),
      marketable: async () => ({ side: 'buy', type: 'market', qty: '0.01', tif: 'gtc' }),
      reject: async () => {
        await control(emu, 'reject-next', REJECT);
        return { reason: REJECT.retMsg };
      },
      submitsSeen: (coid) => submitsSeen(emu, coid),
      fill: async (ref, qty, price) => void emu.fill({ orderLinkId: ref.clientOrderId, qty, price }),
      loseNextSubmitAnswer: () => s.faults.arm({ kind: 'lose-response', ...SUBMIT }),
      outage: async (whileDown) => {
        await s.stop();
        await whileDown();
        await s.start();
      },
      rateLimitNext: (retryAfterS) => s.faults.arm({ kind: '429', retryAfterS, ...SUBMIT }),
      serverErrorBurst: (count) => s.faults.arm({ kind: '5xx', count, ...SUBMIT }),
      externalOrder: () => placeElsewhere(emu, 'sell', '0.03', '120000'),
      async close() {
        await emu.stop();
        close();
      },
    };
  },
});

describeVenueEngineContract('ccxt (bybit)', {
  abilities: { ackLost: true, fill: true, outage: true, reject: true, externalOrder: true },
  async makeRig() {
    const clock = sessionClock();
    const emu = await startBybit();
    // A USDT-margined trader: notional limits in USDT (Bybit quotes no USDT/USD pair to convert with).
    const e = await liveVenueEngine({
      kind: 'ccxt',
      name: 'byb',
      factory: ccxtFactory({ timeoutMs: 2000 }),
      settings: bybitSettings(emu),
      secrets: await secretsFor('byb'),
      clock,
      accountCurrency: 'USDT',
    });
    const s = emu.server;
    return {
      get engine() {
        return e.engine;
      },
      restart: (whileClosed) => e.restart(whileClosed),
      venue: 'byb',
      symbol: 'BTC/USDT',
      resting: async () => ({ qty: '0.02', limitPrice: '90000' }),
      unsupported: { ocaGroup: 'g1' },
      submitsSeen: (coid) => submitsSeen(emu, coid),
      venueStatus: async (coid) => venueStatus(emu, coid),
      reject: async () => {
        await control(emu, 'reject-next', REJECT);
        return { reason: REJECT.retMsg };
      },
      fill: async (ref, qty, price) => void emu.fill({ orderLinkId: ref.clientOrderId, qty, price }),
      loseNextSubmitAnswer: () => s.faults.arm({ kind: 'lose-response', ...SUBMIT }),
      outage: async (whileDown) => {
        await s.stop();
        await whileDown();
        await s.start();
      },
      externalOrder: async () => {
        await placeElsewhere(emu, 'sell', '0.03', '120000');
        return { side: 'sell', qty: '0.03', limitPrice: '120000' };
      },
      async close() {
        await e.close();
        await emu.stop();
      },
    };
  },
});
