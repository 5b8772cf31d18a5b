/**
 * The Paper venue cannot carry trailing stops, OPG, extended hours, brackets or OCA groups yet:
 * the engine refuses each with `unsupported_order`, naming Paper and the alternative, before
 * anything is journaled (no order row, no client id used).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src-main/engine/engine';
import type { OrderTicket } from '../../../src-main/engine/api/commands';
import { ManualClock } from '../../../src-main/engine/ports/clock';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';

/** Wednesday 2026-11-18 15:00 UTC = 10:00 New York. */
const T0 = Date.UTC(2026, 10, 18, 15, 0, 0);

describe('Paper refuses the advanced orders it cannot simulate', () => {
  let dir: string;
  let engine: Engine;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-adv-paper-'));
    engine = await createEngine({ dataDir: dir, secrets: new MemorySecretStore(), clock: new ManualClock(T0), paperSeed: 7, paperTickMs: 0 });
  });
  afterEach(async () => {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const cases: Array<[string, Partial<OrderTicket>, RegExp]> = [
    ['trailing stop', { type: 'trailing_stop', side: 'sell', trailPercent: '2' }, /^Paper does not support trailing stops — use a stop order/],
    ['OPG', { type: 'limit', limitPrice: '200', tif: 'opg' }, /^Paper does not support OPG orders — use a DAY limit order at the open\.$/],
    ['extended hours', { type: 'limit', limitPrice: '200', extendedHours: true }, /^Paper does not support extended-hours orders/],
    ['bracket', { type: 'limit', limitPrice: '200', takeProfit: { limitPrice: '220' }, stopLoss: { stopPrice: '180' } }, /^Paper does not support bracket orders — place the entry, then/],
    ['OCA', { type: 'limit', limitPrice: '200', ocaGroup: 'g1' }, /^Paper does not support one-cancels-other groups/],
  ];
  for (const [what, t, msg] of cases) {
    it(`${what}: unsupported_order on preview and place, nothing journaled`, async () => {
      const ticket = { venue: 'paper', symbol: 'AAPL', side: 'buy' as const, type: 'limit' as const, qty: '1', tif: 'day' as const, ...t, clientOrderId: 'adv-paper-1' };
      const pv = await engine.call('order.preview', ticket);
      expect(!pv.ok && pv.error).toMatchObject({ code: 'unsupported_order', message: expect.stringMatching(msg) });
      const r = await engine.call('order.place', ticket);
      expect(!r.ok && r.error).toMatchObject({ code: 'unsupported_order', message: expect.stringMatching(msg) });
      expect(engine.internals.orders.byClientId('adv-paper-1')).toBeUndefined();
    });
  }

  it('a ticket-level mistake is named before the venue is asked (trail amount and percent both)', async () => {
    const r = await engine.call('order.place', { venue: 'paper', symbol: 'AAPL', side: 'sell', type: 'trailing_stop', qty: '1', trailAmount: '1', trailPercent: '2', tif: 'day' });
    expect(!r.ok && r.error.code).toBe('invalid_trail');
  });
});
