import { describe, expect, it } from 'vitest';
import type { KillSwitchStatus, Preview, ReconcileReportView, VenueInfo } from '../../../src-main/engine/api/commands';
import type { Result } from '../../../src-main/engine/api/errors';
import { applyEvents, applyKillSwitch, emptyEngineData, mergeReconcileReports, MAX_RECONCILE_REPORTS, newerKillSwitch } from '../../../src-renderer/src/store/engine-state';
import {
  auditCsvFilename,
  auditDetailLine,
  auditQuery,
  checkModeDraft,
  describeRoute,
  emptyAuditFilters,
  isKillSwitchHotkey,
  killSwitchSummary,
  sweepStillWorking,
  parseUtcDateTime,
  resetConfirmed,
} from '../../../src-renderer/src/features/safety/safety-model';
import { currentKey, edit, finishPreview, initialTicket, startPreview } from '../../../src-renderer/src/features/ticket/ticket-model';
import { toOrderTicket } from '../../../src-renderer/src/features/ticket/validation';
import { instrument, order } from './fixtures';

const ks = (p: Partial<KillSwitchStatus> = {}): KillSwitchStatus => ({
  version: 1,
  state: 'running',
  reason: null,
  actor: null,
  trippedAt: null,
  flatten: false,
  flattenPending: false,
  lastReset: null,
  workingOrders: 0,
  ...p,
});
const report = (venue: string, seq: number, ts: number): ReconcileReportView => ({ seq, venue, ts, trigger: 'manual', ok: true, error: null, changes: [] });
const venue = (p: Partial<VenueInfo> = {}): VenueInfo => ({ name: 'coinbase', kind: 'coinbase', label: 'Coinbase', state: 'connected', mode: 'shadow', detail: '', settings: {}, since: 0, ...p });
const key = (k: string, mods: { ctrl?: boolean; meta?: boolean; shift?: boolean; alt?: boolean } = {}) => ({
  key: k,
  code: `Key${k.toUpperCase()}`,
  ctrlKey: !!mods.ctrl,
  metaKey: !!mods.meta,
  shiftKey: !!mods.shift,
  altKey: !!mods.alt,
});

describe('kill switch state in the store', () => {
  it('applies killSwitch events, latest wins within a batch', () => {
    const halted = ks({ state: 'halted', trippedAt: 10 });
    const s = applyEvents(emptyEngineData, [{ type: 'killSwitch', state: halted }]);
    expect(s.killSwitch).toBe(halted);
    const reset = ks({ lastReset: { actor: 'ui', at: 20, note: null } });
    expect(applyEvents(s, [{ type: 'killSwitch', state: reset }]).killSwitch).toBe(reset);
  });
  it('ignores a status that changed earlier than the one held (a fetch and an event crossing)', () => {
    const reset = ks({ lastReset: { actor: 'ui', at: 50, note: null } });
    const oldTrip = ks({ state: 'halted', trippedAt: 40 });
    expect(newerKillSwitch(reset, oldTrip)).toBe(reset);
    const s = applyKillSwitch({ ...emptyEngineData, killSwitch: reset }, oldTrip);
    expect(s.killSwitch).toBe(reset);
    // Escalation keeps trippedAt: equal times take the newer arrival.
    const reducing = ks({ state: 'reducing', trippedAt: 60 });
    const halted = ks({ state: 'halted', trippedAt: 60 });
    expect(newerKillSwitch(reducing, halted)).toBe(halted);
  });
  it('summarises for the banner', () => {
    const line = killSwitchSummary(ks({ state: 'halted', trippedAt: Date.UTC(2025, 0, 1, 10, 32, 5), actor: 'ui', reason: 'Tripped from the app (hotkey).', workingOrders: 2 }), () => '10:32:05');
    expect(line).toContain('HALTED');
    expect(line).toContain('since 10:32:05 UTC');
    expect(line).toContain('by ui');
    expect(line).toContain('2 working orders still being cancelled');
    expect(killSwitchSummary(ks({ state: 'reducing' }), () => '')).toContain('REDUCE ONLY');
  });
  it('counts the orders still being cancelled from the orders on screen, not the count at trip time', () => {
    const k = ks({ state: 'halted', trippedAt: 1000, workingOrders: 1 });
    const working = order({ id: 'a', status: 'accepted', createdAt: 900 });
    expect(sweepStillWorking({ a: working }, k)).toBe(1);
    expect(killSwitchSummary(k, () => '', sweepStillWorking({ a: working }, k))).toContain('1 working order still being cancelled');
    // The cancel landed: the banner stops saying so, whatever the engine said at trip time.
    const done = { a: { ...working, status: 'cancelled' as const } };
    expect(sweepStillWorking(done, k)).toBe(0);
    expect(killSwitchSummary(k, () => '', sweepStillWorking(done, k))).not.toContain('still being cancelled');
    // An order placed after a reduce-only trip is not the sweep's.
    expect(sweepStillWorking({ b: order({ id: 'b', status: 'accepted', createdAt: 2000 }) }, ks({ state: 'reducing', trippedAt: 1000 }))).toBe(0);
  });
  it('the hotkey is Ctrl/⌘+Shift+K and nothing else', () => {
    expect(isKillSwitchHotkey(key('K', { ctrl: true, shift: true }))).toBe(true);
    expect(isKillSwitchHotkey(key('k', { meta: true, shift: true }))).toBe(true);
    expect(isKillSwitchHotkey(key('k', { ctrl: true }))).toBe(false);
    expect(isKillSwitchHotkey(key('k', { shift: true }))).toBe(false);
    expect(isKillSwitchHotkey(key('k', { ctrl: true, shift: true, alt: true }))).toBe(false);
    expect(isKillSwitchHotkey(key('j', { ctrl: true, shift: true }))).toBe(false);
  });
  it('reset needs the exact word', () => {
    expect(resetConfirmed('RESET')).toBe(true);
    expect(resetConfirmed(' RESET ')).toBe(true);
    expect(resetConfirmed('reset')).toBe(false);
    expect(resetConfirmed('RESE')).toBe(false);
  });
});

