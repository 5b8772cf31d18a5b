/**
 * Issue 8, item 1: a SHADOW preview must never place LIVE. The trader previews an IBKR order in
 * SHADOW ("simulated, never sent to ibkr"), the venue is armed LIVE, then Ctrl+Enter: the place is
 * refused by the engine, on every transport, and nothing reaches TWS. Same for every other thing a
 * preview showed (CANARY share, kill switch, risk limits, settings, the ticket's own prices).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-main/engine/api/engine-api';
import type { Engine } from '../../../src-main/engine/engine';
import type { IbkrConnector } from '../../../src-main/engine/venues/ibkr';
import type { TwsEmulator } from '../../emulators/tws';
import { engineRig, marketClock, type EngineRig } from './ibkr-harness';
import { until } from '../../support/until';

const UI_IPC: CallContext = { actor: 'user', transport: 'ipc' };
const UI_BRIDGE: CallContext = { actor: 'user', transport: 'bridge' };
const CLI: CallContext = { actor: 'cli', transport: 'cli' };
const TICKET = { venue: 'ib', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '1', limitPrice: '199', tif: 'day' } as const;

describe('a preview binds to its route (engine + TWS emulator)', () => {
  const clock = marketClock();
  let r: EngineRig;
  let engine: Engine;
  let emu: TwsEmulator;

  beforeEach(async () => {
    r = await engineRig(clock, 'tp-ibkr-bind-');
    ({ engine, emu } = r);
    expect(r.added.ok).toBe(true);
    const ib = () => engine.internals.venues.get('ib') as IbkrConnector;
    await until(() => ib().instrument('AAPL'));
    await until(() => ib().quote('ib:265598')?.ask);
  });
  afterEach(async () => {
    await r.close();
  });

  const preview = async (ctx: CallContext = UI_IPC, t: Record<string, unknown> = {}) => {
    const p = await engine.call('order.preview', { ...TICKET, ...t }, ctx);
    if (!p.ok) throw new Error(`${p.error.code}: ${p.error.message}`);
    return p.value;
  };
  const arm = async () => expect((await engine.call('mode.set', { venue: 'ib', mode: 'live', arm: true })).ok).toBe(true);
  const ordersAtVenue = () => emu.orders().length;
  const journaled = async () => {
    const l = await engine.call('orders.list', { all: true });
    return l.ok ? l.value.length : -1;
  };

  for (const [label, ctx] of [
    ['IPC', UI_IPC],
    ['bridge', UI_BRIDGE],
  ] as const) {
    it(`SHADOW preview, then armed LIVE, then place over ${label}: refused, nothing journaled, nothing at TWS`, async () => {
      const p = await preview(ctx);
      expect(p).toMatchObject({ route: 'shadow', mode: 'shadow', allowed: true });
      expect(p.previewId).toMatch(/^pv_/);
      await arm();
      const placed = await engine.call('order.place', { ...TICKET, clientOrderId: p.clientOrderId, previewId: p.previewId }, ctx);
      expect(placed.ok).toBe(false);
      if (placed.ok) return;
      expect(placed.error.code).toBe('preview_stale');
      expect(placed.error.message).toContain('the route changed from SHADOW to LIVE');
      expect(await journaled()).toBe(0);
      expect(ordersAtVenue()).toBe(0);
    });
  }

  it('the trader’s window cannot place without a preview', async () => {
    await arm();
    const placed = await engine.call('order.place', { ...TICKET }, UI_BRIDGE);
    expect(placed).toMatchObject({ ok: false, error: { code: 'preview_stale' } });
    expect(ordersAtVenue()).toBe(0);
  });

  it('a LIVE preview places LIVE when nothing changed', async () => {
    await arm();
    const p = await preview();
    expect(p.route).toBe('live');
    const placed = await engine.call('order.place', { ...TICKET, clientOrderId: p.clientOrderId, previewId: p.previewId }, UI_IPC);
    expect(placed.ok && placed.value.route).toBe('live');
    await until(() => ordersAtVenue() === 1, { timeoutMs: 5000, what: 'the order at TWS' });
  });

  it('a LIVE preview after the venue went back to SHADOW is refused too (either direction)', async () => {
    await arm();
    const p = await preview();
    expect((await engine.call('mode.set', { venue: 'ib', mode: 'shadow' })).ok).toBe(true);
    const placed = await engine.call('order.place', { ...TICKET, clientOrderId: p.clientOrderId, previewId: p.previewId }, UI_IPC);
    expect(placed).toMatchObject({ ok: false, error: { code: 'preview_stale', message: expect.stringContaining('from LIVE to SHADOW') } });
  });

  it('a tripped kill switch, new risk limits or new venue settings each invalidate the preview', async () => {
    const place = (p: { clientOrderId?: string; previewId?: string }) => engine.call('order.place', { ...TICKET, clientOrderId: p.clientOrderId, previewId: p.previewId }, UI_IPC);

    const p1 = await preview();
    expect((await engine.call('risk.set', { key: 'max_order_notional', value: '100000' })).ok).toBe(true);
    expect(await place(p1)).toMatchObject({ ok: false, error: { code: 'preview_stale', message: expect.stringContaining('the risk limits changed') } });

    const p2 = await preview();
    expect((await engine.call('killSwitch.trip', { mode: 'halted' })).ok).toBe(true);
    expect((await engine.call('killSwitch.reset', { confirm: true })).ok).toBe(true);
    // Tripped and reset: the state is back where it was, so the preview still holds.
    const back = await place(p2);
    expect(back.ok).toBe(true);

    const p3 = await preview(UI_IPC, { qty: '2' });
    expect((await engine.call('killSwitch.trip', { mode: 'reducing' })).ok).toBe(true);
    expect(await place({ ...p3 })).toMatchObject({ ok: false });
    const withQty = await engine.call('order.place', { ...TICKET, qty: '2', clientOrderId: p3.clientOrderId, previewId: p3.previewId }, UI_IPC);
    expect(withQty).toMatchObject({ ok: false, error: { code: 'preview_stale', message: expect.stringContaining('the kill switch changed from running to reducing') } });
    expect((await engine.call('killSwitch.reset', { confirm: true })).ok).toBe(true);

    const p4 = await preview();
    expect((await engine.call('venue.set', { name: 'ib', settings: { watchlist: 'AAPL,MSFT' } })).ok).toBe(true);
    expect(await place(p4)).toMatchObject({ ok: false, error: { code: 'preview_stale', message: expect.stringContaining("the venue's settings changed") } });
  });

  it('a ticket that differs from its preview (another limit price) is refused', async () => {
    const p = await preview();
    const placed = await engine.call('order.place', { ...TICKET, limitPrice: '400', clientOrderId: p.clientOrderId, previewId: p.previewId }, UI_IPC);
    expect(placed).toMatchObject({ ok: false, error: { code: 'preview_stale', message: expect.stringContaining('the limit price changed from 199 to 400') } });
  });

  it('an unknown or expired preview id is refused', async () => {
    const placed = await engine.call('order.place', { ...TICKET, previewId: 'pv_0000' }, UI_IPC);
    expect(placed).toMatchObject({ ok: false, error: { code: 'preview_stale', message: expect.stringContaining('expired') } });
  });

  it('CLI: place re-previews, and --expect-route refuses a route that is not the expected one', async () => {
    await arm();
    const refused = await engine.call('order.place', { ...TICKET, expectRoute: 'shadow' }, CLI);
    expect(refused).toMatchObject({ ok: false, error: { code: 'route_changed', message: expect.stringContaining('LIVE') } });
    expect(ordersAtVenue()).toBe(0);
    expect(await journaled()).toBe(0);
    const ok = await engine.call('order.place', { ...TICKET, expectRoute: 'live' }, CLI);
    expect(ok.ok && ok.value.route).toBe('live');
  });
});
