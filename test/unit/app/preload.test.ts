import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../helpers/electron-mock'));

import * as electron from '../../helpers/electron-mock';
import { IPC_EVENTS, IPC_INVOKE, IPC_PREFS } from '../../../src-main/engine/api/transport';

describe('preload', async () => {
  await import('../../../src-preload/index');
  const [name, api] = electron.contextBridge.exposeInMainWorld.mock.calls[0]! as [string, Record<string, unknown>];

  it('exposes exactly window.tradeport = {invoke, setNotificationPrefs, subscribe, transport:"ipc"}', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect(name).toBe('tradeport');
    expect(Object.keys(api).sort()).toEqual(['invoke', 'setNotificationPrefs', 'subscribe', 'transport']);
    expect(api.transport).toBe('ipc');
    expect(typeof api.invoke).toBe('function');
    expect(typeof api.subscribe).toBe('function');
  });

  it('never hands ipcRenderer (or any part of it) to the page', () => {
    for (const v of Object.values(api)) {
      expect(v).not.toBe(electron.ipcRenderer);
      expect(Object.values(electron.ipcRenderer)).not.toContain(v);
    }
  });

  it('invokes only the allow-listed channel', async () => {
    const invoke = api.invoke as (c: string, i?: unknown) => Promise<unknown>;
    await invoke('orders.list', { all: true });
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith(IPC_INVOKE, 'orders.list', { all: true });
    expect(electron.ipcRenderer.send).not.toHaveBeenCalled();
    expect(electron.ipcRenderer.sendSync).not.toHaveBeenCalled();
  });

  it('sends the notification switches on their own channel only', async () => {
    const set = api.setNotificationPrefs as (p: unknown) => Promise<unknown>;
    await set({ off: ['fill'], sound: true });
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(IPC_PREFS, { off: ['fill'], sound: true });
  });

  it('delivers event batches without the IpcRendererEvent, and unsubscribes', () => {
    const subscribe = api.subscribe as (l: (events: unknown[]) => void) => () => void;
    const listener = vi.fn();
    const off = subscribe(listener);
    expect(electron.ipcRenderer.on).toHaveBeenCalledTimes(1);
    const [channel, handler] = electron.ipcRenderer.on.mock.calls[0]! as [string, (...a: unknown[]) => void];
    expect(channel).toBe(IPC_EVENTS);
    const ipcEvent = { sender: electron.ipcRenderer, senderId: 0 };
    handler(ipcEvent, [{ type: 'notice', level: 'info', message: 'hi', ts: 1 }]);
    expect(listener).toHaveBeenCalledWith([{ type: 'notice', level: 'info', message: 'hi', ts: 1 }]);
    expect(listener.mock.calls[0]).toHaveLength(1);
    off();
    expect(electron.ipcRenderer.removeListener).toHaveBeenCalledWith(IPC_EVENTS, handler);
  });
});
