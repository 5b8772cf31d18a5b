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

class QuoteListener extends RecordingListener {
  readonly quotes: Quote[] = [];
  override quote(q: Quote): void {
    this.quotes.push(q);
  }
}

let emu: BinanceEmulator;
let listener: QuoteListener;
let stopRig: () => Promise<void>;

beforeEach(async () => {
  listener = new QuoteListener();
  const rig = await connectedRig(listener);
  emu = rig.emu;
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
