/**
 * The same ccxt connector, unchanged, against the project's Binance emulator through ccxt.binance:
 * the venue contract again, which shows the connector is generic (only settings differ).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeVenueContract } from '../../support/venue-contract';
import { CcxtConnector } from '../../../src-main/engine/venues/ccxt/ccxt-connector';
import { CCXT_KIND_INFO } from '../../../src-main/engine/venues/ccxt/ccxt-config';
import { CCXT_MIGRATIONS } from '../../../src-main/engine/venues/ccxt/ccxt-migrations';
import { openDatabase } from '../../../src-main/engine/store/db';
import { applyOwnedMigrations } from '../../../src-main/engine/store/owned-migrations';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';
import { KEY, SECRET, control, startEmulator, submitsSeen } from '../binance/binance-rig';

const REJECT = { code: -2010, msg: 'Account has insufficient balance for requested action.' };
const SUBMIT = { method: 'POST', path: '/api/v3/order' } as const;

describeVenueContract('ccxt (binance)', {
  abilities: {
    ackLost: true,
    fill: true,
    outage: true,
    replace: "ccxt.binance edits through order/cancelReplace, which places a NEW order (new orderId), so 'same venue id' cannot hold",
    externalOrder: true,
    rateLimit: true,
    serverErrors: true,
    breaker: true,
    streamGap: 'the ccxt connector polls REST (no stream messages to number); every failed poll reports disconnected and the next good one connected',
  },
  async makeRig() {
    const emu = await startEmulator();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-ccxtbn-'));
    const db = openDatabase(path.join(dir, 'tradeport.db'));
    applyOwnedMigrations(db, CCXT_KIND_INFO.kind, CCXT_MIGRATIONS);
    const secrets = new MemorySecretStore();
    await secrets.set('cbn/apiKey', KEY);
    await secrets.set('cbn/secret', SECRET);
    const settings = { exchange: 'binance', urlOverride: emu.url, pollMs: '250', ccxtOptions: '{"fetchMarkets":{"types":["spot"]},"fetchCurrencies":false,"fetchMargins":false}' };
    const connector = new CcxtConnector({ name: 'cbn', settings, clock: { now: () => Date.now() }, secrets, db }, { timeoutMs: 2000 });
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
        db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});
