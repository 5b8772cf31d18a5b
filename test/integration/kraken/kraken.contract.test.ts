/**
 * Kraken (src-main/engine/venues/kraken) against its emulator over real sockets: the venue
 * contract, the same through the engine, and Kraken's own cases (kraken-cases.test.ts).
 */
import { describeVenueContract } from '../../support/venue-contract';
import { describeVenueEngineContract, sessionClock } from '../../support/venue-engine-contract';
import { liveVenueEngine } from '../../support/venue-rig';
import { krakenFactory } from '../../../src-main/engine/venues/kraken';
import { connectorRig, control, fillNow, krakenContractHooks, krakenSettings, roomyLimits, secretsFor, startEmulator, submitsSeen, venueStatus } from './kraken-rig';

const ADD = { method: 'POST', path: '/0/private/AddOrder' } as const;

describeVenueContract('kraken', {
  abilities: {
    ackLost: true,
    fill: true,
    outage: true,
    replace: true,
    externalOrder: true,
    rateLimit: true,
    serverErrors: true,
    breaker: true,
    streamGap: 'Kraken numbers no executions message (no sequence to skip); the connector reports a drop and the engine reconciles through REST on every reconnect',
  },
  async makeRig() {
    const emu = await startEmulator();
    const { connector, close } = await connectorRig(emu);
    return {
      connector,
      instrument: async () => connector.instrument('BTC/USD')!,
      resting: async () => ({ side: 'buy', type: 'limit', qty: '0.02', limitPrice: '90.0', tif: 'gtc' }),
      marketable: async () => ({ side: 'buy', type: 'market', qty: '0.01', tif: 'ioc' }),
      ...krakenContractHooks(emu),
      async close() {
        await emu.stop();
        close();
      },
    };
  },
});

describeVenueEngineContract('kraken', {
  abilities: { ackLost: true, fill: true, outage: true, reject: true, externalOrder: true },
  async makeRig() {
    const clock = sessionClock();
    const emu = await startEmulator();
    const e = await liveVenueEngine({
      kind: 'kraken',
      name: 'kr',
      factory: krakenFactory({ timeoutMs: 2000, limits: roomyLimits() }),
      settings: krakenSettings(emu),
      secrets: await secretsFor(emu, 'kr'),
      clock,
    });
    const s = emu.server;
    return {
      get engine() {
        return e.engine;
      },
      restart: (whileClosed) => e.restart(whileClosed),
      venue: 'kr',
      symbol: 'BTC/USD',
      resting: async () => ({ qty: '0.02', limitPrice: '90.0' }),
      unsupported: { tif: 'day' },
      submitsSeen: (coid) => submitsSeen(emu, coid),
      venueStatus: async (coid) => venueStatus(emu, coid),
      reject: async () => {
        await control(emu, 'reject-next', { error: 'EOrder:Insufficient funds' });
        return { reason: 'EOrder:Insufficient funds' };
      },
      fill: async (ref, qty, price) => fillNow(emu, ref.clientOrderId, qty, price),
      // The engine previews first (AddOrder validate=true, same path): the answer lost is the real submit's.
      loseNextSubmitAnswer: () => {
        const afterValidate = (r: { path: string; body: string }) => {
          if (r.path !== ADD.path || new URLSearchParams(r.body).get('validate') !== 'true') return;
          s.off('request', afterValidate);
          s.faults.arm({ kind: 'lose-response', ...ADD });
        };
        s.on('request', afterValidate);
      },
      outage: async (whileDown) => {
        await s.stop();
        await whileDown();
        await s.start();
      },
      externalOrder: async () => {
        await control(emu, 'external-order', { type: 'sell', volume: '3', price: '250' });
        return { side: 'sell', qty: '3', limitPrice: '250' };
      },
      async close() {
        await e.close();
        await emu.stop();
      },
    };
  },
});
