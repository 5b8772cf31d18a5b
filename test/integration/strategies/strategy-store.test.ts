import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DB_FILE, openDatabase, type Db } from '../../../src-main/engine/store/db';
import { StrategyStore } from '../../../src-main/engine/strategies/strategy-store';
import { stepClientOrderId, type StepRow, type StrategyRow } from '../../../src-main/engine/strategies/strategy-types';

const T0 = Date.UTC(2026, 0, 5, 15, 0);

const row = (id: string): StrategyRow => ({
  id,
  kind: 'dca',
  venue: 'paper',
  symbol: 'BTC/USD',
  params: { qty: '0.01', every: '1h' },
  state: { nextAt: T0 },
  status: 'running',
  reason: null,
  nextStep: 1,
  wakeAt: T0,
  createdAt: T0,
  updatedAt: T0,
});

const step = (id: string, n: number): StepRow => ({
  strategyId: id,
  step: n,
  clientOrderId: stepClientOrderId(id, n),
  tag: `buy ${n}`,
  ticket: { venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'limit', qty: '0.01', limitPrice: '100', tif: 'gtc', clientOrderId: stepClientOrderId(id, n) },
  status: 'journaled',
  orderId: null,
  error: null,
});

describe('strategy store over a SQLite file', () => {
  let dir: string;
  let file: string;
  let db: Db | undefined;
  const open = () => new StrategyStore((db = openDatabase(file)), () => T0);
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-strat-store-'));
    file = path.join(dir, DB_FILE);
  });
  afterEach(() => {
    if (db?.open) db.close();
    db = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('client ids are the strategy id plus the step, valid for every venue', () => {
    expect(stepClientOrderId('S1ABCDEFG', 1)).toBe('S1ABCDEFG-1');
    expect(stepClientOrderId('S1ABCDEFG', 36 ** 4)).toBe('S1ABCDEFG-10000');
    expect(stepClientOrderId('S1ABCDEFG', 36 ** 8 - 1)).toHaveLength(18);
  });

  it('keeps definitions, the journal, refusals, ends and fills across a restart', () => {
    let s = open();
    s.insert(row('S1'));
    expect(s.commit({ id: 'S1', state: { nextAt: T0 + 1 }, nextStep: 3, wakeAt: T0 + 1, steps: [step('S1', 1), step('S1', 2)], now: T0 })).toBe(true);
    s.stepSent('S1-1', 'ord-1');
    s.commit({ id: 'S1', state: { refused: true }, nextStep: 3, wakeAt: null, steps: [], stepOutcome: { clientOrderId: 'S1-2', status: 'refused', error: 'halted' }, now: T0 + 2 });
    s.setStatus('S1', 'paused_user', 'by you', T0 + 3);
    const fill = (fillId: string, qty: string, price: string) => ({ fillId, step: 1, side: 'buy' as const, qty, price, fee: '0.01', ts: T0 + 4 });
    expect(s.commit({ id: 'S1', state: { filled: '0.004' }, nextStep: 3, wakeAt: null, steps: [], fill: fill('f1', '0.004', '100'), now: T0 + 4 })).toBe(true);
    db!.close();

    s = open();
    expect(s.get('S1')).toMatchObject({ status: 'paused_user', reason: 'by you', nextStep: 3, wakeAt: null, state: { filled: '0.004' }, params: { qty: '0.01', every: '1h' } });
    expect(s.steps('S1').map((x) => [x.clientOrderId, x.status, x.orderId, x.error])).toEqual([
      ['S1-1', 'sent', 'ord-1', null],
      ['S1-2', 'refused', null, 'halted'],
    ]);
    expect(s.openSteps('S1').map((x) => x.step)).toEqual([1]);
    expect(s.stepByClientId('S1-1')?.ticket).toMatchObject({ limitPrice: '100', clientOrderId: 'S1-1' });
    // The same fill again (a replayed event after a restart) is not accounted twice, and its planner state and steps are not written.
    expect(s.commit({ id: 'S1', state: { filled: 'twice' }, nextStep: 4, wakeAt: null, steps: [step('S1', 3)], fill: fill('f1', '0.004', '100'), now: T0 + 5 })).toBe(false);
    expect(s.get('S1')).toMatchObject({ state: { filled: '0.004' }, nextStep: 3 });
    expect(s.steps('S1')).toHaveLength(2);
    s.commit({ id: 'S1', state: { filled: '0.01' }, nextStep: 3, wakeAt: null, steps: [], fill: fill('f2', '0.006', '101'), now: T0 + 5 });
    expect(s.stepFilled('S1', 1)).toBe('0.01');
    // An ended step stays ended even if the engine's answer to its place arrives late.
    s.commit({
      id: 'S1',
      state: { ended: 1 },
      nextStep: 3,
      wakeAt: null,
      steps: [],
      stepOutcome: { clientOrderId: 'S1-1', status: 'ended' },
      status: { status: 'done', reason: 'bought it all' },
      now: T0 + 6,
    });
    s.stepSent('S1-1', 'ord-1');
    expect(s.openSteps('S1')).toEqual([]);
    expect(s.get('S1')).toMatchObject({ status: 'done', reason: 'bought it all' });
    expect(s.fills('S1').map((f) => [f.fillId, f.side, f.qty])).toEqual([
      ['f1', 'buy', '0.004'],
      ['f2', 'buy', '0.006'],
    ]);
    db!.close();
    // Migrations ran once: a third open does not fail on existing tables.
    s = open();
    expect(s.all().map((r) => r.id)).toEqual(['S1']);
  });

  it('a step client id is unique: journaling the same step twice fails and writes nothing', () => {
    const s = open();
    s.insert(row('S2'));
    s.commit({ id: 'S2', state: { a: 1 }, nextStep: 2, wakeAt: null, steps: [step('S2', 1)], now: T0 });
    expect(() => s.commit({ id: 'S2', state: { a: 2 }, nextStep: 3, wakeAt: null, steps: [step('S2', 1)], now: T0 })).toThrow(/UNIQUE|PRIMARY/);
    expect(s.get('S2')).toMatchObject({ state: { a: 1 }, nextStep: 2 });
  });
});
