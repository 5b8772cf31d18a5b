import { describe, expect, it, vi } from 'vitest';
import { ok, fail } from '../../../src-main/engine/api/errors';
import type { KillSwitchStatus, VenueInfo } from '../../../src-main/engine/api/commands';
import { NotableEvents } from '../../../src-main/engine/api/notable-events';
import { shellStatus } from '../../../src-main/app/shell-status';
import { menuTemplate, type MenuActions } from '../../../src-main/app/menu';
import { quitQuestion, confirmQuit } from '../../../src-main/app/quit-guard';
import { shellActions } from '../../../src-main/app/shell-actions';
import { createShellTray, dotBitmap, LEVEL_COLOURS } from '../../../src-main/app/tray';
import { startOsNotifications } from '../../../src-main/app/notifications';
import { FakeEngine } from '../../helpers/fake-engine';
import * as electron from '../../helpers/electron-mock';

const venue = (name: string, state: VenueInfo['state'], extra: Partial<VenueInfo> = {}): VenueInfo =>
  ({ name, kind: name === 'paper' ? 'paper' : 'ibkr', label: name, state, mode: name === 'paper' ? 'paper' : 'shadow', detail: '', settings: {}, since: 1, ...extra }) as VenueInfo;
const ks = (state: KillSwitchStatus['state'], workingOrders = 0, extra: Partial<KillSwitchStatus> = {}): KillSwitchStatus =>
  ({ version: 1, state, reason: null, actor: null, trippedAt: null, flatten: false, flattenPending: false, lastReset: null, workingOrders, ...extra }) as KillSwitchStatus;

describe('shell status (tray)', () => {
  it('is ok when every venue is connected, with the working-order count', () => {
    const s = shellStatus([venue('paper', 'connected'), venue('ib', 'connected')], ks('running', 2));
    expect(s).toMatchObject({ level: 'ok', tooltip: 'Tradeport — All venues connected · 2 working orders', killSwitchTripped: false });
    expect(s.venueLines).toEqual(['ib — connected (SHADOW)', 'paper — connected']);
  });
  it('names the venues in trouble, the worst level wins, and the kill switch outranks everything', () => {
    expect(shellStatus([venue('ib', 'connecting'), venue('paper', 'connected')], ks('running', 1))).toMatchObject({ level: 'degraded', tooltip: 'Tradeport — ib connecting · 1 working order' });
    expect(shellStatus([venue('ib', 'connecting'), venue('alp', 'error')], undefined)).toMatchObject({ level: 'down', tooltip: 'Tradeport — alp error, ib connecting' });
    expect(shellStatus([venue('ib', 'error')], ks('reducing', 0))).toMatchObject({ level: 'killed', tooltip: 'Tradeport — Kill switch REDUCING · 0 working orders', killSwitchTripped: true });
  });
});

describe('tray', () => {
  it('draws an opaque dot in the level colour (BGRA), transparent in the corners', () => {
    const b = dotBitmap(LEVEL_COLOURS.down, 16);
    const at = (x: number, y: number) => [...b.subarray((y * 16 + x) * 4, (y * 16 + x) * 4 + 4)];
    expect(at(8, 8)).toEqual([51, 54, 218, 255]);
    expect(at(0, 0)[3]).toBe(0);
  });

  it('follows venue and kill-switch events, and its Kill switch item trips through the shared action', async () => {
    let state = ks('running', 0);
    const engine = new FakeEngine((command) => (command === 'venues.list' ? ok([venue('paper', 'connected')]) : command === 'killSwitch.status' ? ok(state) : ok(null)));
    const trip = vi.fn(async () => {
      state = ks('halted', 0, { reason: 'tray' });
    });
    const show = vi.fn();
    const t = await createShellTray({
      Tray: electron.Tray as never,
      Menu: electron.Menu as never,
      nativeImage: electron.nativeImage as never,
      engine,
      showWindow: show,
      tripKillSwitch: trip,
      quit: vi.fn(),
    });
    const tray = electron.Tray.instances.at(-1)!;
    expect(tray.tooltip).toBe('Tradeport — All venues connected · 0 working orders');
    engine.emit({ type: 'venue', venue: venue('ib', 'disconnected') });
    expect(t.status().level).toBe('down');
    expect(tray.tooltip).toBe('Tradeport — ib disconnected · 0 working orders');
    expect(tray.image.bitmap).toEqual(dotBitmap(LEVEL_COLOURS.down, 16));
    tray.emit('click');
    expect(show).toHaveBeenCalled();

    const item = tray.menu!.items.find((i) => i.label === 'Kill switch…')!;
    item.click!();
    await vi.waitFor(() => expect(tray.menu!.items.some((i) => i.label === 'Kill switch is on' && i.enabled === false)).toBe(true));
    expect(trip).toHaveBeenCalledTimes(1);
    expect(t.status().level).toBe('killed');
    t.destroy();
    expect(tray.destroyed).toBe(true);
    expect(engine.listenerCount).toBe(0);
  });
});

