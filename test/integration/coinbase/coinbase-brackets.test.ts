/**
 * Coinbase brackets through the engine over real sockets: the entry with an attached
 * `trigger_bracket_gtc` is one Coinbase order plus one exit order of Coinbase's own ids, which
 * must resolve OUR two children — working once the entry fills, the take-profit or the stop-loss
 * filled and the other cancelled (OCO at Coinbase), after a partial entry fill, across an engine
 * restart, and when the trader cancels the exits (one leg alone refused: Coinbase holds both as one
 * order; the bracket, cancel-all and the kill switch cancel the exit order); a finished bracket's
 * link pruned, whether the user channel or a reconcile (the exit finished while the socket was
 * down) settles it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Decimal from 'decimal.js';
import Database from 'better-sqlite3';
import { DB_FILE } from '../../../src-main/engine/store/db';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Engine } from '../../../src-main/engine/engine';
import type { CommandOutput } from '../../../src-main/engine/api/commands';
import type { EngineEvent } from '../../../src-main/engine/api/events';
import { sessionClock } from '../../support/venue-engine-contract';
import { until } from '../../support/until';
import type { CoinbaseEmulator } from '../../emulators/coinbase';
import { byClientId, caller, coinbaseEngine, coinbaseSettings, startEmulator, submitsSeen } from './coinbase-rig';

let emu: CoinbaseEmulator;
let engine: Engine;
let dir: string;
const clock = sessionClock();
const ok = caller(() => engine);

async function open(): Promise<Engine> {
  engine = await coinbaseEngine(dir, clock);
  return engine;
}

async function connected(): Promise<void> {
  await until(async () => (await ok('venues.list', {})).find((v) => v.name === 'cb')?.state === 'connected', { timeoutMs: 15_000, what: 'coinbase connected' });
}

beforeEach(async () => {
  emu = await startEmulator(() => clock.now());
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-cbb-'));
  await open();
  await ok('venue.add', { kind: 'coinbase', name: 'cb', settings: coinbaseSettings(emu) });
  await ok('mode.set', { venue: 'cb', mode: 'live', arm: true });
  await connected();
}, 30_000);
afterEach(async () => {
  await engine.close();
  await emu.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Row = CommandOutput<'orders.list'>[number];

/** Places a BUY 0.02 BTC at 50000 with TP 55000 / SL 45000; the three rows by role. */
async function bracket(cid: string, qty = '0.02') {
  const placed = await ok('order.place', {
    venue: 'cb',
    symbol: 'BTC/USD',
    side: 'buy',
    type: 'limit',
    tif: 'gtc',
    qty,
    limitPrice: '50000',
    clientOrderId: cid,
    takeProfit: { limitPrice: '55000' },
    stopLoss: { stopPrice: '45000' },
  });
  const rows = async () => {
    const all = await ok('orders.list', { all: true });
    const by = (f: (o: Row) => boolean) => all.find(f)!;
    return { entry: by((o) => o.id === placed.id), tp: by((o) => o.parentOrderId === placed.id && o.leg === 'take_profit'), sl: by((o) => o.parentOrderId === placed.id && o.leg === 'stop_loss') };
  };
  await until(async () => (await rows()).tp?.venueOrderId, { timeoutMs: 10_000, what: 'bracket acknowledged' });
  return rows;
}

const exitOf = (cid: string) => emu.orders.get(byClientId(emu, cid)!.attached_order_id!)!;
const fillsOf = async (orderId: string) => (await ok('fills.list', { venue: 'cb' })).filter((f) => f.orderId === orderId);

