/** The l2_data fast path reads exactly what JSON.parse reads, and declines every frame it is not certain about. */
import { describe, expect, it } from 'vitest';
import { scanL2Update } from '../../../src-main/engine/venues/coinbase/coinbase-l2-scan';
import { CoinbaseBooks } from '../../../src-main/engine/venues/coinbase/coinbase-book';
import { Frame } from '../../../src-main/engine/venues/coinbase/coinbase-stream';

const frame = (seq: number, type: string, updates: Array<[string, string, string]>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    channel: 'l2_data',
    client_id: '',
    timestamp: '2026-12-04T15:00:00.123Z',
    sequence_num: seq,
    events: [{ type, product_id: 'BTC-USD', updates: updates.map(([side, price_level, new_quantity]) => ({ side, event_time: '2026-12-04T15:00:00Z', price_level, new_quantity })), ...extra }],
  });

describe('scanL2Update', () => {
  it('reads sequence, product, timestamp and every level of an update', () => {
    const s: number[] = [];
    const p: string[] = [];
    const q: string[] = [];
    const r = scanL2Update(
      frame(42, 'update', [
        ['bid', '60000.01', '0.5'],
        ['offer', '60001', '0'],
      ]),
      s,
      p,
      q,
    );
    expect(r).toEqual({ seq: 42, productId: 'BTC-USD', timestamp: '2026-12-04T15:00:00.123Z', count: 2 });
    expect([s.slice(0, 2), p.slice(0, 2), q.slice(0, 2)]).toEqual([
      [0, 1],
      ['60000.01', '60001'],
      ['0.5', '0'],
    ]);
  });

  it('declines snapshots, other channels, two events, escapes and unknown sides', () => {
    const none = (t: string) => scanL2Update(t, [], [], []);
    expect(none(frame(1, 'snapshot', [['bid', '1', '1']]))).toBeUndefined();
    expect(none(frame(1, 'update', [['bid', '1', '1']]).replace('l2_data', 'ticker'))).toBeUndefined();
    expect(none(frame(1, 'update', [['ask', '1', '1']]))).toBeUndefined();
    expect(none(frame(1, 'update', [['bid', '1\\u0030', '1']]))).toBeUndefined();
    const two = JSON.parse(frame(1, 'update', [['bid', '1', '1']])) as { events: unknown[] };
    two.events.push(two.events[0]);
    expect(none(JSON.stringify(two))).toBeUndefined();
  });

  it('the text path and the JSON path build the same book; an off-grid level throws before anything is applied', () => {
    const spec = () => ({ tick: '0.01', lot: '0.00000001', instrumentId: 'cb:BTC-USD' });
    const a = new CoinbaseBooks(spec);
    const b = new CoinbaseBooks(spec);
    const snap = Frame.parse(
      JSON.parse(
        frame(0, 'snapshot', [
          ['bid', '59999', '1'],
          ['offer', '60001', '2'],
        ]),
      ),
    );
    a.apply(snap);
    b.apply(snap);
    const up = frame(1, 'update', [
      ['bid', '60000.5', '0.25'],
      ['offer', '60001', '0'],
      ['offer', '60002.00', '3'],
    ]);
    expect(a.applyText(up)?.seq).toBe(1);
    b.apply(Frame.parse(JSON.parse(up)));
    expect(a.snapshot('BTC-USD', 10)).toEqual(b.snapshot('BTC-USD', 10));
    expect(a.snapshot('BTC-USD', 10)!.asks).toEqual([{ price: '60002', qty: '3' }]);
    const before = a.snapshot('BTC-USD', 10);
    expect(() =>
      a.applyText(
        frame(2, 'update', [
          ['bid', '1', '1'],
          ['bid', '1.001', '1'],
        ]),
      ),
    ).toThrow(/step/);
    expect(a.snapshot('BTC-USD', 10)).toEqual(before);
  });
});