describe('application menu', () => {
  const actions: MenuActions = { killSwitch: vi.fn(), cancelAll: vi.fn(), reconcile: vi.fn(), openDataFolder: vi.fn(), showWindow: vi.fn() };
  const flat = (t: ReturnType<typeof menuTemplate>) => t.flatMap((i) => [i, ...((i.submenu as typeof t) ?? [])]);
  it('uses the standard roles, with the macOS app menu only on macOS and dev tools only in development', () => {
    const mac = flat(menuTemplate({ platform: 'darwin', dev: false, actions }));
    const win = flat(menuTemplate({ platform: 'win32', dev: true, actions }));
    expect(mac.some((i) => i.role === 'appMenu')).toBe(true);
    expect(win.some((i) => i.role === 'appMenu')).toBe(false);
    expect(mac.some((i) => i.role === 'toggleDevTools')).toBe(false);
    expect(win.some((i) => i.role === 'toggleDevTools')).toBe(true);
    expect(win.some((i) => i.role === 'about')).toBe(true);
    for (const role of ['editMenu', 'reload', 'zoomIn', 'togglefullscreen', 'windowMenu']) expect(mac.some((i) => i.role === role)).toBe(true);
  });
  it('wires the trading commands to the actions, with no accelerator stealing the window hotkey', () => {
    const items = flat(menuTemplate({ platform: 'linux', dev: false, actions }));
    const byLabel = (l: string) => items.find((i) => i.label === l)!;
    (byLabel('Kill Switch…').click as () => void)();
    (byLabel('Cancel All Orders…').click as () => void)();
    (byLabel('Reconcile Now').click as () => void)();
    expect(actions.killSwitch).toHaveBeenCalled();
    expect(actions.cancelAll).toHaveBeenCalled();
    expect(actions.reconcile).toHaveBeenCalled();
    expect(items.filter((i) => i.accelerator)).toEqual([]);
  });
});

describe('shell actions', () => {
  const rig = (answer: boolean, working = 2) => {
    const engine = new FakeEngine((command) =>
      command === 'killSwitch.status' ? ok(ks('running', working)) : command === 'order.cancelAll' ? fail('venue_unavailable', 'ib is disconnected') : ok({}),
    );
    const asked: string[] = [];
    const told: string[] = [];
    const a = shellActions({
      engine,
      ask: async (q) => {
        asked.push(q.message);
        return answer;
      },
      tell: (_k, m, d) => told.push(`${m}${d ? `: ${d}` : ''}`),
      openDataFolder: vi.fn(),
      showWindow: vi.fn(),
    });
    return { engine, a, asked, told };
  };
  it('trips the kill switch as the user only after the trader confirms', async () => {
    const no = rig(false);
    await no.a.tripKillSwitch();
    expect(no.engine.calls.map((c) => c.command)).not.toContain('killSwitch.trip');
    const yes = rig(true);
    await yes.a.tripKillSwitch();
    const call = yes.engine.calls.find((c) => c.command === 'killSwitch.trip')!;
    expect(call.ctx).toEqual({ actor: 'user', transport: 'internal' });
    expect(call.input).toMatchObject({ mode: 'halted' });
  });
  it('cancel all asks with the count and reports the engine’s refusal', async () => {
    const r = rig(true, 2);
    await r.a.cancelAllNow();
    expect(r.asked).toEqual(['Cancel 2 working orders on every venue?']);
    expect(r.told).toEqual(['Cancel all failed: ib is disconnected']);
    const none = rig(true, 0);
    await none.a.cancelAllNow();
    expect(none.asked).toEqual([]);
    expect(none.told).toEqual(['There are no working orders to cancel.']);
  });
});