it('entry fills → the exits work; the take-profit fills → TP filled with its fill, SL cancelled (OCO at Coinbase)', async () => {
  const rows = await bracket('CBBRK1');
  expect(submitsSeen(emu, 'CBBRK1')).toBe(1);
  const exit = exitOf('CBBRK1');
  expect((await rows()).tp.venueOrderId).toBe(exit.order_id);
  expect((await rows()).sl.venueOrderId).toBe(exit.order_id);
  expect(exit.status).toBe('PENDING');
  emu.fill('CBBRK1', '0.02', '50000');
  await until(
    async () => {
      const r = await rows();
      return r.entry.status === 'filled' && r.tp.status === 'accepted' && r.sl.status === 'accepted';
    },
    { timeoutMs: 10_000, what: 'exits working after the entry filled' },
  );
  expect(emu.trade('BTC-USD', '55010')).toEqual([exit.order_id]);
  await until(
    async () => {
      const r = await rows();
      return r.tp.status === 'filled' && r.sl.status === 'cancelled';
    },
    { timeoutMs: 10_000, what: 'take-profit filled, stop-loss cancelled' },
  );
  const r = await rows();
  expect(r.tp).toMatchObject({ filledQty: '0.02', avgFillPrice: '55000' });
  expect((await fillsOf(r.tp.id)).map((f) => [f.qty, f.price])).toEqual([['0.02', '55000']]);
  expect(await fillsOf(r.sl.id)).toEqual([]);
  // No stray order adopted from Coinbase's own ids of the exit.
  expect(
    (await ok('orders.list', { all: true }))
      .filter((o) => o.venueOrderId === exit.order_id)
      .map((o) => o.id)
      .sort(),
  ).toEqual([r.tp.id, r.sl.id].sort());
}, 40_000);

it('the stop triggers → TP cancelled, SL working; the stop-limit fills → SL filled', async () => {
  const rows = await bracket('CBBRK2');
  emu.fill('CBBRK2', '0.02', '50000');
  await until(async () => (await rows()).sl.status === 'accepted', { timeoutMs: 10_000, what: 'exits working' });
  // Below the stop-limit's own limit (45000 − 5 %): triggered, not fillable yet.
  expect(emu.trade('BTC-USD', '42000')).toEqual([]);
  await until(
    async () => {
      const r = await rows();
      return r.tp.status === 'cancelled' && r.sl.status === 'accepted';
    },
    { timeoutMs: 10_000, what: 'stop triggered' },
  );
  expect(emu.trade('BTC-USD', '44500')).toEqual([exitOf('CBBRK2').order_id]);
  await until(async () => (await rows()).sl.status === 'filled', { timeoutMs: 10_000, what: 'stop-loss filled' });
  const r = await rows();
  expect((await fillsOf(r.sl.id)).map((f) => [f.qty, f.price])).toEqual([['0.02', '44500']]);
  expect(await fillsOf(r.tp.id)).toEqual([]);
}, 40_000);

it('a partial entry fill leaves the exits waiting; the rest fills → working → take-profit resolves', async () => {
  const rows = await bracket('CBBRK3');
  emu.fill('CBBRK3', '0.01', '50000');
  await until(async () => (await rows()).entry.status === 'partially_filled', { timeoutMs: 10_000, what: 'entry partly filled' });
  expect(exitOf('CBBRK3').status).toBe('PENDING');
  expect(emu.trade('BTC-USD', '56000')).toEqual([]);
  const mid = await rows();
  expect([mid.tp.status, mid.sl.status]).toEqual(['submitted', 'submitted']);
  emu.fill('CBBRK3', '0.01', '50000');
  await until(async () => (await rows()).tp.status === 'accepted', { timeoutMs: 10_000, what: 'exits working' });
  emu.trade('BTC-USD', '56000');
  await until(
    async () => {
      const r = await rows();
      return r.tp.status === 'filled' && r.sl.status === 'cancelled';
    },
    { timeoutMs: 10_000, what: 'take-profit filled' },
  );
}, 40_000);

it('an engine restart between the entry fill and the exit fill: reconcile finds the exit and resolves both children', async () => {
  const rows = await bracket('CBBRK4');
  emu.fill('CBBRK4', '0.02', '50000');
  await until(async () => (await rows()).tp.status === 'accepted', { timeoutMs: 10_000, what: 'exits working' });
  const before = await rows();
  await engine.close();
  emu.trade('BTC-USD', '55000');
  await open();
  await connected();
  await ok('reconcile.run', { venue: 'cb' });
  await until(
    async () => {
      const all = await ok('orders.list', { all: true });
      return all.find((o) => o.id === before.tp.id)?.status === 'filled' && all.find((o) => o.id === before.sl.id)?.status === 'cancelled';
    },
    { timeoutMs: 15_000, what: 'children resolved after the restart' },
  );
  expect((await fillsOf(before.tp.id)).map((f) => f.qty)).toEqual(['0.02']);
  expect(submitsSeen(emu, 'CBBRK4')).toBe(1);
}, 60_000);

const cancelsSent = () => emu.server.count('POST', '/api/v3/brokerage/orders/batch_cancel');