describe('reconcile reports', () => {
  it('merges by venue + seq, newest first, from events and fetches', () => {
    const a = report('paper', 1, 100);
    const b = report('coinbase', 1, 200);
    let s = applyEvents(emptyEngineData, [{ type: 'reconcile', report: a }]);
    s = applyEvents(s, [
      { type: 'reconcile', report: b },
      { type: 'reconcile', report: a },
    ]);
    expect(s.reconcileReports.map((r) => `${r.venue}${r.seq}`)).toEqual(['coinbase1', 'paper1']);
    expect(mergeReconcileReports(s.reconcileReports, [])).toBe(s.reconcileReports);
  });
  it('is capped', () => {
    const many = Array.from({ length: MAX_RECONCILE_REPORTS + 5 }, (_, i) => report('paper', i, i));
    const out = mergeReconcileReports([], many);
    expect(out).toHaveLength(MAX_RECONCILE_REPORTS);
    expect(out[0]!.seq).toBe(MAX_RECONCILE_REPORTS + 4);
  });
  it('events that are neither leave the slices alone', () => {
    const s = applyEvents(emptyEngineData, [{ type: 'notice', level: 'info', message: 'x', ts: 1 }]);
    expect(s.reconcileReports).toBe(emptyEngineData.reconcileReports);
    expect(s.killSwitch).toBeUndefined();
  });
});

describe('mode changes', () => {
  it('SHADOW needs no typing; LIVE and CANARY need the exact venue name', () => {
    const live = venue({ mode: 'live' });
    expect(checkModeDraft(live, { to: 'shadow', canaryPct: '5', typed: '' })).toEqual({ ok: true, input: { venue: 'coinbase', mode: 'shadow' } });
    const sh = venue();
    expect(checkModeDraft(sh, { to: 'live', canaryPct: '', typed: 'Coinbase' }).ok).toBe(false);
    expect(checkModeDraft(sh, { to: 'live', canaryPct: '', typed: 'coinbase' })).toEqual({ ok: true, input: { venue: 'coinbase', mode: 'live', typedVenueName: 'coinbase' } });
    expect(checkModeDraft(sh, { to: 'canary', canaryPct: '12.5', typed: 'coinbase' })).toEqual({ ok: true, input: { venue: 'coinbase', mode: 'canary', canaryPct: 12.5, typedVenueName: 'coinbase' } });
  });
  it('checks the canary share and refuses no-op and Paper changes', () => {
    const sh = venue();
    for (const bad of ['0', '100', '', 'x', '5.555', '-1']) expect(checkModeDraft(sh, { to: 'canary', canaryPct: bad, typed: 'coinbase' }).ok, bad).toBe(false);
    expect(checkModeDraft(sh, { to: 'shadow', canaryPct: '', typed: '' }).ok).toBe(false);
    expect(checkModeDraft(venue({ mode: 'canary', canaryPct: 5 }), { to: 'canary', canaryPct: '5', typed: 'coinbase' }).ok).toBe(false);
    expect(checkModeDraft(venue({ mode: 'canary', canaryPct: 5 }), { to: 'canary', canaryPct: '10', typed: 'coinbase' }).ok).toBe(true);
    expect(checkModeDraft(venue({ name: 'paper', mode: 'paper' }), { to: 'shadow', canaryPct: '', typed: '' }).ok).toBe(false);
  });
  it('describes the route this order takes', () => {
    expect(describeRoute({ route: 'paper', venue: 'paper', mode: 'paper' }).badge).toBe('PAPER');
    expect(describeRoute({ route: 'shadow', venue: 'coinbase', mode: 'shadow' })).toMatchObject({ badge: 'SHADOW', tone: 'shadow' });
    expect(describeRoute({ route: 'live', venue: 'coinbase', mode: 'live' })).toMatchObject({ badge: 'LIVE', tone: 'live' });
    expect(describeRoute({ route: 'live', venue: 'coinbase', mode: 'canary', canaryPct: 5 })).toMatchObject({ badge: 'CANARY 5% · LIVE', tone: 'live' });
    expect(describeRoute({ route: 'shadow', venue: 'coinbase', mode: 'canary', canaryPct: 5 })).toMatchObject({ badge: 'CANARY 5% · SHADOW', tone: 'shadow' });
  });
});

