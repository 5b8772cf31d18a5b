import { describe, expect, it } from 'vitest';
import type { CommandName, CommandOutput, Snapshot } from '../../../src-main/engine/api/commands';
import type { Result } from '../../../src-main/engine/api/errors';
import type { EngineEvent } from '../../../src-main/engine/api/events';
import type { TradeportClient } from '../../../src-main/engine/api/transport';
import type { EngineLink, LinkStatus } from '../../../src-renderer/src/api/connection';
import { applyEvents, applySnapshot, emptyEngineData } from '../../../src-renderer/src/store/engine-state';
import { createEngineStore, startSync } from '../../../src-renderer/src/store/engine-store';
import { positionView } from '../../../src-renderer/src/store/selectors';
import { fill, instrument, order, position, quote, snapshot } from './fixtures';

describe('applyEvents', () => {
  it('keys orders by id and keeps the newer updatedAt', () => {
    let s = applyEvents(emptyEngineData, [{ type: 'order', order: order({ id: 'a', status: 'accepted', updatedAt: 10 }) }]);
    s = applyEvents(s, [{ type: 'order', order: order({ id: 'a', status: 'filled', updatedAt: 20 }) }]);
    s = applyEvents(s, [{ type: 'order', order: order({ id: 'a', status: 'accepted', updatedAt: 15 }) }]);
    expect(Object.keys(s.orders)).toEqual(['a']);
    expect(s.orders.a!.status).toBe('filled');
  });

  it('adds each fill once, newest first', () => {
    let s = applyEvents(emptyEngineData, [
      { type: 'fill', fill: fill('f1', 'a', 1) },
      { type: 'fill', fill: fill('f2', 'a', 2) },
    ]);
    s = applyEvents(s, [{ type: 'fill', fill: fill('f1', 'a', 1) }]);
    expect(s.fills.map((f) => f.id)).toEqual(['f2', 'f1']);
  });

  it('ignores a quote older than the one held', () => {
    let s = applyEvents(emptyEngineData, [{ type: 'quote', quote: quote('paper:AAPL', '101', 20) }]);
    s = applyEvents(s, [{ type: 'quote', quote: quote('paper:AAPL', '100', 10) }]);
    expect(s.quotes['paper:AAPL']!.bid).toBe('101');
  });

  it('leaves untouched slices identical so their components do not re-render', () => {
    const s0 = applySnapshot(emptyEngineData, snapshot({ orders: [order({ id: 'a' })] }));
    const s1 = applyEvents(s0, [{ type: 'quote', quote: quote('paper:AAPL', '1', 1) }]);
    expect(s1.orders).toBe(s0.orders);
    expect(s1.fills).toBe(s0.fills);
    expect(s1.quotes).not.toBe(s0.quotes);
  });
});

describe('positionView (derived P&L)', () => {
  it('marks at the live mid and multiplies by the contract multiplier, exactly', () => {
    const p = position({ instrumentId: 'paper:ES', qty: '2', avgPrice: '6000.25' });
    const v = positionView(p, quote('paper:ES', '6010.00', 1, '6010.50'), instrument({ id: 'paper:ES', multiplier: '50' }));
    // mid 6010.25 − 6000.25 = 10 × 2 × 50
    expect(v.mark).toBe('6010.25');
    expect(v.unrealized).toBe('1000');
  });
  it('is exact where floats are not (0.1 + 0.2)', () => {
    const p = position({ instrumentId: 'paper:X', qty: '3', avgPrice: '0.1' });
    const v = positionView(p, quote('paper:X', '0.2', 1, '0.2'), instrument({ id: 'paper:X' }));
    expect(v.unrealized).toBe('0.3');
  });
  it('falls back to the engine figures when the multiplier is unknown', () => {
    const p = position({ instrumentId: 'paper:ES', qty: '1', avgPrice: '6000', mark: '6001', unrealizedPnl: '50' });
    const v = positionView(p, quote('paper:ES', '7000', 1), undefined);
    expect(v.unrealized).toBe('50');
    expect(v.live).toBe(false);
  });
});

