import { describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../../src-main/engine/api/events';
import { DEFAULT_PREFS, MAX_TOASTS, TOAST_MS, emptyAlerts, expire, nextExpiry, parsePrefs, receive, shellPrefs } from '../../../src-renderer/src/features/alerts/alerts-model';
import { PREFS_KEY, alertsFeed, createAlertsStore, syncShellNotifications, type AlertsEnv } from '../../../src-renderer/src/features/alerts/alerts-store';

const fill = (id: string, qty = '1'): EngineEvent => ({
  type: 'fill',
  fill: {
    id,
    orderId: `o-${id}`,
    clientOrderId: `c-${id}`,
    venue: 'paper',
    venueFillId: id,
    instrumentId: 'paper:ETH/USD',
    symbol: 'ETH/USD',
    side: 'buy',
    qty,
    price: '3000',
    fee: '0.3',
    feeCurrency: 'USD',
    liquidity: 'taker',
    ts: 1,
  },
});
const rejected = (id: string): EngineEvent => ({
  type: 'order',
  order: { id, symbol: 'ETH/USD', side: 'sell', qty: '2', venue: 'paper', status: 'rejected', rejectReason: 'Insufficient ETH' } as never,
});

function env(now: { t: number }) {
  const timers: Array<{ fn: () => void; at: number; h: number }> = [];
  let h = 0;
  const mem = new Map<string, string>();
  const e: AlertsEnv & { timers: typeof timers; mem: typeof mem; run(): void } = {
    storage: { getItem: (k) => mem.get(k) ?? null, setItem: (k, v) => void mem.set(k, v) },
    now: () => now.t,
    setTimer: (fn, ms) => {
      timers.push({ fn, at: now.t + ms, h: ++h });
      return h;
    },
    clearTimer: (x) => {
      const i = timers.findIndex((t) => t.h === x);
      if (i >= 0) timers.splice(i, 1);
    },
    desktop: vi.fn(),
    beep: vi.fn(),
    timers,
    mem,
    run() {
      for (const t of timers.filter((x) => x.at <= now.t)) {
        timers.splice(timers.indexOf(t), 1);
        t.fn();
      }
    },
  };
  return e;
}

describe('alerts model', () => {
  it('toasts a notable event for TOAST_MS, urgent ones until dismissed, and logs everything', () => {
    let s = emptyAlerts();
    s = receive(s, { kind: 'fill', title: 'Bought', body: '', urgent: false, key: 'a' }, 1000).state;
    s = receive(s, { kind: 'reject', title: 'Rejected', body: '', urgent: true, key: 'b' }, 2000).state;
    expect(nextExpiry(s)).toBe(1000 + TOAST_MS);
    s = expire(s, 1000 + TOAST_MS);
    expect(s.toasts.map((t) => t.title)).toEqual(['Rejected']);
    expect(s.log).toHaveLength(2);
    expect(s.unread).toBe(2);
  });
  it('keeps at most MAX_TOASTS on screen, dropping the oldest non-urgent first', () => {
    let s = emptyAlerts();
    s = receive(s, { kind: 'reject', title: 'R', body: '', urgent: true, key: 'r' }, 0).state;
    for (let i = 0; i < MAX_TOASTS + 2; i++) s = receive(s, { kind: 'fill', title: `F${i}`, body: '', urgent: false, key: `f${i}` }, i).state;
    expect(s.toasts).toHaveLength(MAX_TOASTS);
    expect(s.toasts[0]!.title).toBe('R');
    expect(s.toasts.at(-1)!.title).toBe(`F${MAX_TOASTS + 1}`);
  });
  it('a kind switched off is logged but not shown', () => {
    const s = emptyAlerts({ ...DEFAULT_PREFS, kinds: { ...DEFAULT_PREFS.kinds, fill: false } });
    const r = receive(s, { kind: 'fill', title: 'F', body: '', urgent: false, key: 'f' }, 0);
    expect(r.shown).toBeUndefined();
    expect(r.state.toasts).toEqual([]);
    expect(r.state.log).toHaveLength(1);
  });
  it('reads stored preferences defensively', () => {
    expect(parsePrefs('{not json')).toEqual(DEFAULT_PREFS);
    expect(parsePrefs(JSON.stringify({ kinds: { fill: false, bogus: true, reject: 'yes' }, sound: true }))).toEqual({ ...DEFAULT_PREFS, kinds: { ...DEFAULT_PREFS.kinds, fill: false }, sound: true });
  });
});

describe('alerts feed', () => {
  it('toasts every fill in a batch (none conflated), announces by sound and desktop when on, and expires on one timer', () => {
    const now = { t: 10_000 };
    const e = env(now);
    const store = createAlertsStore(e);
    store.getState().setPrefs({ ...store.getState().prefs, sound: true, desktop: true });
    expect(JSON.parse(e.mem.get(PREFS_KEY)!)).toMatchObject({ sound: true, desktop: true });
    const feed = alertsFeed(store, e);
    feed.onEvents([fill('1'), fill('2', '0.5'), rejected('x'), rejected('x')]);
    expect(store.getState().toasts.map((t) => t.title)).toEqual(['Bought 1 ETH/USD @ 3000', 'Bought 0.5 ETH/USD @ 3000', 'Order rejected: sell 2 ETH/USD']);
    expect(e.beep).toHaveBeenCalledTimes(3);
    expect(e.desktop).toHaveBeenCalledTimes(3);
    expect(e.timers).toHaveLength(1);
    now.t += TOAST_MS;
    e.run();
    expect(store.getState().toasts.map((t) => t.kind)).toEqual(['reject']);
    expect(e.timers).toHaveLength(0);
    store.getState().dismiss(store.getState().toasts[0]!.id);
    expect(store.getState().toasts).toEqual([]);
    store.getState().markRead();
    expect(store.getState().unread).toBe(0);
    feed.stop();
  });
  it('tells daily loss near then hit once each per day and scope, and a paused strategy with its cause; each kind switchable', () => {
    const now = { t: 0 };
    const e = env(now);
    const store = createAlertsStore(e);
    const feed = alertsFeed(store, e);
    const loss = (level: 'near' | 'hit', amount: string, dayStart = 0): EngineEvent => ({
      type: 'dailyLoss',
      alert: { level, scope: 'global limit', venue: 'paper', loss: amount, limit: '1000', currency: 'USD', dayStart, ts: 1 },
    });
    const paused = (cause: 'breaker' | 'market_closed' | 'kill_switch' | 'trader', ts: number): EngineEvent => ({
      type: 'strategyPaused',
      strategyId: 's-1',
      kind: 'twap',
      venue: 'paper',
      symbol: 'ETH/USD',
      cause,
      reason: cause === 'breaker' ? 'paper: too many failures' : 'why',
      ts,
    });
    feed.onEvents([loss('near', '905.00'), loss('near', '950.00'), loss('hit', '1010.00'), paused('breaker', 5), paused('market_closed', 6)]);
    expect(store.getState().toasts.map((t) => [t.kind, t.title, t.urgent])).toEqual([
      ['dailyLoss', 'Daily loss limit near: −905.00 USD', true],
      ['dailyLoss', 'Daily loss limit hit: −1010.00 USD', true],
      ['strategyPaused', 'Strategy paused: twap ETH/USD (circuit breaker open)', true],
      ['strategyPaused', 'Strategy paused: twap ETH/USD (market closed)', true],
    ]);
    expect(store.getState().toasts[2]!.body).toBe('paper · s-1: paper: too many failures');
    // The next day is told again; switched off, it is logged but not shown.
    store.getState().setPrefs({ ...store.getState().prefs, kinds: { ...store.getState().prefs.kinds, dailyLoss: false, strategyPaused: false } });
    const before = store.getState().log.length;
    feed.onEvents([loss('near', '920.00', 86_400_000), paused('trader', 7)]);
    expect(store.getState().toasts).toHaveLength(4);
    expect(store.getState().log.length).toBe(before + 2);
    feed.stop();
  });
  it('preferences survive a new store (a reload)', () => {
    const e = env({ t: 0 });
    createAlertsStore(e)
      .getState()
      .setPrefs({ ...DEFAULT_PREFS, kinds: { ...DEFAULT_PREFS.kinds, venueUp: false } });
    expect(createAlertsStore(e).getState().prefs.kinds.venueUp).toBe(false);
  });
});

describe('alert switches reach the desktop shell', () => {
  it('maps the switches to the kinds off and sound', () => {
    expect(shellPrefs({ ...DEFAULT_PREFS, kinds: { ...DEFAULT_PREFS.kinds, fill: false, breaker: false }, sound: true })).toEqual({ off: ['fill', 'breaker'], sound: true });
    expect(shellPrefs(DEFAULT_PREFS)).toEqual({ off: [], sound: false });
  });

  it('sends the stored switches at start and each change, and reports a refusal or a failed send', async () => {
    const e = env({ t: 0 });
    e.mem.set(PREFS_KEY, JSON.stringify({ kinds: { reject: false }, sound: true }));
    const store = createAlertsStore(e);
    const sent: unknown[] = [];
    const errors: string[] = [];
    let answer: () => Promise<{ ok: boolean }> = async () => ({ ok: true });
    const stop = syncShellNotifications(
      store,
      (p) => {
        sent.push(p);
        return answer();
      },
      (why) => errors.push(why),
    );
    expect(sent).toEqual([{ off: ['reject'], sound: true }]);
    store.getState().markRead();
    expect(sent).toHaveLength(1);
    answer = async () => ({ ok: false });
    store.getState().setPrefs({ ...store.getState().prefs, kinds: { ...store.getState().prefs.kinds, fill: false } });
    answer = () => Promise.reject(new Error('ipc gone'));
    store.getState().setPrefs({ ...store.getState().prefs, sound: false });
    expect(sent).toEqual([
      { off: ['reject'], sound: true },
      { off: ['fill', 'reject'], sound: true },
      { off: ['fill', 'reject'], sound: false },
    ]);
    await vi.waitFor(() => expect(errors).toHaveLength(2));
    expect(errors).toEqual(['The desktop app refused the notification settings.', 'The notification settings did not reach the desktop app.']);
    stop();
    store.getState().setPrefs(DEFAULT_PREFS);
    expect(sent).toHaveLength(3);
  });
});
