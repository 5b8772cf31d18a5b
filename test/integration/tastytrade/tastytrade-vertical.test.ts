/**
 * A two-leg option vertical through the engine against the tastytrade emulator over real sockets:
 * picked from the chain, previewed through tastytrade's dry-run, placed as ONE order (one journal
 * row, one client id, one tastytrade order with two legs), filled leg by leg over the account
 * streamer, with a fill and a position for each leg; and a lost ack resolved by the
 * external-identifier search to exactly one order.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src-main/engine/engine';
import type { CommandName, CommandOutput } from '../../../src-main/engine/api/commands';
import { tastytradeFactory } from '../../../src-main/engine/venues/tastytrade';
import type { TastytradeEmulator } from '../../emulators/tastytrade';
import { liveVenueEngine, type LiveVenueEngine } from '../../support/venue-rig';
import { sessionClock } from '../../support/venue-engine-contract';
import { until } from '../../support/until';
import { control, orderOf, secretsFor, startEmulator, submitsSeen, tastytradeSettings } from './tastytrade-rig';

const ctx = { actor: 'cli', transport: 'cli' } as const;
let emu: TastytradeEmulator;
let rig: LiveVenueEngine;
let e: Engine;

beforeEach(async () => {
  const clock = sessionClock();
  emu = await startEmulator(() => clock.now());
  rig = await liveVenueEngine({
    kind: 'tastytrade',
    name: 'tt',
    factory: tastytradeFactory({ timeoutMs: 2000, streamBackoff: { initialMs: 50, maxMs: 200 } }),
    settings: tastytradeSettings(emu),
    secrets: await secretsFor('tt'),
    clock,
  });
  e = rig.engine;
  await until(async () => (await call('venues.list', {})).find((v) => v.name === 'tt')?.state === 'connected', { timeoutMs: 10_000, what: 'tt connected' });
});
afterEach(async () => {
  await rig.close();
  await emu.stop();
});

async function call<C extends CommandName>(command: C, input: unknown): Promise<CommandOutput<C>> {
  const r = await e.call(command, input, ctx);
  if (!r.ok) throw new Error(`${command}: ${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** The 150/155 call vertical from the chain, each leg quoted in the engine (DXLink) at the emulator's prices. */
async function pickVertical(): Promise<{ long: string; short: string }> {
  const chain = await call('instrument.optionChain', { venue: 'tt', underlying: 'AAPL' });
  const strikes = chain.expiries[0]!.strikes;
  const long = strikes.find((k) => k.strike === '150')!.call!;
  const short = strikes.find((k) => k.strike === '155')!.call!;
  await control(emu, 'set-quote', { symbol: 'AAPL  260320C00150000', bid: '6.00', ask: '6.10' });
  await control(emu, 'set-quote', { symbol: 'AAPL  260320C00155000', bid: '3.00', ask: '3.10' });
  for (const [id, bid] of [
    [long, '6'],
    [short, '3'],
  ] as const)
    await until(async () => (await e.call('quote.get', { venue: 'tt', symbol: id }, ctx)).ok && (await call('quote.get', { venue: 'tt', symbol: id })).bid === bid, {
      timeoutMs: 10_000,
      what: `quote ${id}`,
    });
  return { long, short };
}

const ticket = (long: string, short: string, clientOrderId: string) => ({
  venue: 'tt',
  symbol: long,
  side: 'buy',
  type: 'limit',
  qty: '1',
  limitPrice: '3.10',
  tif: 'day',
  clientOrderId,
  legs: [
    { symbol: long, side: 'buy' },
    { symbol: short, side: 'sell' },
  ],
});