/** A scriptable client: the test decides when snapshot.get answers and what events arrive. */
function fakeLink() {
  let listener: ((e: EngineEvent[]) => void) | undefined;
  let statusListener: ((s: LinkStatus, reconnected: boolean) => void) | undefined;
  const snapshotRequests: Array<(s: Snapshot) => void> = [];
  const client: TradeportClient = {
    transport: 'bridge',
    invoke<C extends CommandName>(command: C): Promise<Result<CommandOutput<C>>> {
      if (command !== 'snapshot.get') throw new Error(`unexpected ${command}`);
      return new Promise((resolve) => snapshotRequests.push((s) => resolve({ ok: true, value: s } as Result<CommandOutput<C>>)));
    },
    subscribe(l) {
      listener = l;
      return () => (listener = undefined);
    },
  };
  const link: EngineLink = {
    client,
    fake: false,
    status: () => ({ state: 'open', detail: '' }),
    onStatus(l) {
      statusListener = l;
      return () => (statusListener = undefined);
    },
  };
  return {
    link,
    emit: (events: EngineEvent[]) => listener!(events),
    reconnect: () => statusListener!({ state: 'open', detail: '' }, true),
    answerSnapshot: (s: Snapshot) => snapshotRequests.shift()!(s),
    get pendingSnapshots() {
      return snapshotRequests.length;
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

function frames() {
  const q: Array<() => void> = [];
  return {
    schedule: (cb: () => void) => {
      q.push(cb);
      return () => {
        const i = q.indexOf(cb);
        if (i >= 0) q.splice(i, 1);
      };
    },
    run: () => q.splice(0).forEach((cb) => cb()),
  };
}

describe('startSync: snapshot, then events', () => {
  it('applies events that arrive while the snapshot is in flight after it, not before', async () => {
    const l = fakeLink();
    const f = frames();
    const store = createEngineStore();
    startSync(l.link, store, { schedule: f.schedule });
    // The engine filled order "a" while the snapshot (still showing it accepted) was on its way.
    l.emit([
      { type: 'order', order: order({ id: 'a', status: 'filled', updatedAt: 20 }) },
      { type: 'fill', fill: fill('f1', 'a', 20) },
    ]);
    f.run();
    expect(store.getState().loaded).toBe(false);
    expect(store.getState().orders).toEqual({});
    l.answerSnapshot(snapshot({ orders: [order({ id: 'a', status: 'accepted', updatedAt: 10 })] }));
    await tick();
    expect(store.getState().orders.a!.status).toBe('accepted');
    f.run();
    expect(store.getState().orders.a!.status).toBe('filled');
    expect(store.getState().fills.map((x) => x.id)).toEqual(['f1']);
  });

  it('does not let a replayed older event overwrite a newer snapshot', async () => {
    const l = fakeLink();
    const f = frames();
    const store = createEngineStore();
    startSync(l.link, store, { schedule: f.schedule });
    l.emit([
      { type: 'order', order: order({ id: 'a', status: 'accepted', updatedAt: 10 }) },
      { type: 'fill', fill: fill('f1', 'a', 15) },
    ]);
    l.answerSnapshot(snapshot({ orders: [order({ id: 'a', status: 'filled', updatedAt: 20 })], fills: [fill('f1', 'a', 15)] }));
    await tick();
    f.run();
    expect(store.getState().orders.a!.status).toBe('filled');
    expect(store.getState().fills).toHaveLength(1);
  });

  it('refetches the snapshot on reconnect and replaces stale state', async () => {
    const l = fakeLink();
    const f = frames();
    const store = createEngineStore();
    startSync(l.link, store, { schedule: f.schedule });
    l.answerSnapshot(snapshot({ orders: [order({ id: 'a', status: 'accepted', updatedAt: 10 })], positions: [position({ instrumentId: 'paper:AAPL' })] }));
    await tick();
    expect(store.getState().orders.a!.status).toBe('accepted');
    l.reconnect();
    expect(l.pendingSnapshots).toBe(1);
    // While disconnected the order was cancelled and the position closed.
    l.answerSnapshot(snapshot({ orders: [order({ id: 'a', status: 'cancelled', updatedAt: 30 })], positions: [] }));
    await tick();
    f.run();
    expect(store.getState().orders.a!.status).toBe('cancelled');
    expect(store.getState().positions).toEqual({});
  });

  it('updates the store once per frame while quotes stream', async () => {
    const l = fakeLink();
    const f = frames();
    const store = createEngineStore();
    startSync(l.link, store, { schedule: f.schedule });
    l.answerSnapshot(snapshot());
    await tick();
    let updates = 0;
    store.subscribe(() => updates++);
    for (let i = 0; i < 200; i++) l.emit([{ type: 'quote', quote: quote('paper:AAPL', String(i), i) }]);
    expect(updates).toBe(0);
    f.run();
    expect(updates).toBe(1);
    expect(store.getState().quotes['paper:AAPL']!.bid).toBe('199');
  });
});
