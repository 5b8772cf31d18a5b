/** Alpaca snapshot payloads: checked with zod, read into a touch and day statistics. */
import { describe, expect, it } from 'vitest';
import { fromSnapshot, wireCryptoSnapshots, wireStockSnapshots } from '../../../src-main/engine/venues/alpaca/alpaca-snapshots';

const bar = (c: number, h: number, l: number, v: number) => ({ t: '2026-11-18T05:00:00Z', o: c, h, l, c, v, n: 10, vw: c });
const stock = {
  latestTrade: { t: '2026-11-18T15:00:00Z', x: 'V', p: 190.12, s: 100, c: ['@'], i: 1, z: 'C' },
  latestQuote: { t: '2026-11-18T15:00:00Z', ax: 'V', ap: 190.2, as: 3, bx: 'V', bp: 190.1, bs: 2, c: ['R'], z: 'C' },
  minuteBar: bar(190.1, 190.2, 190, 500),
  dailyBar: bar(190.1, 191.5, 188.25, 1234567),
  prevDailyBar: bar(186.4, 187, 185, 2000000),
};

describe('Alpaca snapshots', () => {
  it('reads the touch, last trade, day high/low/volume and the previous close', () => {
    const snaps = wireStockSnapshots.parse({ AAPL: stock });
    expect(fromSnapshot(snaps['AAPL']!)).toEqual({
      touch: { bid: '190.1', ask: '190.2', bidSize: '2', askSize: '3' },
      day: { last: '190.12', prevClose: '186.4', dayHigh: '191.5', dayLow: '188.25', volume: '1234567' },
    });
  });

  it('an empty side (0 out of hours) gives no touch; missing or null parts give no figures', () => {
    const quiet = fromSnapshot(wireStockSnapshots.parse({ AAPL: { ...stock, latestQuote: { ...stock.latestQuote, bp: 0 }, dailyBar: null } })['AAPL']!);
    expect(quiet).toEqual({ day: { last: '190.12', prevClose: '186.4' } });
    expect(fromSnapshot(wireCryptoSnapshots.parse({ snapshots: { 'BTC/USD': {} } }).snapshots['BTC/USD']!)).toEqual({ day: {} });
  });

  it('refuses a payload of another shape', () => {
    expect(() => wireStockSnapshots.parse({ AAPL: { ...stock, dailyBar: { ...stock.dailyBar, h: '191.5' } } })).toThrow();
    expect(() => wireCryptoSnapshots.parse({ 'BTC/USD': stock })).toThrow();
  });
});
