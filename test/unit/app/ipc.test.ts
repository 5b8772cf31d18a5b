import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../helpers/electron-mock'));

import * as electron from '../../helpers/electron-mock';
import { fail, ok, MAX_MESSAGE_BYTES } from '../../../src-main/engine/api/errors';
import { IPC_EVENTS, IPC_INVOKE } from '../../../src-main/engine/api/transport';
import { bindIpc, forwardEvents, isOwnRendererUrl, type IpcBinding } from '../../../src-main/app/ipc';
import { FakeEngine, orderEvent, quote } from '../../helpers/fake-engine';

const INDEX = '/app/out/renderer/index.html';

let engine: FakeEngine;
let win: electron.BrowserWindow;
let binding: IpcBinding;

function invoke(event: { sender: unknown; senderFrame: unknown }, command: unknown, input?: unknown) {
  const handler = electron.ipcMain.handlers.get(IPC_INVOKE)!;
  return handler(event, command, input) as Promise<unknown>;
}
const own = () => ({ sender: win.webContents, senderFrame: win.webContents.mainFrame });

beforeEach(() => {
  // The engine validates the input; the transport must hand its error back unchanged.
  engine = new FakeEngine((command, input) =>
    command === 'order.place' && (input as { qty?: unknown }).qty === 'abc' ? fail('invalid_quantity', "Quantity 'abc' is not a number.") : ok({ command }),
  );
  win = new electron.BrowserWindow({});
  binding = { ipcMain: electron.ipcMain as never, engine, getWindow: () => win as never, renderer: { indexFile: INDEX } };
  bindIpc(binding);
});

describe('IPC invoke', () => {
  it('calls engine.callRaw with the ipc context for our own main frame', async () => {
    expect(await invoke(own(), 'orders.list', { all: true })).toEqual({ ok: true, value: { command: 'orders.list' } });
    expect(engine.calls).toEqual([{ command: 'orders.list', input: { all: true }, ctx: { actor: 'user', transport: 'ipc' } }]);
  });

  it('refuses a subframe, another window, and a main frame showing a foreign page', async () => {
    const sub = new electron.FakeFrame(`file://${INDEX}`, 1, 2);
    sub.parent = win.webContents.mainFrame;
    const other = new electron.BrowserWindow({});
    const foreignPage = new electron.FakeFrame('https://evil.example/', 1, 1);
    const cases = [
      { sender: win.webContents, senderFrame: sub },
      { sender: other.webContents, senderFrame: other.webContents.mainFrame },
      { sender: win.webContents, senderFrame: foreignPage },
      { sender: win.webContents, senderFrame: null },
    ];
    for (const ev of cases) {
      expect(await invoke(ev, 'order.cancelAll', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(engine.calls).toEqual([]);
  });

  it('refuses everything once the window is gone', async () => {
    binding = { ...binding, getWindow: () => undefined };
    electron.ipcMain.handlers.clear();
    bindIpc(binding);
    expect(await invoke(own(), 'orders.list', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses an oversized payload without calling the engine', async () => {
    const r = await invoke(own(), 'order.place', { symbol: 'x'.repeat(MAX_MESSAGE_BYTES) });
    expect(r).toMatchObject({ ok: false, error: { code: 'message_too_large' } });
    expect(engine.calls).toEqual([]);
  });

  it('returns the engine’s own error for invalid input', async () => {
    expect(await invoke(own(), 'order.place', { qty: 'abc' })).toEqual({ ok: false, error: { code: 'invalid_quantity', message: "Quantity 'abc' is not a number." } });
  });

  it('rejects non-JSON input and a non-string command as invalid_input', async () => {
    expect(await invoke(own(), 'order.place', { qty: 10n })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await invoke(own(), 42, {})).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(engine.calls).toEqual([]);
  });

  it('accepts only the bundled index.html or the dev server origin', () => {
    expect(isOwnRendererUrl(`file://${INDEX}#/orders`, { indexFile: INDEX })).toBe(true);
    expect(isOwnRendererUrl('file:///app/out/renderer/other.html', { indexFile: INDEX })).toBe(false);
    expect(isOwnRendererUrl('file:///etc/passwd', { indexFile: INDEX })).toBe(false);
    expect(isOwnRendererUrl('http://localhost:5173/', { indexFile: INDEX })).toBe(false);
    expect(isOwnRendererUrl('http://localhost:5173/', { indexFile: INDEX, devServerUrl: 'http://localhost:5173' })).toBe(true);
    expect(isOwnRendererUrl('http://localhost:5174/', { indexFile: INDEX, devServerUrl: 'http://localhost:5173' })).toBe(false);
  });
});

describe('IPC events', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('batches per frame, conflates quotes, keeps every order event', () => {
    const stop = forwardEvents(engine, win.webContents);
    for (let i = 0; i < 500; i++) engine.emit(quote('paper:AAPL', String(i)));
    engine.emit(orderEvent('o1', 'accepted'));
    engine.emit(orderEvent('o1', 'filled'));
    vi.advanceTimersByTime(0);
    expect(win.webContents.sent).toEqual([[IPC_EVENTS, [quote('paper:AAPL', '499'), orderEvent('o1', 'accepted'), orderEvent('o1', 'filled')]]]);
    // The next frame's events wait out the rest of the 16 ms.
    engine.emit(quote('paper:AAPL', '500'));
    vi.advanceTimersByTime(8);
    expect(win.webContents.sent).toHaveLength(1);
    vi.advanceTimersByTime(8);
    expect(win.webContents.sent).toHaveLength(2);
    stop();
    expect(engine.listenerCount).toBe(0);
  });

  it('does not send to a destroyed window', () => {
    forwardEvents(engine, win.webContents);
    win.webContents.destroyed = true;
    engine.emit(orderEvent('o1', 'accepted'));
    vi.advanceTimersByTime(32);
    expect(win.webContents.sent).toEqual([]);
  });
});
