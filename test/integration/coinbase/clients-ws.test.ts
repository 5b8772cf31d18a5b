/**
 * The emulator's WebSocket checked by clients we did not write, unchanged: `coinbase-api`'s
 * WebsocketClient (its documented `wsUrl` option; it signs the subscribe JWT itself) receives the
 * level2 snapshot on `l2_data` and the user snapshot; ccxt.pro's `watchOrderBook` builds the same
 * book from the same frames as our connector does — and as the emulator holds.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebsocketClient } from 'coinbase-api';
import ccxt from 'ccxt';
import type { CoinbaseEmulator } from '../../emulators/coinbase';
import type { CoinbaseConnector } from '../../../src-main/engine/venues/coinbase';
import { RecordingListener } from '../../support/venue-contract';
import { until } from '../../support/until';
import { KEY_NAME, PRIVATE_PEM, connectorRig, startEmulator } from './coinbase-rig';

let emu: CoinbaseEmulator;

beforeEach(async () => {
  emu = await startEmulator();
});
afterEach(async () => {
  await emu.stop();
});

describe('coinbase-api WebsocketClient against the emulator', () => {
  it('level2 snapshot on l2_data and a signed user subscription, each frame with a per-connection sequence_num', async () => {
    const ws = new WebsocketClient({ apiKey: KEY_NAME, apiSecret: PRIVATE_PEM, wsUrl: `ws://127.0.0.1:${emu.server.port}/` });
    const frames: Array<{ channel: string; sequence_num: number; events: Array<Record<string, unknown>> }> = [];
    ws.on('update', (d: unknown) => frames.push(d as (typeof frames)[number]));
    try {
      ws.subscribe({ topic: 'level2', payload: { product_ids: ['BTC-USD'] } }, 'advTradeMarketData');
      ws.subscribe('user', 'advTradeUserData');
      const l2 = await until(() => frames.find((f) => f.channel === 'l2_data'), { timeoutMs: 10_000, what: 'l2_data snapshot' });
      expect(l2.events[0]).toMatchObject({ type: 'snapshot', product_id: 'BTC-USD' });
      expect((l2.events[0]!['updates'] as unknown[]).length).toBe(10);
      const user = await until(() => frames.find((f) => f.channel === 'user'), { timeoutMs: 10_000, what: 'user snapshot' });
      expect(user.events[0]).toMatchObject({ type: 'snapshot', orders: [] });
      for (const f of frames) expect(Number.isInteger(f.sequence_num)).toBe(true);
    } finally {
      ws.closeAll(true);
    }
  });
});

describe('ccxt.pro watchOrderBook against the emulator', () => {
  let c: CoinbaseConnector;
  let close: () => void;
  afterEach(async () => {
    await c?.stop();
    close?.();
  });

  it('builds the same book as our connector from the same l2_data stream, equal to the emulator’s', async () => {
    const rig = await connectorRig(emu);
    c = rig.connector;
    close = rig.close;
    await c.start(new RecordingListener());
    await until(() => c.state().state === 'connected', { timeoutMs: 10_000, what: 'connected' });
    const ex = new ccxt.pro.coinbase({ apiKey: KEY_NAME, secret: PRIVATE_PEM, urls: { api: { rest: emu.url, ws: `ws://127.0.0.1:${emu.server.port}/` } }, has: { fetchCurrencies: false } });
    try {
      // ccxt's documented first step for a plain ws:// URL.
      await ex.loadHttpProxyAgent();
      await ex.watchOrderBook('BTC/USD');
      const changes = [
        [{ side: 'bid' as const, price: '59999.5', size: '2' }],
        [{ side: 'offer' as const, price: '60001', size: '0' }],
        [
          { side: 'offer' as const, price: '60000.5', size: '1.25' },
          { side: 'bid' as const, price: '59998', size: '0' },
        ],
      ];
      for (const ch of changes) emu.setBook('BTC-USD', ch);
      const want = {
        bids: emu.books.levels('BTC-USD', 'bid').map((l) => [Number(l.price), Number(l.size)]),
        asks: emu.books.levels('BTC-USD', 'offer').map((l) => [Number(l.price), Number(l.size)]),
      };
      const theirs = await until(
        async () => {
          const b = await ex.watchOrderBook('BTC/USD');
          return JSON.stringify({ bids: b.bids, asks: b.asks }) === JSON.stringify(want) && b;
        },
        { timeoutMs: 10_000, what: 'ccxt book equal to the emulator' },
      );
      const ours = await until(
        () => {
          const b = c.book('cb:BTC-USD', 100);
          const mine = b && { bids: b.bids.map((l) => [Number(l.price), Number(l.qty)]), asks: b.asks.map((l) => [Number(l.price), Number(l.qty)]) };
          return JSON.stringify(mine) === JSON.stringify(want) && mine;
        },
        { timeoutMs: 10_000, what: 'our book equal to the emulator' },
      );
      expect(ours).toEqual({ bids: theirs.bids, asks: theirs.asks });
    } finally {
      await ex.close();
    }
  });
});
