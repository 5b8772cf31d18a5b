import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src-main/engine/ports/clock';
import { SeededRandom } from '../../../src-main/engine/ports/random';
import { OrderRateCounter, rateKey } from '../../../src-main/engine/risk/order-rate';

describe('OrderRateCounter', () => {
  it('counts orders in the last 60 s and forgets them exactly when they leave the window', () => {
    const clock = new ManualClock(1_000_000);
    const c = new OrderRateCounter({ clock });
    const k = rateKey('strategy', 'grid-1');
    expect(c.record(k)).toBe(1); // t = 0
    clock.advance(10_000);
    expect(c.record(k)).toBe(2); // t = 10 s
    clock.advance(10_000);
    expect(c.record(k)).toBe(3); // t = 20 s
    expect(c.count(k)).toBe(3);
    clock.set(1_000_000 + 59_999);
    expect(c.count(k)).toBe(3);
    clock.set(1_000_000 + 60_000);
    expect(c.count(k)).toBe(2);
    clock.set(1_000_000 + 80_000);
    expect(c.count(k)).toBe(0);
    expect(c.keys).toBe(0);
  });

  it('keeps keys apart: one looping strategy does not throttle the user', () => {
    const clock = new ManualClock();
    const c = new OrderRateCounter({ clock });
    for (let i = 0; i < 100; i++) c.record(rateKey('strategy', 'dca-1'));
    expect(c.count(rateKey('strategy', 'dca-1'))).toBe(100);
    expect(c.count(rateKey('strategy', 'dca-2'))).toBe(0);
    expect(c.count(rateKey('user'))).toBe(0);
  });

  it('says when the next slot frees up', () => {
    const clock = new ManualClock(0);
    const c = new OrderRateCounter({ clock });
    expect(c.msUntilSlot('u')).toBe(0);
    c.record('u');
    clock.advance(15_000);
    c.record('u');
    expect(c.msUntilSlot('u')).toBe(45_000);
  });

  it('matches a naive count over a long random run (ring wrap-around and growth)', () => {
    const clock = new ManualClock(0);
    const rnd = new SeededRandom(7);
    const c = new OrderRateCounter({ clock, windowMs: 5_000 });
    const all: number[] = [];
    for (let i = 0; i < 5_000; i++) {
      clock.advance(Math.floor(rnd.next() * (i % 500 < 250 ? 50 : 400)));
      if (rnd.next() < 0.7) {
        all.push(clock.now());
        c.record('k');
      }
      const naive = all.filter((t) => t > clock.now() - 5_000).length;
      expect(c.count('k')).toBe(naive);
    }
  });

  it('bounds memory per key: a runaway loop saturates at maxPerKey instead of growing', () => {
    const clock = new ManualClock(0);
    const c = new OrderRateCounter({ clock, maxPerKey: 1_000 });
    for (let i = 0; i < 50_000; i++) c.record('loop');
    expect(c.count('loop')).toBe(1_000);
  });

  it('sweep drops idle keys; clear forgets one key', () => {
    const clock = new ManualClock(0);
    const c = new OrderRateCounter({ clock });
    c.record('a');
    c.record('b');
    clock.advance(30_000);
    c.record('b');
    clock.advance(31_000);
    c.sweep();
    expect(c.keys).toBe(1);
    c.clear('b');
    expect(c.count('b')).toBe(0);
  });
});
