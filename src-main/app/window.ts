/**
 * The one BrowserWindow and the renderer hardening (DESIGN.md rule 7): isolated, sandboxed, no
 * Node, a strict CSP, no navigation, no new windows, no permissions.
 */
import { BrowserWindow, type Session, type WebContents, type WebPreferences } from 'electron';
import { contentSecurityPolicy } from '../headless/csp';

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

export interface WindowBounds {
  readonly width: number;
  readonly height: number;
  readonly x?: number;
  readonly y?: number;
}

export interface MainWindowOptions {
  readonly preloadPath: string;
  readonly bounds?: WindowBounds;
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: opts.bounds?.width ?? 1440,
    height: opts.bounds?.height ?? 900,
    ...(opts.bounds?.x !== undefined && opts.bounds?.y !== undefined ? { x: opts.bounds.x, y: opts.bounds.y } : {}),
    minWidth: 960,
    minHeight: 600,
    title: 'Tradeport',
    // Dark from the first paint: no white flash before the renderer's theme loads.
    backgroundColor: '#0d1117',
    show: false,
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(opts.preloadPath),
  });
  hardenWebContents(win.webContents);
  win.once('ready-to-show', () => win.show());
  return win;
}

/** Applied to every WebContents the app ever creates, not only ours. */
export function hardenWebContents(wc: WebContents): void {
  // The UI is a single page; any navigation is either a bug or an injected link.
  wc.on('will-navigate', (event) => event.preventDefault());
  wc.on('will-redirect', (event) => event.preventDefault());
  wc.on('will-attach-webview', (event) => event.preventDefault());
  wc.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export function installSessionSecurity(ses: Session, opts: { dev?: boolean } = {}): void {
  const csp = contentSecurityPolicy({ dev: opts.dev });
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(details.responseHeaders ?? {})) {
      // Drop any upstream CSP so ours is the only one in force (not an intersection we did not write).
      if (k.toLowerCase() !== 'content-security-policy') headers[k] = v;
    }
    headers['Content-Security-Policy'] = [csp];
    headers['X-Content-Type-Options'] = ['nosniff'];
    callback({ responseHeaders: headers });
  });
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
}
