import { describe, expect, it } from 'vitest';
import { until } from '../../support/until';
import { ManualClock } from '../../../src-main/engine/ports/clock';

describe('until', () => {
  it('resolves with the first value that is not undefined, null or false', async () => {
    let n = 0;
    const got = await until(() => (++n >= 3 ? { n } : n === 1 ? null : false), { intervalMs: 1 });
    expect(got).toEqual({ n: 3 });
  });

  it('polls an async predicate and counts a throw as "not yet"', async () => {
    let n = 0;
    const got = await until(
      async () => {
        if (++n < 3) throw new Error('not ready');
        return 'ready';
      },
      { intervalMs: 1 },
    );
    expect(got).toBe('ready');
  });

  it('times out naming what it waited for and the last error', async () => {
    await expect(
      until(
        () => {
          throw new Error('venue unreachable');
        },
        { timeoutMs: 20, what: 'the fill' },
      ),
    ).rejects.toThrow('timed out after 20 ms waiting for the fill (last error: venue unreachable)');
  });
});

describe('ManualClock: one manual clock and fake timers', () => {
  it('advance fires due timers in order at their own time; set() moving forward fires them too', () => {
    const c = new ManualClock(1000);
    const fired: Array<[string, number]> = [];
    c.setTimeout(() => fired.push(['b', c.now()]), 20);
    c.setTimeout(() => fired.push(['a', c.now()]), 10);
    expect(c.advance(15)).toBe(1015);
    expect(fired).toEqual([['a', 1010]]);
    c.set(2000);
    expect(fired).toEqual([
      ['a', 1010],
      ['b', 1020],
    ]);
    c.set(500);
    expect(c.now()).toBe(500);
    expect(c.pendingCount).toBe(0);
  });
});
