/**
 * The desktop shell: one engine, one window, the IPC binding, and a loopback bridge so the CLI can
 * reach the engine this app owns. Everything a trader can do lives in the engine.
 */
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, Notification, session, shell, Tray } from 'electron';
import type { Engine } from '../engine/engine';
import { KeytarSecretStore } from '../engine/ports/secrets-keytar';
import { acquireEngineLock, EngineLockedError, type EngineLock } from '../headless/engine-lock';
import { startHeadlessServer, type HeadlessServer } from '../headless/server';
import { bindIpc, forwardEvents, type RendererLocation } from './ipc';
import { openUiPrefs } from './prefs';
import { bindPrefsIpc } from './prefs-ipc';
import { createMainWindow, hardenWebContents, installSessionSecurity } from './window';
import { menuTemplate } from './menu';
import { startOsNotifications } from './notifications';
import { confirmQuit } from './quit-guard';
import { shellActions } from './shell-actions';
import { createShellTray, type ShellTray } from './tray';

/** Running strategies (not paused or stopped), for the quit question. */
async function runningStrategies(engine: Engine): Promise<number> {
  const r = await engine.call('strategy.list', {});
  return r.ok ? r.value.filter((s) => s.state === 'running' || s.state === 'paused_market').length : 0;
}

export async function startDesktopApp(): Promise<void> {
  // A second copy would fight over the data dir; hand focus to the first one instead.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.enableSandbox();
  app.on('web-contents-created', (_event, wc) => hardenWebContents(wc));

  let win: BrowserWindow | undefined;
  app.on('second-instance', () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  await app.whenReady();

  const dataDir = app.getPath('userData');
  const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
  const renderer: RendererLocation = { indexFile: path.join(__dirname, '../renderer/index.html'), devServerUrl };

  let lock: EngineLock;
  try {
    lock = acquireEngineLock(dataDir);
  } catch (e) {
    if (e instanceof EngineLockedError) {
      dialog.showErrorBox('Tradeport is already running', e.message);
      app.exit(1);
      return;
    }
    throw e;
  }

  let engine: Engine | undefined;
  let bridge: HeadlessServer | undefined;
  let stopEvents: (() => void) | undefined;
  let unbindIpc: (() => void) | undefined;
  let unbindPrefsIpc: (() => void) | undefined;
  let stopNotifications: (() => void) | undefined;
  let tray: ShellTray | undefined;
  let shuttingDown = false;
  let asking = false;

  const showWindow = () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  const shutdown = async () => {
    tray?.destroy();
    stopNotifications?.();
    stopEvents?.();
    unbindIpc?.();
    unbindPrefsIpc?.();
    await bridge?.close().catch(() => undefined);
    await engine?.close().catch(() => undefined);
    lock.release();
  };

  app.on('before-quit', (event) => {
    if (shuttingDown) return;
    event.preventDefault();
    if (asking) return;
    // Working orders or running strategies: ask first. Then closing the engine flushes the journal.
    asking = true;
    const eng = engine;
    const go = eng
      ? confirmQuit({
          engine: eng,
          runningStrategies: () => runningStrategies(eng),
          ask: async (q) => (await dialog.showMessageBox({ type: 'warning', message: q.message, detail: q.detail, buttons: ['Cancel', 'Quit Anyway'], defaultId: 0, cancelId: 0 })).response === 1,
        }).catch(() => true)
      : Promise.resolve(true);
    void go.then((quit) => {
      asking = false;
      if (!quit) return;
      shuttingDown = true;
      void shutdown().finally(() => app.exit(0));
    });
  });
  app.on('window-all-closed', () => app.quit());

  try {
    const { createEngine } = await import('../engine/engine');
    engine = await createEngine({ dataDir, secrets: new KeytarSecretStore(), version: app.getVersion() });
    installSessionSecurity(session.defaultSession, { dev: Boolean(devServerUrl) });

    const prefs = await openUiPrefs(dataDir).catch(() => undefined);
    win = createMainWindow({ preloadPath: path.join(__dirname, '../preload/index.js'), bounds: prefs?.windowBounds() });
    const w = win;
    w.on('close', (event) => {
      prefs?.setWindowBounds(w.getBounds());
      // Closing the window quits, through the same question as Quit: answering Cancel keeps the window.
      if (shuttingDown) return;
      event.preventDefault();
      app.quit();
    });

    unbindIpc = bindIpc({ ipcMain, engine, getWindow: () => win, renderer });
    stopEvents = forwardEvents(engine, w.webContents);
    unbindPrefsIpc = bindPrefsIpc({ ipcMain, getWindow: () => win, renderer, save: (p) => prefs?.setNotifications(p) });

    const eng = engine;
    const actions = shellActions({
      engine: eng,
      ask: async (q) => (await dialog.showMessageBox({ type: 'warning', message: q.message, detail: q.detail, buttons: ['Cancel', q.confirm], defaultId: 0, cancelId: 0 })).response === 1,
      tell: (kind, message, detail) => void dialog.showMessageBox({ type: kind, message, detail, buttons: ['OK'] }),
      openDataFolder: () => void shell.openPath(dataDir),
      showWindow,
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ platform: process.platform, dev: !app.isPackaged, actions })));
    tray = await createShellTray({ Tray, Menu, nativeImage, engine: eng, showWindow, tripKillSwitch: actions.tripKillSwitch, quit: () => app.quit() });
    stopNotifications = startOsNotifications({
      Notification,
      engine: eng,
      enabled: (kind) => prefs?.notificationEnabled(kind) ?? true,
      sound: () => prefs?.notificationSound() ?? false,
      showWindow,
    });

    // Random port: the CLI finds it through engine.json, and a fixed port could collide with serve.
    bridge = await startHeadlessServer({ engine, port: 0, host: '127.0.0.1', dataDir, version: app.getVersion() });

    if (devServerUrl) await w.loadURL(devServerUrl);
    else await w.loadFile(renderer.indexFile);
  } catch (e) {
    dialog.showErrorBox('Tradeport could not start', e instanceof Error ? e.message : String(e));
    shuttingDown = true;
    await shutdown();
    app.exit(1);
  }
}
