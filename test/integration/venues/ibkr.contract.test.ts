/**
 * Interactive Brokers against the venue contract, over real sockets to the TWS emulator
 * (test/emulators/tws). Only the VenueConnector port is used; faults come from the emulator.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeVenueContract } from '../../support/venue-contract';
import { until } from '../../support/until';
import { describeVenueEngineContract } from '../../support/venue-engine-contract';
import { TwsEmulator } from '../../emulators/tws';
import type { PlaceOrderRequest } from '../../emulators/tws/types';
import { IbkrConnector } from '../../../src-main/engine/venues/ibkr';
import { openDatabase } from '../../../src-main/engine/store/db';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';
import { engineRig, marketClock } from '../ibkr/ibkr-harness';

const CLIENT_ID = 7;

/** placeOrder requests TWS received (a replace is one too), for "never resent". */
function recordPlaced(emu: TwsEmulator): PlaceOrderRequest[] {
  const placed: PlaceOrderRequest[] = [];
  emu.on('request', (_clientId: number, req: { type: string; order?: PlaceOrderRequest }) => {
    if (req.type === 'placeOrder' && req.order && !req.order.whatIf) placed.push(req.order);
  });
  return placed;
}

/** The next placeOrder (not a whatIf preview) is taken, then TWS restarts before it can answer. */
function loseNextAck(emu: TwsEmulator): void {
  const onRequest = (_clientId: number, req: { type: string; order?: PlaceOrderRequest }): void => {
    if (req.type !== 'placeOrder' || req.order?.whatIf) return;
    emu.off('request', onRequest);
    void emu.restart({ downMs: 200 });
  };
  emu.on('request', onRequest);
}

async function outage(emu: TwsEmulator, whileDown: () => Promise<void>): Promise<void> {
  const back = emu.restart({ downMs: 300 });
  await until(() => emu.connectedClientIds().length === 0, { timeoutMs: 5000, what: 'TWS down' });
  await whileDown();
  await back;
}

const fillAt = (emu: TwsEmulator) => async (ref: { venueOrderId?: string | undefined }, qty: string, price: string) =>
  void emu.fillOrder({ clientId: CLIENT_ID, orderId: Number(ref.venueOrderId) }, { quantity: qty, price });

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
    streamGap: 'the TWS socket protocol has no message sequence numbers (TCP keeps order; a lost session is an outage)',
  },
  async makeRig() {
    const clock = marketClock();
    const emu = new TwsEmulator({ port: 0, now: clock.now, nextValidId: 1000 });
    await emu.start();
    const placed = recordPlaced(emu);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-ibc-'));
    const db = openDatabase(path.join(dir, 'tradeport.db'));
    const connector = new IbkrConnector({
      name: 'ib',
      settings: { host: '127.0.0.1', port: String(emu.port), clientId: String(CLIENT_ID), watchlist: 'AAPL', reconnectMinMs: '100', reconnectMaxMs: '500' },
      clock,
      secrets: new MemorySecretStore(),
      db,
    });
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
      fill: fillAt(emu),
      loseNextSubmitAnswer: () => loseNextAck(emu),
      outage: (whileDown) => outage(emu, whileDown),
      externalOrder: async () => void emu.placeManualOrder({ symbol: 'AAPL', action: 'SELL', quantity: '25', lmtPrice: '250', tif: 'GTC' }),
      async close() {
        await emu.stop();
        db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});

const IB_STATUS: Record<string, string> = {
  PendingSubmit: 'submitted',
  PreSubmitted: 'accepted',
  Submitted: 'accepted',
  Filled: 'filled',
  Cancelled: 'cancelled',
  ApiCancelled: 'cancelled',
  Inactive: 'rejected',
};

describeVenueEngineContract('ibkr (TWS emulator)', {
  abilities: { ackLost: true, fill: true, outage: true, reject: true, externalOrder: true },
  async makeRig() {
    const r = await engineRig(marketClock(), 'tp-ibe-');
    if (!r.added.ok) throw new Error(r.added.error.message);
    await r.engine.call('mode.set', { venue: 'ib', mode: 'live', arm: true });
    // Through the engine API: the session is up, AAPL is known and quoted (the collar needs a price).
    await until(
      async () => {
        const s = await r.engine.call('instruments.search', { venue: 'ib', query: 'AAPL' });
        return s.ok && s.value.some((i) => i.symbol === 'AAPL');
      },
      { timeoutMs: 10_000, what: 'AAPL known to the engine' },
    );
    await until(
      async () => {
        const q = await r.engine.call('quote.get', { venue: 'ib', symbol: 'AAPL' });
        return q.ok && q.value.ask !== undefined;
      },
      { timeoutMs: 10_000, what: 'AAPL quoted' },
    );
    const placed = recordPlaced(r.emu);
    return {
      get engine() {
        return r.engine;
      },
      async restart(whileClosed) {
        await r.engine.close();
        await whileClosed();
        r.engine = await r.startEngine();
      },
      venue: 'ib',
      symbol: 'AAPL',
      resting: async () => ({ qty: '1', limitPrice: '195' }),
      unsupported: { tif: 'fok' },
      submitsSeen: (coid) => placed.filter((o) => o.orderRef === coid).length,
      venueStatus: async (coid) => {
        const o = r.emu.orders().find((x) => x.orderRef === coid);
        return o ? (IB_STATUS[o.status] ?? o.status) : undefined;
      },
      reject: async () => {
        r.emu.rejectNextOrder('contract suite: no trading permission for this account');
        return { reason: 'no trading permission for this account' };
      },
      fill: fillAt(r.emu),
      loseNextSubmitAnswer: () => loseNextAck(r.emu),
      outage: (whileDown) => outage(r.emu, whileDown),
      externalOrder: async () => {
        r.emu.placeManualOrder({ symbol: 'AAPL', action: 'SELL', quantity: '25', lmtPrice: '250', tif: 'GTC' });
        return { side: 'sell', qty: '25', limitPrice: '250' };
      },
      close: () => r.close(),
    };
  },
});
