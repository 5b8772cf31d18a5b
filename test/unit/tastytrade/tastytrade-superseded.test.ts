/**
 * The venue ids a tastytrade replace superseded (tastytrade-replace.ts SupersededOrders): the
 * superseded order's cancel is not our order's end; once it has ended the mark is kept only among
 * the last few ended, so a day of modifies does not grow the marks without bound.
 */
import { describe, expect, it } from 'vitest';
import { SupersededOrders } from '../../../src-main/engine/venues/tastytrade/tastytrade-replace';

describe('superseded tastytrade orders', () => {
  it('swallows the superseded order’s cancel (repeated too), never another order’s', () => {
    const s = new SupersededOrders(4);
    s.add('1');
    expect(s.swallows('1', 'pending_cancel')).toBe(false);
    expect(s.swallows('1', 'cancelled')).toBe(true);
    // The streamer may say it again: still recognised while among the last ended.
    expect(s.swallows('1', 'cancelled')).toBe(true);
    expect(s.swallows('2', 'cancelled')).toBe(false);
  });

  it('a day of replaces keeps at most the working marks plus the last few ended', () => {
    const s = new SupersededOrders(4);
    for (let i = 0; i < 10_000; i++) {
      s.add(String(i));
      // Most superseded orders end cancelled; now and then one filled before the replace took hold.
      s.swallows(String(i), i % 10 === 0 ? 'filled' : 'cancelled');
    }
    expect(s.size).toBe(4);
    expect(['9996', '9997', '9998', '9999'].every((id) => s.has(id))).toBe(true);
    expect(s.has('0')).toBe(false);
    // A mark whose order has not ended is never pruned, however many end after it.
    s.add('working');
    for (let i = 0; i < 10; i++) {
      s.add(`x${i}`);
      s.swallows(`x${i}`, 'cancelled');
    }
    expect(s.has('working')).toBe(true);
    expect(s.size).toBe(5);
  });

  it('a refused replace unmarks the order: its own cancel later counts', () => {
    const s = new SupersededOrders();
    s.add('7');
    s.delete('7');
    expect(s.swallows('7', 'cancelled')).toBe(false);
    expect(s.size).toBe(0);
  });
});
