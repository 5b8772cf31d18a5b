/**
 * Interactive Brokers against the venue contract, over real sockets to the TWS emulator
 * (test/emulators/tws). Only the VenueConnector port is used; faults come from the emulator.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeVenueContract, until } from '../../support/venue-contract';
import { TwsEmulator } from '../../emulators/tws';
import type { PlaceOrderRequest } from '../../emulators/tws/types';
import { IbkrConnector } from '../../../src-main/engine/venues/ibkr';
import { openDatabase } from '../../../src-main/engine/store/db';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';
import { marketClock } from '../ibkr/ibkr-harness';

const CLIENT_ID = 7;

describeVenueContract('ibkr (TWS emulator)', {
  abilities: {
    ackLost: true,
    fill: true,
    outage: true,
    replace: true,
    externalOrder: true,
    rateLimit: 'TWS has no HTTP 429: its pacing answer is error 100, which the connector keeps away with its 40 msg/s limiter (test/integration/ibkr/connector.test.ts "pacing")',
    serverErrors: 'TWS has no HTTP 5xx: its breaker counts failed connection attempts while TWS is gone (test/integration/ibkr/health.test.ts)',
    breaker: true,
  },
  async makeRig() {
    const clock = marketClock();
    const emu = new TwsEmulator({ port: 0, now: clock.now, nextValidId: 1000 });
    await emu.start();
    const placed: PlaceOrderRequest[] = [];
    emu.on('request', (_clientId: number, req: { type: string; order?: PlaceOrderRequest }) => {
      if (req.type === 'placeOrder' && req.order) placed.push(req.order);
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-ibc-'));
    const db = openDatabase(path.join(dir, 'tradeport.db'));
    const connector = new IbkrConnector({ name: 'ib', settings: { host: '127.0.0.1', port: String(emu.port), clientId: String(CLIENT_ID), watchlist: 'AAPL', reconnectMinMs: '100', reconnectMaxMs: '500' }, clock, secrets: new MemorySecretStore(), db });
    return {
      connector,
      instrument: async () => (await connector.searchInstruments('AAPL')).find((i) => i.symbol === 'AAPL')!,
      resting: async () => ({ side: 'buy', type: 'limit', qty: '2', limitPrice: '150', tif: 'gtc' }),
      marketable: async () => ({ side: 'buy', type: 'market', qty: '1', tif: 'day' }),
      reject: async () => {
        emu.rejectNextOrder('contract suite: no trading permission for this account');
        return { reason: 'no trading permission for this account' };
      },
      submitsSeen: (coid) => placed.filter((o) => o.orderRef === coid).length,
      fill: async (ref, qty, price) => void emu.fillOrder({ clientId: CLIENT_ID, orderId: Number(ref.venueOrderId) }, { quantity: qty, price }),
      loseNextSubmitAnswer: () => {
        const onRequest = (_clientId: number, req: { type: string }): void => {
          if (req.type !== 'placeOrder') return;
          emu.off('request', onRequest);
          void emu.restart({ downMs: 200 });
        };
        emu.on('request', onRequest);
      },
      outage: async (whileDown) => {
        const back = emu.restart({ downMs: 300 });
        await until(() => emu.connectedClientIds().length === 0, 5000, 'TWS down');
        await whileDown();
        await back;
      },
      externalOrder: async () => void emu.placeManualOrder({ symbol: 'AAPL', action: 'SELL', quantity: '25', lmtPrice: '250', tif: 'GTC' }),
      async close() {
        await emu.stop();
        db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});
