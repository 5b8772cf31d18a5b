import { describe, expect, it } from 'vitest';
import { addVolumeAtPrice, centerOf, clickIntent, dragChange, ladderRows, maxSize, needsRecenter, shiftCenter, snap, type VolumeMark } from '../../../src-renderer/src/features/ladder/ladder-model';
import { order } from './fixtures';

const bids = [
  { price: '100.00', qty: '5' },
  { price: '99.99', qty: '3' },
  { price: '99.97', qty: '0.5' },
];
const asks = [
  { price: '100.02', qty: '2' },
  { price: '100.03', qty: '7' },
];

describe('ladder prices are exact ticks', () => {
  it('snaps to the tick (half up), centres on the mid, and falls back to one side or the last trade', () => {
    expect(snap('100.004', '0.01')).toBe('100');
    expect(snap('100.005', '0.01')).toBe('100.01');
    expect(snap('4101.3', '0.25')).toBe('4101.25');
    expect(snap('0.1', '0.1')).toBe('0.1');
    expect(centerOf(bids, asks, '0.01')).toBe('100.01');
    expect(centerOf([], asks, '0.01')).toBe('100.02');
    expect(centerOf([], [], '0.01', '99.5')).toBe('99.5');
    expect(centerOf([], [], '0.01')).toBeUndefined();
  });
});

describe('ladderRows', () => {
  const orders = [
    order({ id: 'b1', side: 'buy', type: 'limit', limitPrice: '99.99', qty: '2', filledQty: '0.5', status: 'partially_filled' }),
    order({ id: 's1', side: 'sell', type: 'limit', limitPrice: '100.03', qty: '1' }),
    order({ id: 'bs', side: 'buy', type: 'stop', limitPrice: undefined, stopPrice: '100.04', qty: '3' }),
    order({ id: 'done', side: 'buy', type: 'limit', limitPrice: '100', status: 'filled' }),
    order({ id: 'ts', side: 'sell', type: 'trailing_stop', limitPrice: undefined, stopPrice: '99.9', trailStop: '99.97', qty: '4' }),
  ];
  const rows = ladderRows({ tick: '0.01', center: '100.01', rows: 9, bids, asks, last: '100.02', orders });

  it('one row per tick, top to bottom, the centre in the middle', () => {
    expect(rows.map((r) => r.price)).toEqual(['100.05', '100.04', '100.03', '100.02', '100.01', '100', '99.99', '99.98', '99.97']);
  });

  it('book sizes at their prices; best bid/ask and last trade marked', () => {
    const at = (p: string) => rows.find((r) => r.price === p)!;
    expect([at('100').bid, at('99.99').bid, at('99.98').bid, at('100.03').ask]).toEqual(['5', '3', undefined, '7']);
    expect(rows.filter((r) => r.bestBid).map((r) => r.price)).toEqual(['100']);
    expect(rows.filter((r) => r.bestAsk).map((r) => r.price)).toEqual(['100.02']);
    expect(rows.filter((r) => r.last).map((r) => r.price)).toEqual(['100.02']);
    expect(maxSize(rows).toFixed()).toBe('7');
  });

  it('working orders at their prices with what is left to fill; stops in the stop columns; finished orders not drawn', () => {
    const at = (p: string) => rows.find((r) => r.price === p)!;
    expect(at('99.99').buys).toEqual([{ id: 'b1', venue: 'paper', side: 'buy', type: 'limit', qty: '1.5', status: 'partially_filled' }]);
    expect(at('100.03').sells.map((o) => o.id)).toEqual(['s1']);
    expect(at('100.04').buyStops.map((o) => o.id)).toEqual(['bs']);
    // A trailing stop is drawn where its stop is now.
    expect(at('99.97').sellStops.map((o) => o.id)).toEqual(['ts']);
    expect(rows.flatMap((r) => [...r.buys, ...r.sells, ...r.buyStops, ...r.sellStops]).map((o) => o.id)).not.toContain('done');
  });

  it('levels between ticks add up at the nearest tick', () => {
    const r = ladderRows({
      tick: '0.5',
      center: '10',
      rows: 3,
      bids: [
        { price: '10.1', qty: '1' },
        { price: '9.9', qty: '2' },
      ],
      asks: [],
      orders: [],
    });
    expect(r.map((x) => [x.price, x.bid])).toEqual([
      ['10.5', undefined],
      ['10', '3'],
      ['9.5', undefined],
    ]);
  });
});