describe('tastytrade vertical through the engine', () => {
  it('preview (dry-run) and place: one order, two leg fills, a position per leg', async () => {
    const { long, short } = await pickVertical();
    const p = await call('order.preview', ticket(long, short, 'TPVERT1'));
    expect(p).toMatchObject({ allowed: true, route: 'live', side: 'buy', qty: '1', estNotional: '310', bid: '2.9', ask: '3.1' });
    expect(emu.ordersWithIdentifier('TPVERT1')).toBe(0);

    const placed = await call('order.place', ticket(long, short, 'TPVERT1'));
    expect(placed.legs).toEqual([
      { instrumentId: long, symbol: 'AAPL:OPT:C:150:20260320', side: 'buy', ratio: 1 },
      { instrumentId: short, symbol: 'AAPL:OPT:C:155:20260320', side: 'sell', ratio: 1 },
    ]);
    const done = await until(async () => (await call('orders.list', { all: true })).find((o) => o.clientOrderId === 'TPVERT1' && o.status === 'filled'), {
      timeoutMs: 10_000,
      what: 'the spread filled',
    });
    expect(done).toMatchObject({ instrumentId: long, side: 'buy', qty: '1', filledQty: '1', avgFillPrice: '3.1', legs: placed.legs });
    expect((await call('orders.list', { all: true })).filter((o) => o.clientOrderId === 'TPVERT1')).toHaveLength(1);

    // One tastytrade order with both legs, sent once.
    const venueOrder = orderOf(emu, 'TPVERT1')!;
    expect(emu.ordersWithIdentifier('TPVERT1')).toBe(1);
    expect(submitsSeen(emu, 'TPVERT1')).toBe(1);
    expect(venueOrder).toMatchObject({ 'order-type': 'Limit', price: '3.1', 'price-effect': 'Debit', status: 'Filled' });
    expect(venueOrder.legs.map((l) => [l.symbol, l.action, l.quantity])).toEqual([
      ['AAPL  260320C00150000', 'Buy to Open', '1'],
      ['AAPL  260320C00155000', 'Sell to Open', '1'],
    ]);

    const fills = (await call('fills.list', { venue: 'tt' })).filter((f) => f.clientOrderId === 'TPVERT1');
    expect(fills.map((f) => [f.instrumentId, f.side, f.qty, f.price]).sort()).toEqual([
      [long, 'buy', '1', '6.1'],
      [short, 'sell', '1', '3'],
    ]);
    expect(new Set(fills.map((f) => f.orderId)).size).toBe(1);
    const positions = await until(
      async () => {
        const ps = await call('positions.list', { venue: 'tt' });
        const a = ps.find((x) => x.instrumentId === long);
        const b = ps.find((x) => x.instrumentId === short);
        return a && b && [a.qty, b.qty];
      },
      { timeoutMs: 10_000, what: 'a position per leg' },
    );
    expect(positions).toEqual(['1', '-1']);
  });

  it('a lost ack is resolved by the identifier search: exactly one tastytrade order, never resent', async () => {
    const { long, short } = await pickVertical();
    const s = emu.server;
    const arm = (r: { path: string }): void => {
      if (!r.path.endsWith('/dry-run')) return;
      s.off('request', arm);
      s.faults.arm({ kind: 'lose-response', method: 'POST', path: `/accounts/${emu.accountNumber}/orders` });
    };
    s.on('request', arm);
    const placed = await call('order.place', ticket(long, short, 'TPVERT2'));
    expect(['unknown', 'filled', 'partially_filled']).toContain(placed.status);
    const done = await until(async () => (await call('orders.list', { all: true })).find((o) => o.clientOrderId === 'TPVERT2' && o.status === 'filled'), {
      timeoutMs: 10_000,
      what: 'resolved and filled',
    });
    expect(done).toMatchObject({ filledQty: '1', avgFillPrice: '3.1' });
    expect(emu.ordersWithIdentifier('TPVERT2')).toBe(1);
    expect(submitsSeen(emu, 'TPVERT2')).toBe(1);
  });

  it('in SHADOW the Paper engine cannot simulate a spread: refused before journaling, with the way to send it', async () => {
    const { long, short } = await pickVertical();
    await call('mode.set', { venue: 'tt', mode: 'shadow' });
    const r = await e.call('order.place', ticket(long, short, 'TPVERT3'), ctx);
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'unsupported_order',
        message: expect.stringMatching(/in SHADOW mode .*does not support multi-leg orders \(spreads\) — place each leg as its own order, or arm LIVE to send it to tastytrade\.$/),
      },
    });
    expect((await call('orders.list', { all: true })).some((o) => o.clientOrderId === 'TPVERT3')).toBe(false);
    expect(emu.ordersWithIdentifier('TPVERT3')).toBe(0);
  });

  it('a resting spread is modified as one order (both legs carried to the replacement) and cancelled as one', async () => {
    const { long, short } = await pickVertical();
    // 2.95 is under the spread's 3.10 ask: it rests.
    const placed = await call('order.place', { ...ticket(long, short, 'TPVERT4'), limitPrice: '2.95' });
    expect(placed.status).toBe('accepted');
    const replaced = await call('order.replace', { id: placed.id, limitPrice: '3.00' });
    expect(replaced).toMatchObject({ limitPrice: '3', legs: placed.legs });
    const now = orderOf(emu, 'TPVERT4')!;
    expect(now).toMatchObject({ price: '3', 'price-effect': 'Debit', status: 'Live' });
    expect(now.legs.map((l) => [l.symbol, l.action, l.quantity])).toEqual([
      ['AAPL  260320C00150000', 'Buy to Open', '1'],
      ['AAPL  260320C00155000', 'Sell to Open', '1'],
    ]);
    const cancelled = await call('order.cancel', { id: placed.id });
    expect(cancelled.status).toBe('cancelled');
    expect(orderOf(emu, 'TPVERT4')!.status).toBe('Cancelled');
    expect((await call('fills.list', { venue: 'tt' })).filter((f) => f.clientOrderId === 'TPVERT4')).toEqual([]);
  });

  it('a resting spread survives a restart with its legs, then fills leg by leg', async () => {
    const { long, short } = await pickVertical();
    const placed = await call('order.place', { ...ticket(long, short, 'TPVERT5'), limitPrice: '2.95' });
    expect(placed.status).toBe('accepted');
    await rig.restart(async () => undefined);
    e = rig.engine;
    const back = await until(async () => (await call('orders.list', {})).find((o) => o.clientOrderId === 'TPVERT5'), { timeoutMs: 10_000, what: 'the spread after the restart' });
    expect(back.legs).toEqual(placed.legs);
    await until(async () => (await call('venues.list', {})).find((v) => v.name === 'tt')?.state === 'connected', { timeoutMs: 10_000, what: 'tt connected again' });
    await control(emu, 'fill', { externalIdentifier: 'TPVERT5', prices: ['6.05', '3.10'] });
    const done = await until(async () => (await call('orders.list', { all: true })).find((o) => o.clientOrderId === 'TPVERT5' && o.status === 'filled'), {
      timeoutMs: 10_000,
      what: 'filled after the restart',
    });
    expect(done).toMatchObject({ filledQty: '1', avgFillPrice: '2.95' });
    expect(
      (await call('fills.list', { venue: 'tt' }))
        .filter((f) => f.clientOrderId === 'TPVERT5')
        .map((f) => [f.instrumentId, f.price])
        .sort(),
    ).toEqual([
      [long, '6.05'],
      [short, '3.1'],
    ]);
  });
});