describe('the ticket sends the id the preview was routed for', () => {
  const form = { venue: 'coinbase', symbol: 'AAPL', side: 'buy' as const, type: 'limit' as const, qty: '10', limitPrice: '100.25', stopPrice: '', tif: 'day' as const };
  const preview = (coid?: string): Result<Preview> => ({
    ok: true,
    value: {
      allowed: true,
      route: 'live',
      mode: 'canary',
      canaryPct: 5,
      ...(coid ? { clientOrderId: coid } : {}),
      venue: 'coinbase',
      instrumentId: 'coinbase:AAPL',
      symbol: 'AAPL',
      side: 'buy',
      type: 'limit',
      qty: '10',
      currency: 'USD',
      estPrice: '100.25',
      estNotional: '1002.5',
      estFee: '2',
      estTotal: '1004.5',
      buyingPowerBefore: '5000',
      buyingPowerAfter: '3995.5',
      bid: '100.2',
      ask: '100.3',
      warnings: [],
      violations: [],
      ts: 1,
    },
  });
  it("uses preview.clientOrderId over the ticket's own", () => {
    let s = startPreview(edit(initialTicket('coinbase'), form, instrument({ venue: 'coinbase', id: 'coinbase:AAPL' })));
    s = finishPreview(s, s.previewSeq, currentKey(s), preview('tpENGINE00000001'), 'tplocal', 1);
    expect(s.preview!.clientOrderId).toBe('tpENGINE00000001');
    expect(toOrderTicket(s.form, s.instrument, s.preview!.clientOrderId).clientOrderId).toBe('tpENGINE00000001');
  });
  it('falls back to its own id only when the engine sends none', () => {
    let s = startPreview(edit(initialTicket('coinbase'), form, instrument({ venue: 'coinbase', id: 'coinbase:AAPL' })));
    s = finishPreview(s, s.previewSeq, currentKey(s), preview(), 'tplocal', 1);
    expect(s.preview!.clientOrderId).toBe('tplocal');
  });
});

describe('audit filters and export', () => {
  it('builds the query from what was typed', () => {
    expect(auditQuery(emptyAuditFilters)).toEqual({ limit: 500 });
    expect(auditQuery({ action: ' killSwitch ', venue: 'paper', actor: 'ui', since: '2025-03-01 10:30' }, 10)).toEqual({
      limit: 10,
      action: 'killSwitch',
      venue: 'paper',
      actor: 'ui',
      sinceTs: Date.UTC(2025, 2, 1, 10, 30),
    });
    expect(auditQuery({ ...emptyAuditFilters, since: 'yesterday' })).toEqual({ limit: 500 });
  });
  it('parses UTC date-times', () => {
    expect(parseUtcDateTime('2025-03-01')).toBe(Date.UTC(2025, 2, 1));
    expect(parseUtcDateTime('2025-03-01T10:30:15')).toBe(Date.UTC(2025, 2, 1, 10, 30, 15));
    expect(parseUtcDateTime('')).toBeUndefined();
    expect(parseUtcDateTime('03/01/2025')).toBeUndefined();
  });
  it('names the file by UTC time', () => {
    expect(auditCsvFilename(Date.UTC(2025, 2, 1, 10, 30, 0))).toBe('tradeport-audit-20250301-103000Z.csv');
  });
  it('shows a readable detail line', () => {
    expect(auditDetailLine({ detail: { summary: 'coinbase: SHADOW → LIVE (armed)' } })).toBe('coinbase: SHADOW → LIVE (armed)');
    expect(auditDetailLine({ detail: { from: 'running', to: 'halted', reason: null } })).toBe('running → halted');
    expect(auditDetailLine({ detail: { input: {}, error: { code: 'halted', message: 'Trading is halted' } } })).toBe('halted: Trading is halted');
    expect(auditDetailLine({ detail: { a: 'x'.repeat(400) } }, 20)).toHaveLength(20);
  });
});
