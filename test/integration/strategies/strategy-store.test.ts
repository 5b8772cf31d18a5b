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
    s.journal('S1', { nextAt: T0 + 1 }, 3, T0 + 1, [step('S1', 1), step('S1', 2)], T0);
    s.stepSent('S1-1', 'ord-1');
    s.stepRefused('S1-2', 'halted', 'S1', { refused: true }, T0 + 2);
    s.setStatus('S1', 'paused_user', 'by you', T0 + 3);
    expect(s.accountFill({ fillId: 'f1', strategyId: 'S1', step: 1, qty: '0.004', price: '100', fee: '0.01', ts: T0 + 4 }, () => ({ filled: '0.004' }))).toBe(true);
    db!.close();

    s = open();
    expect(s.get('S1')).toMatchObject({ status: 'paused_user', reason: 'by you', nextStep: 3, wakeAt: T0 + 1, state: { filled: '0.004' }, params: { qty: '0.01', every: '1h' } });
    expect(s.steps('S1').map((x) => [x.clientOrderId, x.status, x.orderId, x.error])).toEqual([
      ['S1-1', 'sent', 'ord-1', null],
      ['S1-2', 'refused', null, 'halted'],
    ]);
    expect(s.openSteps('S1').map((x) => x.step)).toEqual([1]);
    expect(s.stepByClientId('S1-1')?.ticket).toMatchObject({ limitPrice: '100', clientOrderId: 'S1-1' });
    // The same fill again (a replayed event after restart) is not accounted twice.
    expect(s.accountFill({ fillId: 'f1', strategyId: 'S1', step: 1, qty: '0.004', price: '100', fee: '0.01', ts: T0 + 4 }, () => ({ filled: 'twice' }))).toBe(false);
    expect(s.get('S1')?.state).toEqual({ filled: '0.004' });
    s.accountFill({ fillId: 'f2', strategyId: 'S1', step: 1, qty: '0.006', price: '101', fee: '0.01', ts: T0 + 5 }, () => ({ filled: '0.01' }));
    expect(s.stepFilled('S1', 1)).toBe('0.01');
    s.stepEnded('S1-1', 'S1', { ended: 1 }, T0 + 6);
    expect(s.openSteps('S1')).toEqual([]);
    expect(s.fills('S1').map((f) => f.fillId)).toEqual(['f1', 'f2']);
    db!.close();
    // Migrations ran once: a third open does not fail on existing tables.
    s = open();
    expect(s.all().map((r) => r.id)).toEqual(['S1']);
  });

  it('a step client id is unique: journaling the same step twice fails and writes nothing', () => {
    const s = open();
    s.insert(row('S2'));
    s.journal('S2', { a: 1 }, 2, null, [step('S2', 1)], T0);
    expect(() => s.journal('S2', { a: 2 }, 3, null, [step('S2', 1)], T0)).toThrow(/UNIQUE|PRIMARY/);
    expect(s.get('S2')).toMatchObject({ state: { a: 1 }, nextStep: 2 });
  });
});
