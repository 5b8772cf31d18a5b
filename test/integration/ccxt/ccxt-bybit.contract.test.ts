/**
 * The ccxt connector (src-main/engine/venues/ccxt, exchange=bybit) against the Bybit v5 emulator
 * over real sockets: the venue contract, and the same through the engine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeVenueContract } from '../../support/venue-contract';
import { describeVenueEngineContract, sessionClock, RestartableEngine, addLiveVenue } from '../../support/venue-engine-contract';
import { createEngine } from '../../../src-main/engine/engine';
import { VENUE_FACTORIES } from '../../../src-main/engine/venues/registry';
import { ccxtFactory } from '../../../src-main/engine/venues/ccxt';
import type { VenueFactory } from '../../../src-main/engine/venues/venue-port';
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
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-ccxte-'));
    const secrets = await secretsFor('byb');
    const start = () =>
      createEngine({
        dataDir: dir,
        secrets,
        clock,
        paperSeed: 7,
        paperTickMs: 0,
        // A USDT-margined trader: notional limits in USDT (Bybit quotes no USDT/USD pair to convert with).
        accountCurrency: 'USDT',
        venueFactories: new Map<string, VenueFactory>([...VENUE_FACTORIES, ['ccxt', ccxtFactory({ timeoutMs: 2000 })]]),
        unknownLookupDelays: [20, 50, 100, 200],
      });
    const e = await RestartableEngine.start(start);
    await addLiveVenue(e.engine, 'ccxt', 'byb', bybitSettings(emu));
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
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});
