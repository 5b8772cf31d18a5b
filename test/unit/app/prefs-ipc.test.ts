import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../helpers/electron-mock'));

import * as electron from '../../helpers/electron-mock';
import type { NotableKind } from '../../../src-main/engine/api/notable-events';
import { IPC_PREFS, type ShellNotificationPrefs } from '../../../src-main/engine/api/transport';
import { bindPrefsIpc } from '../../../src-main/app/prefs-ipc';
import { startOsNotifications } from '../../../src-main/app/notifications';
import { FakeEngine } from '../../helpers/fake-engine';

const INDEX = '/app/out/renderer/index.html';

let win: electron.BrowserWindow;
let saved: ShellNotificationPrefs[];
let unbind: () => void;

const own = () => ({ sender: win.webContents, senderFrame: win.webContents.mainFrame });
const send = (event: unknown, input: unknown) => electron.ipcMain.handlers.get(IPC_PREFS)!(event, input) as unknown;

beforeEach(() => {
  electron.ipcMain.handlers.clear();
  win = new electron.BrowserWindow({});
  saved = [];
  unbind = bindPrefsIpc({ ipcMain: electron.ipcMain as never, getWindow: () => win as never, renderer: { indexFile: INDEX }, save: (p) => saved.push(p) });
});

describe('notification switches over IPC', () => {
  it('stores the switches sent by our own window, de-duplicated', () => {
    expect(send(own(), { off: ['fill', 'venueUp', 'fill'], sound: true })).toEqual({ ok: true, value: null });
    expect(saved).toEqual([{ off: ['fill', 'venueUp'], sound: true }]);
  });

  it('refuses another window and a subframe without storing anything', () => {
    const other = new electron.BrowserWindow({});
    const sub = new electron.FakeFrame(`file://${INDEX}`, 1, 2);
    sub.parent = win.webContents.mainFrame;
    for (const ev of [
      { sender: other.webContents, senderFrame: other.webContents.mainFrame },
      { sender: win.webContents, senderFrame: sub },
    ]) {
      expect(send(ev, { off: [], sound: false })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(saved).toEqual([]);
  });

  it('refuses unknown kinds, a non-boolean sound, extra fields and non-objects with a message naming the kinds', () => {
    const bad = [{ off: ['fills'], sound: false }, { off: [], sound: 'yes' }, { off: [], sound: false, extra: 1 }, null, 'off', { off: 'fill', sound: false }];
    for (const input of bad) {
      const r = send(own(), input) as { ok: false; error: { code: string; message: string } };
      expect(r.ok).toBe(false);
      expect(r.error.code).toBe('invalid_input');
      expect(r.error.message).toContain('fill, reject');
    }
    expect(saved).toEqual([]);
  });

  it('answers internal when the store cannot save', () => {
    unbind();
    bindPrefsIpc({
      ipcMain: electron.ipcMain as never,
      getWindow: () => win as never,
      renderer: { indexFile: INDEX },
      save: () => {
        throw new Error('disk full');
      },
    });
    expect(send(own(), { off: [], sound: false })).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('unbinds its channel', () => {
    unbind();
    expect(electron.ipcMain.handlers.has(IPC_PREFS)).toBe(false);
  });

  it('the OS notifications follow the switches the window sent, from the next event on', () => {
    let current: ShellNotificationPrefs = { off: [], sound: false };
    unbind();
    bindPrefsIpc({ ipcMain: electron.ipcMain as never, getWindow: () => win as never, renderer: { indexFile: INDEX }, save: (p) => (current = p) });
    const engine = new FakeEngine();
    electron.Notification.shown.length = 0;
    const stop = startOsNotifications({
      Notification: electron.Notification as never,
      engine,
      enabled: (k: NotableKind) => !current.off.includes(k),
      sound: () => current.sound,
      showWindow: () => undefined,
    });
    const venue = (state: string, since: number) => ({ type: 'venue', venue: { name: 'ib', kind: 'ibkr', label: 'ib', state, mode: 'live', detail: '', settings: {}, since } }) as never;
    engine.emit(venue('connected', 1));
    engine.emit(venue('disconnected', 2));
    engine.emit(venue('connected', 3));
    send(own(), { off: ['venueUp'], sound: true });
    engine.emit(venue('disconnected', 4));
    engine.emit(venue('connected', 5));
    expect(electron.Notification.shown.map((n) => [n.options.title, n.options.silent])).toEqual([
      ['ib disconnected', true],
      ['ib connected again', true],
      ['ib disconnected', false],
    ]);
    stop();
  });
});