it('cancelling ONE exit leg is refused before anything is sent (Coinbase holds both as one order); cancelling the bracket cancels both', async () => {
  const rows = await bracket('CBBRK5');
  emu.fill('CBBRK5', '0.02', '50000');
  await until(async () => (await rows()).tp.status === 'accepted' && (await rows()).sl.status === 'accepted', { timeoutMs: 10_000, what: 'exits working' });
  const sent = cancelsSent();
  for (const leg of ['sl', 'tp'] as const) {
    const r = await engine.call('order.cancel', { id: (await rows())[leg].id });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('order_not_cancellable');
      expect(r.error.message).toMatch(
        /take-profit and stop-loss are one order.*Choose "Cancel both exits" \(the blotter offers it on either leg; or cancel the bracket, order CBBRK5\), or modify the leg/,
      );
    }
  }
  expect(cancelsSent()).toBe(sent);
  expect(exitOf('CBBRK5').status).toBe('OPEN');
  const after = await rows();
  expect([after.tp.status, after.sl.status]).toEqual(['accepted', 'accepted']);

  // The bracket (its entry, filled) cancels the one exit order: both children cancelled.
  await ok('order.cancel', { id: after.entry.id });
  await until(
    async () => {
      const r = await rows();
      return r.tp.status === 'cancelled' && r.sl.status === 'cancelled';
    },
    { timeoutMs: 10_000, what: 'both exits cancelled' },
  );
  expect(exitOf('CBBRK5').status).toBe('CANCELLED');
  expect((await rows()).entry.status).toBe('filled');

  const other = await bracket('CBBRK6');
  await ok('order.cancel', { id: (await other()).entry.id });
  await until(
    async () => {
      const r = await other();
      return r.entry.status === 'cancelled' && r.tp.status === 'cancelled' && r.sl.status === 'cancelled';
    },
    { timeoutMs: 10_000, what: 'entry and exits cancelled' },
  );
  expect(exitOf('CBBRK6').status).toBe('CANCELLED');
}, 40_000);

it('cancel-all and the kill switch still cancel the whole exit order', async () => {
  const rows = await bracket('CBBRK10');
  emu.fill('CBBRK10', '0.02', '50000');
  await until(async () => (await rows()).tp.status === 'accepted' && (await rows()).sl.status === 'accepted', { timeoutMs: 10_000, what: 'exits working' });
  await ok('order.cancelAll', { venue: 'cb' });
  await until(
    async () => {
      const r = await rows();
      return r.tp.status === 'cancelled' && r.sl.status === 'cancelled';
    },
    { timeoutMs: 10_000, what: 'cancel-all: both exits cancelled' },
  );
  expect(exitOf('CBBRK10').status).toBe('CANCELLED');

  const other = await bracket('CBBRK11');
  emu.fill('CBBRK11', '0.02', '50000');
  await until(async () => (await other()).tp.status === 'accepted' && (await other()).sl.status === 'accepted', { timeoutMs: 10_000, what: 'exits working' });
  await ok('killSwitch.trip', { mode: 'halted', reason: 'test' });
  await until(
    async () => {
      const r = await other();
      return r.tp.status === 'cancelled' && r.sl.status === 'cancelled';
    },
    { timeoutMs: 10_000, what: 'kill switch: both exits cancelled' },
  );
  expect(exitOf('CBBRK11').status).toBe('CANCELLED');
}, 40_000);

it("the bracket's answer lost: every leg unknown, then found by lookup (the children through the entry's attached order), never sent again", async () => {
  emu.server.faults.arm({ kind: 'lose-response', method: 'POST', path: '/api/v3/brokerage/orders' });
  const placed = await ok('order.place', {
    venue: 'cb',
    symbol: 'BTC/USD',
    side: 'buy',
    type: 'limit',
    tif: 'gtc',
    qty: '0.02',
    limitPrice: '50000',
    clientOrderId: 'CBBRK7',
    takeProfit: { limitPrice: '55000' },
    stopLoss: { stopPrice: '45000' },
  });
  const legs = async () => (await ok('orders.list', { all: true })).filter((o) => o.id === placed.id || o.parentOrderId === placed.id);
  await until(async () => (await legs()).every((o) => o.status === 'accepted' || o.status === 'submitted'), { timeoutMs: 15_000, what: 'legs resolved by lookup' });
  const exit = exitOf('CBBRK7');
  expect((await legs()).filter((o) => o.parentOrderId === placed.id).map((o) => o.venueOrderId)).toEqual([exit.order_id, exit.order_id]);
  expect(submitsSeen(emu, 'CBBRK7')).toBe(1);
}, 40_000);

