import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FakeEngine } from '../../helpers/fake-engine';

vi.mock('electron', () => import('../../helpers/electron-mock'));
vi.mock('electron-store', () => ({
  default: class {
    private data = new Map<string, unknown>();
    get(k: string) {
      return this.data.get(k);
    }
    set(k: string, v: unknown) {
      this.data.set(k, v);
    }
  },
}));
const created = vi.hoisted(() => ({ engines: [] as Array<{ engine: unknown; config: unknown }>, workingOrders: 0 }));
vi.mock('../../../src-main/engine/engine', async () => {
  const { FakeEngine: Fake } = await import('../../helpers/fake-engine');
  return {
    createEngine: async (config: unknown) => {
      const { ok } = await import('../../../src-main/engine/api/errors');
      const engine = new Fake((command) => (command === 'venues.list' ? ok([]) : command === 'killSwitch.status' ? ok({ state: 'running', workingOrders: created.workingOrders }) : ok({ command })));
      created.engines.push({ engine, config });
      return engine;
    },
  };
});

import * as electron from '../../helpers/electron-mock';
import { startDesktopApp } from '../../../src-main/app/main';
import { IPC_INVOKE } from '../../../src-main/engine/api/transport';
import { readMarker } from '../../../src-main/headless/engine-lock';

const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-userdata-'));
afterAll(() => fs.rmSync(userData, { recursive: true, force: true }));

describe('desktop app', () => {
  it('quits at once when another instance holds the single-instance lock', async () => {
    electron.app.singleInstance = false;
    await startDesktopApp();
    expect(electron.app.quit).toHaveBeenCalled();
    expect(electron.BrowserWindow.instances).toHaveLength(0);
    expect(created.engines).toHaveLength(0);
    electron.app.singleInstance = true;
    electron.app.quit.mockClear();
  });

  it('builds the engine on userData, one hardened window, IPC and a loopback bridge for the CLI', async () => {
    electron.app.userData = userData;
    await startDesktopApp();
    expect(electron.app.enableSandbox).toHaveBeenCalled();
    expect(created.engines).toHaveLength(1);
    expect(created.engines[0]!.config).toMatchObject({ dataDir: userData });
    expect((created.engines[0]!.config as { secrets: object }).secrets.constructor.name).toBe('KeytarSecretStore');

    const [win] = electron.BrowserWindow.instances;
    expect(win!.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect((win!.options.webPreferences as { preload: string }).preload).toMatch(/preload[/\\]index\.js$/);
    expect(win!.loaded[0]).toMatch(/renderer[/\\]index\.html$/);
    expect(electron.ipcMain.handlers.has(IPC_INVOKE)).toBe(true);
    expect(electron.session.defaultSession.headersListener).toBeDefined();

    const marker = readMarker(userData);
    expect(marker).toMatchObject({ pid: process.pid, host: '127.0.0.1' });
    expect(marker!.port).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(userData, 'bridge-token'), 'utf8').trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('installs the application menu with the trading commands, a tray and a window close that asks through Quit', async () => {
    const labels = (electron.Menu.applicationMenu?.items ?? []).flatMap((i) => [i.label ?? i.role, ...(i.submenu ?? []).map((x) => x.label ?? x.role)]);
    expect(labels).toEqual(expect.arrayContaining(['Trading', 'Kill Switch…', 'Cancel All Orders…', 'Reconcile Now', 'editMenu', 'togglefullscreen']));
    const [tray] = electron.Tray.instances;
    expect(tray!.tooltip).toBe('Tradeport — No venues · 0 working orders');
    const [win] = electron.BrowserWindow.instances;
    const close = { preventDefault: vi.fn() };
    electron.app.quit.mockClear();
    win!.emit('close', close);
    expect(close.preventDefault).toHaveBeenCalled();
    expect(electron.app.quit).toHaveBeenCalled();
  });

  it('asks before quitting with working orders: Cancel keeps the app running', async () => {
    created.workingOrders = 3;
    electron.dialog.nextResponse = 0;
    const event = { preventDefault: vi.fn() };
    electron.app.emit('before-quit', event);
    expect(event.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(electron.dialog.showMessageBox).toHaveBeenCalled());
    expect(electron.dialog.showMessageBox.mock.calls[0]![0]).toMatchObject({ message: 'Quit Tradeport with 3 working orders?' });
    // Let the answer settle: nothing shuts down.
    await electron.dialog.showMessageBox.mock.results[0]!.value;
    await Promise.resolve();
    expect(electron.app.exit).not.toHaveBeenCalled();
    expect((created.engines[0]!.engine as FakeEngine).closed).toBe(false);
    created.workingOrders = 0;
  });

  it('closes the bridge and the engine before the process exits', async () => {
    const event = { preventDefault: vi.fn() };
    electron.app.emit('before-quit', event);
    expect(event.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(electron.app.exit).toHaveBeenCalledWith(0));
    expect((created.engines[0]!.engine as FakeEngine).closed).toBe(true);
    expect(readMarker(userData)).toBeUndefined();
    expect(fs.existsSync(path.join(userData, 'engine.lock'))).toBe(false);
    expect(electron.ipcMain.handlers.has(IPC_INVOKE)).toBe(false);
    expect(electron.Tray.instances[0]!.destroyed).toBe(true);
  });
});