describe('quit guard', () => {
  it('asks only with work in flight, and says what happens to it', async () => {
    expect(quitQuestion({ workingOrders: 0, runningStrategies: 0 })).toBeUndefined();
    expect(quitQuestion({ workingOrders: 1, runningStrategies: 2 })!.message).toBe('Quit Tradeport with 1 working order and 2 running strategies?');
    expect(quitQuestion({ workingOrders: 0, runningStrategies: 1 })!.detail).toBe('Running strategies stop placing orders until Tradeport runs again.');
    const engine = new FakeEngine(() => ok(ks('running', 4)));
    const ask = vi.fn(async () => false);
    expect(await confirmQuit({ engine, runningStrategies: async () => 0, ask })).toBe(false);
    expect(ask).toHaveBeenCalledWith(expect.objectContaining({ message: 'Quit Tradeport with 4 working orders?' }));
  });
});

describe('notable events and OS notifications', () => {
  it('tells of a fill, a reject once, a venue lost and back, a breaker opening and a kill-switch trip', () => {
    const n = new NotableEvents();
    const fill = {
      id: 'f1',
      orderId: 'o1',
      clientOrderId: 'c1',
      venue: 'paper',
      venueFillId: 'v1',
      instrumentId: 'paper:AAPL',
      symbol: 'AAPL',
      side: 'buy',
      qty: '10',
      price: '187.5',
      fee: '0',
      feeCurrency: 'USD',
      liquidity: 'taker',
      ts: 1,
    } as const;
    expect(n.next({ type: 'fill', fill })).toMatchObject({ kind: 'fill', title: 'Bought 10 AAPL @ 187.5', body: 'paper', urgent: false });
    expect(n.next({ type: 'fill', fill })).toBeUndefined();
    const rejected = { id: 'o2', symbol: 'AAPL', side: 'sell', qty: '5', venue: 'ib', status: 'rejected', rejectReason: 'No shares to sell' } as never;
    expect(n.next({ type: 'order', order: rejected })).toMatchObject({ kind: 'reject', title: 'Order rejected: sell 5 AAPL', body: 'ib: No shares to sell' });
    expect(n.next({ type: 'order', order: rejected })).toBeUndefined();
    expect(n.next({ type: 'venue', venue: venue('ib', 'connected', { since: 1 }) })).toBeUndefined();
    expect(n.next({ type: 'venue', venue: venue('ib', 'disconnected', { since: 2, detail: 'TWS closed the socket' }) })).toMatchObject({
      kind: 'venueDown',
      title: 'ib disconnected',
      body: 'TWS closed the socket',
    });
    expect(n.next({ type: 'venue', venue: venue('ib', 'error', { since: 3 }) })).toBeUndefined();
    expect(n.next({ type: 'venue', venue: venue('ib', 'connected', { since: 4 }) })).toMatchObject({ kind: 'venueUp', title: 'ib connected again' });
    const breaker = (state: 'open' | 'closed', since: number) => ({
      type: 'venueHealth' as const,
      venue: 'ib',
      usage: null,
      breaker: { state, consecutiveFailures: 5, since, reason: '5 consecutive failures' },
    });
    expect(n.next(breaker('open', 5))).toMatchObject({ kind: 'breaker', title: 'ib: circuit breaker open' });
    expect(n.next(breaker('open', 5))).toBeUndefined();
    expect(n.next(breaker('closed', 6))).toBeUndefined();
    expect(n.next({ type: 'killSwitch', state: ks('halted', 3, { reason: 'daily loss', actor: 'system', trippedAt: 7 }) })).toMatchObject({
      kind: 'killSwitch',
      title: 'Kill switch HALTED',
      body: 'daily loss (by system). 3 working orders.',
    });
    expect(n.next({ type: 'killSwitch', state: ks('halted', 0, { trippedAt: 7 }) })).toBeUndefined();
  });

  it('shows enabled kinds as OS notifications, silent unless sound is on, and a click shows the window', () => {
    const engine = new FakeEngine();
    const show = vi.fn();
    electron.Notification.shown.length = 0;
    const stop = startOsNotifications({ Notification: electron.Notification as never, engine, enabled: (k) => k !== 'venueUp', sound: () => false, showWindow: show });
    engine.emit({ type: 'venue', venue: venue('ib', 'disconnected', { since: 1 }) });
    engine.emit({ type: 'venue', venue: venue('ib', 'connected', { since: 2 }) });
    engine.emit({ type: 'venue', venue: venue('ib', 'disconnected', { since: 3 }) });
    expect(electron.Notification.shown.map((x) => x.options.title)).toEqual(['ib disconnected']);
    expect(electron.Notification.shown[0]!.options).toMatchObject({ silent: true, urgency: 'critical' });
    electron.Notification.shown[0]!.emit('click');
    expect(show).toHaveBeenCalled();
    stop();
    expect(engine.listenerCount).toBe(0);
  });
});