/** The BTC held through the engine's own fills at `cb` (spot reports no positions): bought less sold. */
const position = async () =>
  (await ok('fills.list', { venue: 'cb' }))
    .filter((f) => f.symbol === 'BTC/USD')
    .reduce((n, f) => (f.side === 'buy' ? n.plus(f.qty) : n.minus(f.qty)), new Decimal(0))
    .toString();
const sameQty = (a: string, b: string) => new Decimal(a).eq(b);

/** The take-profit fills 0.008 of 0.02 at its limit, then the price falls through the stop and the stop-limit fills the other 0.012 at 44500. */
async function expectSplitExit(rows: Awaited<ReturnType<typeof bracket>>): Promise<void> {
  await until(
    async () => {
      const r = await rows();
      return r.tp.status === 'cancelled' && r.sl.status === 'filled' && sameQty(r.tp.filledQty, '0.008') && sameQty(r.sl.filledQty, '0.012');
    },
    { timeoutMs: 15_000, what: 'take-profit cancelled with its partial fill, stop-loss filled with the rest' },
  );
  const r = await rows();
  expect(r.tp.avgFillPrice).toBe('55000');
  expect(r.sl.avgFillPrice).toBe('44500');
  expect((await fillsOf(r.tp.id)).map((f) => [f.qty, f.price])).toEqual([['0.008', '55000']]);
  expect((await fillsOf(r.sl.id)).map((f) => [f.qty, f.price])).toEqual([['0.012', '44500']]);
  await until(async () => sameQty(await position(), '0'), { timeoutMs: 10_000, what: 'flat: the entry less both exits' });
  expect(await position()).toBe('0');
}

it('the take-profit fills partly, then the stop triggers and fills the rest → each child has its own fills (attributed by price)', async () => {
  const rows = await bracket('CBBRK8');
  emu.fill('CBBRK8', '0.02', '50000');
  await until(async () => (await rows()).tp.status === 'accepted', { timeoutMs: 10_000, what: 'exits working' });
  await until(async () => sameQty(await position(), '0.02'), { timeoutMs: 10_000, what: 'entry position' });
  const exit = exitOf('CBBRK8');
  emu.fill(exit.order_id, '0.008', '55000');
  await until(
    async () => {
      const r = await rows();
      return r.tp.status === 'partially_filled' && sameQty(r.tp.filledQty, '0.008') && r.sl.status === 'accepted';
    },
    { timeoutMs: 10_000, what: 'take-profit partly filled' },
  );
  await until(async () => sameQty(await position(), '0.012'), { timeoutMs: 10_000, what: 'position less the partial take-profit' });
  expect(emu.trade('BTC-USD', '44500')).toEqual([exit.order_id]);
  await expectSplitExit(rows);
  // The exit's fills are read once per growth of its filled size (0.008, then 0.02), not once per update (the trigger is a third).
  const reads = emu.server.requests.filter((q) => q.method === 'GET' && q.path === '/api/v3/brokerage/orders/historical/fills' && (q.query ?? '').includes(exit.order_id));
  expect(reads.length).toBe(2);
}, 40_000);

it('the same split exit while the engine was closed: after the restart the fills go by price, not by the exit’s current trigger status', async () => {
  const rows = await bracket('CBBRK9');
  emu.fill('CBBRK9', '0.02', '50000');
  await until(async () => (await rows()).tp.status === 'accepted', { timeoutMs: 10_000, what: 'exits working' });
  await engine.close();
  const exit = exitOf('CBBRK9');
  emu.fill(exit.order_id, '0.008', '55000');
  expect(emu.trade('BTC-USD', '44500')).toEqual([exit.order_id]);
  await open();
  await connected();
  await ok('reconcile.run', { venue: 'cb' });
  await expectSplitExit(rows);
  expect(submitsSeen(emu, 'CBBRK9')).toBe(1);
}, 60_000);

/** The faults armed for `path` all used: the connector really met them. */
const faultsUsed = () => {
  const v = emu.server.faults.view() as { rateLimit: { remaining: number } | null; serverErrors: { remaining: number } | null };
  return (v.rateLimit?.remaining ?? 0) + (v.serverErrors?.remaining ?? 0) === 0;
};

