/**
 * Binance quotes carry the day's statistics: the connector follows `<symbol>@miniTicker` beside the
 * depth stream, so each quote has the last price and the 24-hour high, low and base volume the
 * emulator's tape gives (the watchlist's volume column reads them).
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import Decimal from 'decimal.js';
import type { BinanceEmulator } from '../../emulators/binance';
import type { Quote } from '../../../src-main/engine/domain/order';
import { RecordingListener } from '../../support/venue-contract';
import { until } from '../../support/until';
import { connectedRig, control } from './binance-rig';
import type { BinanceConnector } from '../../../src-main/engine/venues/binance/binance-connector';

class QuoteListener extends RecordingListener {
  readonly quotes: Quote[] = [];
  override quote(q: Quote): void {
    this.quotes.push(q);
  }
}

let emu: BinanceEmulator;
let c: BinanceConnector;
let listener: QuoteListener;
let stopRig: () => Promise<void>;

beforeEach(async () => {
  listener = new QuoteListener();
  const rig = await connectedRig(listener);
  emu = rig.emu;
  c = rig.c;
  stopRig = () => rig.stop();
}, 30_000);
afterEach(() => stopRig());

it('miniTicker: quotes carry last, day high, day low and volume from the tape', async () => {
  // Trades until the ticker stream is subscribed and one reaches us (each adds to the day's volume).
  await until(
    async () => {
      await control(emu, 'market-trade', { symbol: 'BTCUSDT', price: '60010', qty: '0.5' });
      return listener.quotes.some((q) => q.volume !== undefined);
    },
    { timeoutMs: 10_000, what: 'a quote with volume' },
  );
  await control(emu, 'market-trade', { symbol: 'BTCUSDT', price: '59990', qty: '0.25' });
  const volume = new Decimal(emu.books.get('BTCUSDT')!.day!.v).toString();
  const q = await until(() => listener.quotes.find((x) => x.last === '59990' && x.volume === volume), { timeoutMs: 10_000, what: 'the last trade in a quote' });
  expect(q).toMatchObject({ instrumentId: 'bn:BTCUSDT', dayHigh: '60010', dayLow: '59990', bid: '60000', ask: '60000.01' });
  expect(new Decimal(volume).gte('0.75')).toBe(true);
});

it('every followed symbol rides ONE combined market connection (depth and miniTicker): a symbol added later is subscribed on it, books stay exact, day stats arrive', async () => {
  const eth = c.instrument('ETH/USDT')!;
  const btc = c.instrument('BTC/USDT')!;
  await until(() => c.book(btc.id, 5) !== undefined, { timeoutMs: 10_000, what: 'BTC book in sync' });
  // Followed while the connection is open: a SUBSCRIBE on it, not a second socket.
  await until(() => c.book(eth.id, 5) !== undefined, { timeoutMs: 10_000, what: 'ETH book in sync' });
  const venueTop = (s: string) => emu.books.get(s)!.depth(1);
  expect(c.book(eth.id, 1)?.bids[0]?.price).toBe(new Decimal(venueTop('ETHUSDT').bids[0]![0]!).toString());
  for (const [symbol, price] of [
    ['ETHUSDT', '3000.50'],
    ['BTCUSDT', '60005'],
  ] as const) {
    await until(
      async () => {
        await control(emu, 'market-trade', { symbol, price, qty: '0.1' });
        return listener.quotes.some((q) => q.instrumentId === `bn:${symbol}` && q.last === new Decimal(price).toString() && q.volume !== undefined);
      },
      { timeoutMs: 10_000, what: `day stats for ${symbol}` },
    );
  }
  // A depth diff on each symbol reaches its own book through the shared connection.
  await control(emu, 'depth-update', { symbol: 'ETHUSDT', bids: [['2999.50', '4']], asks: [] });
  await control(emu, 'depth-update', { symbol: 'BTCUSDT', bids: [['59999.50', '3']], asks: [] });
  await until(() => c.book(eth.id, 20)?.bids.some((l) => l.price === '2999.5') && c.book(btc.id, 20)?.bids.some((l) => l.price === '59999.5'), { timeoutMs: 10_000, what: 'diffs applied' });
  expect(emu.market.connections).toBe(1);
  expect(emu.market.connectionsOpened).toBe(1);
  expect(emu.market.droppedForRate).toBe(0);
  expect(c.books.sockets.connections).toBe(1);
});
