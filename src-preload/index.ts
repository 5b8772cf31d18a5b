/**
 * The preload: exposes `window.tradeport` (the TradeportClient shape) and nothing else. The
 * renderer never holds ipcRenderer, an IpcRendererEvent (whose `sender` is ipcRenderer) or any
 * channel other than the three below. Sandboxed preloads can only require 'electron', so this file
 * imports nothing at runtime except the channel-name constants, which the bundler inlines.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { EngineEvent } from '../src-main/engine/api/events';
import { IPC_EVENTS, IPC_INVOKE, IPC_PREFS, type TradeportClient } from '../src-main/engine/api/transport';

export function createTradeportClient(ipc: Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>): TradeportClient {
  return {
    invoke: (command, input) => ipc.invoke(IPC_INVOKE, command, input),
    subscribe(listener) {
      const handler = (_event: unknown, events: EngineEvent[]) => listener(events);
      ipc.on(IPC_EVENTS, handler);
      return () => {
        ipc.removeListener(IPC_EVENTS, handler);
      };
    },
    transport: 'ipc',
    setNotificationPrefs: (prefs) => ipc.invoke(IPC_PREFS, prefs),
  };
}

contextBridge.exposeInMainWorld('tradeport', createTradeportClient(ipcRenderer));