/** The exit fills at the take-profit while Coinbase answers the exit's reads with errors (more than one HTTP call's retries): the update is tried again, and arrives once. */
async function exitFillThroughErrors(cid: string, arm: (exitId: string) => void): Promise<void> {
  const rows = await bracket(cid);
  emu.fill(cid, '0.02', '50000');
  await until(async () => (await rows()).tp.status === 'accepted' && (await rows()).sl.status === 'accepted', { timeoutMs: 10_000, what: 'exits working' });
  const exit = exitOf(cid);
  const from = emu.server.requests.length;
  arm(exit.order_id);
  expect(emu.trade('BTC-USD', '55010')).toEqual([exit.order_id]);
  await until(
    async () => {
      const r = await rows();
      return r.tp.status === 'filled' && r.sl.status === 'cancelled';
    },
    { timeoutMs: 15_000, what: 'take-profit filled, stop-loss cancelled, after the failed reads' },
  );
  expect(faultsUsed()).toBe(true);
  // Recovered by the re-queued update itself, not by a reconcile (which lists the OPEN orders).
  expect(emu.server.requests.slice(from).filter((q) => q.path === '/api/v3/brokerage/orders/historical/batch' && (q.query ?? '').includes('order_status=OPEN'))).toEqual([]);
  const r = await rows();
  expect(r.tp).toMatchObject({ filledQty: '0.02', avgFillPrice: '55000' });
  expect((await fillsOf(r.tp.id)).map((f) => [f.qty, f.price])).toEqual([['0.02', '55000']]);
  expect(await fillsOf(r.sl.id)).toEqual([]);
}

it('the exit lookup answered 429 three times in a row (past one call’s retries): the user update is re-queued and the fill arrives once', async () => {
  await exitFillThroughErrors('CBBRK12', (exitId) => emu.server.faults.arm({ kind: '429', count: 3, retryAfterS: 1, method: 'GET', path: `/api/v3/brokerage/orders/historical/${exitId}` }));
}, 40_000);

it('the exit lookup answered 503 three times in a row: the user update is re-queued and the fill arrives once', async () => {
  await exitFillThroughErrors('CBBRK13', (exitId) => emu.server.faults.arm({ kind: '5xx', status: 503, count: 3, method: 'GET', path: `/api/v3/brokerage/orders/historical/${exitId}` }));
}, 40_000);

const linksOf = (entryCid: string): number => {
  const db = new Database(path.join(dir, DB_FILE), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM coinbase_brackets WHERE entry_cid = ?').get(entryCid) as { n: number }).n;
  } finally {
    db.close();
  }
};

it('a finished bracket’s link is pruned once both children are final and reported; a restart after that resurrects nothing', async () => {
  const rows = await bracket('CBBRK14');
  expect(linksOf('CBBRK14')).toBe(1);
  emu.fill('CBBRK14', '0.02', '50000');
  await until(async () => (await rows()).tp.status === 'accepted', { timeoutMs: 10_000, what: 'exits working' });
  expect(linksOf('CBBRK14')).toBe(1);
  const exit = exitOf('CBBRK14');
  emu.trade('BTC-USD', '55000');
  await until(async () => (await rows()).tp.status === 'filled' && (await rows()).sl.status === 'cancelled', { timeoutMs: 10_000, what: 'take-profit filled' });
  await until(() => linksOf('CBBRK14') === 0, { timeoutMs: 10_000, what: 'link pruned' });
  const before = await rows();
  const ordersBefore = (await ok('orders.list', { all: true })).length;
  const fillsBefore = (await ok('fills.list', { venue: 'cb' })).length;

  await engine.close();
  await open();
  await connected();
  await ok('reconcile.run', { venue: 'cb' });
  const after = await rows();
  expect([after.entry.status, after.tp.status, after.sl.status]).toEqual(['filled', 'filled', 'cancelled']);
  expect([after.tp.filledQty, after.sl.filledQty]).toEqual([before.tp.filledQty, before.sl.filledQty]);
  expect((await ok('orders.list', { all: true })).length).toBe(ordersBefore);
  expect(
    (await ok('orders.list', { all: true }))
      .filter((o) => o.venueOrderId === exit.order_id)
      .map((o) => o.id)
      .sort(),
  ).toEqual([before.tp.id, before.sl.id].sort());
  expect((await ok('fills.list', { venue: 'cb' })).length).toBe(fillsBefore);
  expect((await fillsOf(before.tp.id)).map((f) => f.qty)).toEqual(['0.02']);
  expect(linksOf('CBBRK14')).toBe(0);
}, 60_000);