describe('centring, clicking and dragging', () => {
  it('re-centres when the inside market nears an edge; the wheel moves by ticks', () => {
    expect(needsRecenter('100', 21, '0.01', '99.99', '100.01')).toBe(false);
    // 21 rows: 10 ticks each side of the centre, re-centred within 2 of the edge.
    expect(needsRecenter('100', 21, '0.01', '100.07', '100.08')).toBe(false);
    expect(needsRecenter('100', 21, '0.01', '100.08', '100.09')).toBe(true);
    expect(needsRecenter('100', 21, '0.01', '99.5', undefined)).toBe(true);
    expect(shiftCenter('100', '0.25', 2)).toBe('100.5');
    expect(shiftCenter('0.3', '0.1', -3)).toBe('0');
  });

  it('bid side buys, ask side sells; the outer columns are stops', () => {
    expect(clickIntent('bid', '99.99')).toEqual({ side: 'buy', type: 'limit', limitPrice: '99.99' });
    expect(clickIntent('ask', '100.03')).toEqual({ side: 'sell', type: 'limit', limitPrice: '100.03' });
    expect(clickIntent('buyStop', '100.05')).toEqual({ side: 'buy', type: 'stop', stopPrice: '100.05' });
    expect(clickIntent('sellStop', '99.9')).toEqual({ side: 'sell', type: 'stop', stopPrice: '99.9' });
  });

  it('a drop moves the price the order rests at; a stop-limit keeps its offset; the same price changes nothing', () => {
    expect(dragChange(order({ id: 'a', type: 'limit', limitPrice: '100' }), '99.95')).toEqual({ id: 'a', venue: 'paper', limitPrice: '99.95' });
    expect(dragChange(order({ id: 'a', type: 'limit', limitPrice: '100.00' }), '100')).toBeNull();
    expect(dragChange(order({ id: 's', type: 'stop', limitPrice: undefined, stopPrice: '101' }), '102')).toEqual({ id: 's', venue: 'paper', stopPrice: '102' });
    expect(dragChange(order({ id: 'sl', type: 'stop_limit', stopPrice: '101', limitPrice: '100.5' }), '102')).toEqual({ id: 'sl', venue: 'paper', stopPrice: '102', limitPrice: '101.5' });
    expect(dragChange(order({ id: 'm', type: 'market', limitPrice: undefined }), '100')).toBeNull();
  });
});

describe('volume at price', () => {
  it('puts each rise of the day volume at the last price, snapped to the tick; nothing without a volume, a last or a rise', () => {
    let vap: Record<string, string> = {};
    const step = (prev: VolumeMark | undefined, q: VolumeMark) => {
      const next = addVolumeAtPrice(vap, prev, q, '0.01');
      if (next) vap = next;
      return next;
    };
    expect(step(undefined, { volume: '100', last: '10.00' })).toBeUndefined();
    step({ volume: '100', last: '10.00' }, { volume: '102.5', last: '10.004' });
    step({ volume: '102.5', last: '10.004' }, { volume: '103', last: '10.01' });
    step({ volume: '103', last: '10.01' }, { volume: '104', last: '10' });
    expect(vap).toEqual({ '10': '3.5', '10.01': '0.5' });
    expect(step({ volume: '104', last: '10' }, { volume: '104', last: '10.02' })).toBeUndefined();
    expect(step({ volume: '104', last: '10' }, { volume: '5', last: '10.02' })).toBeUndefined();
    expect(step({ last: '10' }, { volume: '6', last: '10.02' })).toBeUndefined();
    expect(step({ volume: '6' }, { volume: '7' })).toBeUndefined();
    const rows = ladderRows({ tick: '0.01', center: '10.00', rows: 3, bids: [], asks: [], orders: [], volumeAt: vap });
    expect(rows.map((r) => [r.price, r.volume])).toEqual([
      ['10.01', '0.5'],
      ['10', '3.5'],
      ['9.99', undefined],
    ]);
  });
});
