/**
 * With thousands of working orders the kill switch (and cancel-all) answer at once — trading is
 * halted the moment it trips — and the sweep reports its progress as events until it is done.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src-main/engine/api/events';
import { makeHarness, type Harness } from '../oms/harness';

type Progress = Extract<EngineEvent, { type: 'cancelProgress' }>;
const N = 150;

describe('kill switch and cancel-all answer at once', () => {
  let h: Harness;
  let release!: () => void;
  const events: EngineEvent[] = [];
  beforeEach(async () => {
    h = await makeHarness();
    await h.ok('mode.set', { venue: 'scripted', mode: 'live', arm: true });
    for (const key of ['max_orders_per_minute', 'max_open_orders']) await h.ok('risk.set', { key, value: 'off' });
    for (let i = 0; i < N; i++) await h.ok('order.place', { venue: 'scripted', symbol: 'XYZ/USD', side: 'buy', type: 'limit', qty: '1', limitPrice: '99.5', tif: 'gtc' });
    // The venue answers cancels only when the test says so: the sweep is still running when the answer must come.
    const venue = h.venue();
    const cancel = venue.cancel.bind(venue);
    const gate = new Promise<void>((r) => (release = r));
    venue.cancel = async (o) => {
      await gate;
      return cancel(o);
    };
    events.length = 0;
    h.engine.subscribe((e) => events.push(e));
  });
  afterEach(async () => {
    release();
    await h.close();
  });

  const progress = (op: Progress['op']) => events.filter((e): e is Progress => e.type === 'cancelProgress' && e.op === op);

  it('the kill switch halts and answers while its sweep still runs, then reports progress to the end', async () => {
    const r = await h.ok('killSwitch.trip', { reason: 'runaway' });
    expect(r.status.state).toBe('halted');
    expect(r.sweep).toMatchObject({ requested: N, cancelled: 0, pending: N });
    const refused = await h.engine.call('order.place', { venue: 'scripted', symbol: 'XYZ/USD', side: 'buy', type: 'limit', qty: '1', limitPrice: '99.5', tif: 'gtc' });
    expect(!refused.ok && refused.error.code).toBe('halted');

    release();
    await h.engine.internals.idle();
    const p = progress('killSwitch');
    expect(p.at(-1)).toMatchObject({ total: N, done: N, failed: 0, finished: true });
    expect(p.some((e) => !e.finished && e.done > 0 && e.done < N)).toBe(true);
    expect(h.engine.internals.orders.workingCount()).toBe(0);
    expect(events.some((e) => e.type === 'notice' && /sweep done: cancelled 150 of 150/.test(e.message))).toBe(true);
  });

  it('cancel-all answers with what is pending and finishes in the background', async () => {
    const r = await h.ok('order.cancelAll', {});
    expect(r).toMatchObject({ requested: N, pending: N });
    release();
    await h.engine.internals.idle();
    expect(progress('cancelAll').at(-1)).toMatchObject({ total: N, done: N, finished: true });
    expect(h.engine.internals.orders.workingCount()).toBe(0);
  });
});
