import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../helpers/electron-mock'));

import * as electron from '../../helpers/electron-mock';
import { createMainWindow, installSessionSecurity, secureWebPreferences } from '../../../src-main/app/window';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

describe('main window', () => {
  beforeEach(() => {
    electron.BrowserWindow.instances.length = 0;
  });

  it('is isolated, sandboxed, without Node, with web security', () => {
    const win = createMainWindow({ preloadPath: '/app/out/preload/index.js' }) as unknown as electron.BrowserWindow;
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(secureWebPreferences('x')).toEqual({ ...prefs, preload: 'x' });
  });

  it('blocks every navigation, redirect and webview attach', () => {
    const win = createMainWindow({ preloadPath: 'p' }) as unknown as electron.BrowserWindow;
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = { preventDefault: vi.fn() };
      win.webContents.emit(name, event, 'https://evil.example/');
      expect(event.preventDefault, name).toHaveBeenCalled();
    }
  });

  it('denies window.open', () => {
    const win = createMainWindow({ preloadPath: 'p' }) as unknown as electron.BrowserWindow;
    expect(win.webContents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });
});

describe('session security', () => {
  it('sets the strict CSP on every response, replacing any upstream policy', () => {
    installSessionSecurity(electron.session.defaultSession as never);
    let out: { responseHeaders: Record<string, string[]> } | undefined;
    electron.session.defaultSession.headersListener!({ responseHeaders: { 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] } }, (r) => (out = r as typeof out));
    expect(out!.responseHeaders['Content-Security-Policy']).toEqual([CSP]);
    expect(out!.responseHeaders['content-security-policy']).toBeUndefined();
    expect(out!.responseHeaders['Content-Type']).toEqual(['text/html']);
  });

  it('relaxes only script-src for the dev server', () => {
    installSessionSecurity(electron.session.defaultSession as never, { dev: true });
    let out: { responseHeaders: Record<string, string[]> } | undefined;
    electron.session.defaultSession.headersListener!({ responseHeaders: {} }, (r) => (out = r as typeof out));
    expect(out!.responseHeaders['Content-Security-Policy']![0]).toBe(CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"));
  });

  it('denies every permission request and check', () => {
    installSessionSecurity(electron.session.defaultSession as never);
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
      const cb = vi.fn();
      electron.session.defaultSession.permissionRequest!({}, p, cb);
      expect(cb).toHaveBeenCalledWith(false);
    }
    expect(electron.session.defaultSession.permissionCheck!()).toBe(false);
  });
});
