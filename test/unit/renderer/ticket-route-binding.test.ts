/** Issue 8 item 1, the ticket's side: a preview made under one mode is dropped when the mode changes. */
import { describe, expect, it } from 'vitest';
import type { Preview } from '../../../src-main/engine/api/commands';
import {
  canPlace,
  contextOf,
  currentKey,
  dropIfRouteChanged,
  edit,
  finishPlace,
  finishPreview,
  initialTicket,
  startPreview,
  type RouteContext,
  type TicketState,
} from '../../../src-renderer/src/features/ticket/ticket-model';
import { instrument } from './fixtures';

const shadowPreview = (): Preview => ({
  allowed: true,
  route: 'shadow',
  mode: 'shadow',
  clientOrderId: 'tp0123456789abcdef',
  previewId: 'pv_1',
  venue: 'ib',
  instrumentId: 'ib:1',
  symbol: 'AAPL',
  side: 'buy',
  type: 'limit',
  qty: '1',
  currency: 'USD',
  estPrice: '199',
  estNotional: '199',
  estFee: '1',
  estTotal: '200',
  buyingPowerBefore: null,
  buyingPowerAfter: null,
  bid: '199',
  ask: '200',
  warnings: [],
  violations: [],
  ts: 1,
});
const ctx = (mode: 'shadow' | 'live' | 'canary', p: Partial<RouteContext> = {}, canaryPct?: number): RouteContext => ({
  venue: { name: 'ib', mode, settings: { port: '7497' }, ...(canaryPct !== undefined ? { canaryPct } : {}) },
  killSwitch: 'running',
  ...p,
});

function previewed(): TicketState {
  let s = edit(initialTicket('ib'), { symbol: 'AAPL', qty: '1', limitPrice: '199' }, instrument({ venue: 'ib', id: 'ib:1' }));
  s = startPreview(s);
  return finishPreview(s, s.previewSeq, currentKey(s), { ok: true, value: shadowPreview() }, 'x', 1, contextOf(ctx('shadow')));
}

describe('ticket: a preview binds to the route context it was made under', () => {
  it('arming LIVE after a SHADOW preview drops it and disables Place, saying why', () => {
    const s = previewed();
    expect(canPlace(s, 2)).toBe(true);
    const after = dropIfRouteChanged(s, ctx('live'));
    expect(after.preview).toBeUndefined();
    expect(canPlace(after, 2)).toBe(false);
    expect(after.error).toMatchObject({ code: 'preview_stale', message: expect.stringContaining('from SHADOW to LIVE') });
  });
  it('a CANARY share, a settings change or a kill switch trip drops it too', () => {
    expect(dropIfRouteChanged(previewed(), ctx('canary', {}, 10)).preview).toBeUndefined();
    expect(dropIfRouteChanged(previewed(), { ...ctx('shadow'), venue: { name: 'ib', mode: 'shadow', settings: { port: '4002' } } }).error?.message).toContain('settings changed');
    expect(dropIfRouteChanged(previewed(), ctx('shadow', { killSwitch: 'halted' })).error?.message).toContain('kill switch changed to halted');
  });
  it('nothing relevant changed: the same state object comes back (no re-render)', () => {
    const s = previewed();
    expect(dropIfRouteChanged(s, ctx('shadow'))).toBe(s);
    expect(dropIfRouteChanged(s, { venue: { name: 'paper', mode: 'paper', settings: {} }, killSwitch: 'running' })).toBe(s);
  });
  it('a place the engine refused as stale cannot be retried on the same preview', () => {
    const s = previewed();
    const refused = finishPlace({ ...s, placing: true }, { ok: false, error: { code: 'preview_stale', message: 'Preview again: the route changed from SHADOW to LIVE. Nothing was sent.' } });
    expect(refused.preview).toBeUndefined();
    expect(canPlace(refused, 2)).toBe(false);
  });
});