/**
 * The exit finished while the user socket was down (the update reached no one): the reconcile
 * after the reconnect settles both children, prunes the link, and counts each fill once; a
 * restart after that brings nothing back.
 */
async function settledByReconcile(cid: string, whileDown: () => Promise<void>, expected: [string, string]) {
  const events: EngineEvent[] = [];
  const unsubscribe = engine.subscribe((e) => events.push(e));
  const rows = await bracket(cid);
  emu.fill(cid, '0.02', '50000');
  await until(async () => (await rows()).tp.status === 'accepted' && (await rows()).sl.status === 'accepted', { timeoutMs: 10_000, what: 'exits working' });
  const reconciles = () => events.filter((e) => e.type === 'reconcile' && e.report.venue === 'cb' && e.report.trigger === 'reconnect').length;
  const seen = reconciles();
  emu.userDown(true);
  await until(async () => (await ok('venues.list', {})).find((v) => v.name === 'cb')?.state !== 'connected', { timeoutMs: 10_000, what: 'user socket down' });
  await whileDown();
  const down = await rows();
  // Nothing told the engine yet: the children still work.
  expect([down.tp.status, down.sl.status]).toEqual(['accepted', 'accepted']);
  expect(linksOf(cid)).toBe(1);
  emu.userDown(false);
  await until(() => reconciles() > seen, { timeoutMs: 20_000, what: 'reconcile after the reconnect' });
  await until(
    async () => {
      const r = await rows();
      return r.tp.status === expected[0] && r.sl.status === expected[1];
    },
    { timeoutMs: 10_000, what: `children ${expected.join(' / ')} after the reconcile` },
  );
  await until(() => linksOf(cid) === 0, { timeoutMs: 10_000, what: 'link pruned by the reconcile' });
  unsubscribe();
  const before = await rows();
  const ordersBefore = (await ok('orders.list', { all: true })).length;
  const fillsBefore = await ok('fills.list', { venue: 'cb' });

  await engine.close();
  await open();
  await connected();
  await ok('reconcile.run', { venue: 'cb' });
  const after = await rows();
  expect([after.entry.status, after.tp.status, after.sl.status]).toEqual(['filled', ...expected]);
  expect([after.tp.filledQty, after.sl.filledQty]).toEqual([before.tp.filledQty, before.sl.filledQty]);
  expect((await ok('orders.list', { all: true })).length).toBe(ordersBefore);
  expect((await ok('fills.list', { venue: 'cb' })).map((f) => f.id).sort()).toEqual(fillsBefore.map((f) => f.id).sort());
  expect(linksOf(cid)).toBe(0);
  expect(submitsSeen(emu, cid)).toBe(1);
  return after;
}

it('the take-profit fills while the user socket is down: the reconcile after the reconnect settles both children, prunes the link, counts the fill once', async () => {
  const after = await settledByReconcile(
    'CBBRK15',
    async () => {
      expect(emu.trade('BTC-USD', '55000')).toEqual([exitOf('CBBRK15').order_id]);
    },
    ['filled', 'cancelled'],
  );
  expect(after.tp).toMatchObject({ filledQty: '0.02', avgFillPrice: '55000' });
  expect((await fillsOf(after.tp.id)).map((f) => [f.qty, f.price])).toEqual([['0.02', '55000']]);
  expect(await fillsOf(after.sl.id)).toEqual([]);
  expect(await position()).toBe('0');
}, 90_000);

it('the exit order cancelled at Coinbase while the user socket is down: the reconcile after the reconnect settles both as cancelled and prunes the link', async () => {
  const after = await settledByReconcile(
    'CBBRK16',
    async () => {
      expect(emu.cancel(exitOf('CBBRK16').order_id).success).toBe(true);
    },
    ['cancelled', 'cancelled'],
  );
  expect(await fillsOf(after.tp.id)).toEqual([]);
  expect(await fillsOf(after.sl.id)).toEqual([]);
  expect(await position()).toBe('0.02');
}, 90_000);