describe('tastytrade replace through the engine (any order)', () => {
  it('the superseded order’s cancel on the streamer does not end ours: a modified stock order keeps working', async () => {
    const placed = await call('order.place', { venue: 'tt', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '2', limitPrice: '140.00', tif: 'day', clientOrderId: 'TPREPL1' });
    expect(placed.status).toBe('accepted');
    const replaced = await call('order.replace', { id: placed.id, limitPrice: '141.00' });
    expect(replaced.limitPrice).toBe('141');
    // Both notifications (the old order cancelled, the new one live) have been handled once the replacement is live at the venue and in the engine.
    const working = await until(async () => (await call('orders.list', {})).find((o) => o.clientOrderId === 'TPREPL1'), { timeoutMs: 10_000, what: 'still working' });
    expect(working.status).toBe('accepted');
    expect(await call('order.cancel', { id: placed.id })).toMatchObject({ status: 'cancelled' });
  });
});

describe('a vertical placed elsewhere', () => {
  it('is adopted as one order with its legs; each leg’s fill is booked to its own instrument', async () => {
    const { long, short } = await pickVertical();
    await control(emu, 'external-order', {
      order: {
        'time-in-force': 'Day',
        'order-type': 'Limit',
        price: '3.10',
        'price-effect': 'Debit',
        legs: [
          { 'instrument-type': 'Equity Option', symbol: 'AAPL  260320C00150000', quantity: '1', action: 'Buy to Open' },
          { 'instrument-type': 'Equity Option', symbol: 'AAPL  260320C00155000', quantity: '1', action: 'Sell to Open' },
        ],
      },
    });
    const adopted = await until(async () => (await call('orders.list', { all: true })).find((o) => o.source === 'external' && o.status === 'filled'), {
      timeoutMs: 10_000,
      what: 'adopted and filled',
    });
    expect(adopted).toMatchObject({ instrumentId: long, side: 'buy', qty: '1', filledQty: '1', avgFillPrice: '3.1' });
    expect(adopted.legs?.map((l) => [l.instrumentId, l.symbol, l.side])).toEqual([
      [long, 'AAPL:OPT:C:150:20260320', 'buy'],
      [short, 'AAPL:OPT:C:155:20260320', 'sell'],
    ]);
    const fills = (await call('fills.list', { venue: 'tt' })).filter((f) => f.orderId === adopted.id);
    expect(fills.map((f) => [f.instrumentId, f.side]).sort()).toEqual([
      [long, 'buy'],
      [short, 'sell'],
    ]);
  });
});
