/**
 * A minimal stand-in for the `electron` module: enough surface for app/ and the preload, recording
 * what they configure so tests can assert the security settings. Use with
 * `vi.mock('electron', () => import('../../helpers/electron-mock'))`.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

export class FakeFrame {
  parent: FakeFrame | null = null;
  constructor(
    public url: string,
    public processId = 1,
    public routingId = 1,
  ) {}
}

export class FakeWebContents extends EventEmitter {
  mainFrame = new FakeFrame('file:///app/out/renderer/index.html');
  windowOpenHandler?: (details: { url: string }) => { action: string };
  sent: Array<[string, unknown]> = [];
  destroyed = false;
  setWindowOpenHandler(h: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = h;
  }
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload]);
  }
  isDestroyed() {
    return this.destroyed;
  }
}

export class BrowserWindow extends EventEmitter {
  static instances: BrowserWindow[] = [];
  webContents = new FakeWebContents();
  loaded: string[] = [];
  constructor(public options: Record<string, unknown>) {
    super();
    BrowserWindow.instances.push(this);
  }
  isDestroyed() {
    return false;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  focus() {}
  show() {}
  getBounds() {
    return { x: 0, y: 0, width: 1200, height: 800 };
  }
  async loadFile(f: string) {
    this.loaded.push(f);
  }
  async loadURL(u: string) {
    this.loaded.push(u);
  }
}

export const ipcMain = {
  handlers: new Map<string, (...args: unknown[]) => unknown>(),
  handle(channel: string, fn: (...args: unknown[]) => unknown) {
    this.handlers.set(channel, fn);
  },
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  },
};

export function makeSession() {
  return {
    headersListener: undefined as undefined | ((d: unknown, cb: (r: unknown) => void) => void),
    permissionRequest: undefined as undefined | ((wc: unknown, p: string, cb: (granted: boolean) => void) => void),
    permissionCheck: undefined as undefined | (() => boolean),
    webRequest: {
      onHeadersReceived(fn: (d: unknown, cb: (r: unknown) => void) => void) {
        session.defaultSession.headersListener = fn;
      },
    },
    setPermissionRequestHandler(fn: (wc: unknown, p: string, cb: (granted: boolean) => void) => void) {
      session.defaultSession.permissionRequest = fn;
    },
    setPermissionCheckHandler(fn: () => boolean) {
      session.defaultSession.permissionCheck = fn;
    },
  };
}
export const session = { defaultSession: makeSession() };

class FakeApp extends EventEmitter {
  singleInstance = true;
  userData = '/tmp/tradeport-test-userdata';
  isPackaged = true;
  quit = vi.fn();
  exit = vi.fn();
  enableSandbox = vi.fn();
  requestSingleInstanceLock() {
    return this.singleInstance;
  }
  whenReady() {
    return Promise.resolve();
  }
  getPath(name: string) {
    if (name !== 'userData') throw new Error(`unexpected getPath(${name})`);
    return this.userData;
  }
  getVersion() {
    return '0.1.0-test';
  }
}
export const app = new FakeApp();
/** `showMessageBox` answers with `nextResponse` (0 = the first button, Cancel in our dialogs). */
export const dialog = {
  showErrorBox: vi.fn(),
  nextResponse: 0,
  showMessageBox: vi.fn(async (_opts: Record<string, unknown>) => ({ response: dialog.nextResponse, checkboxChecked: false })),
};
export const shell = { openPath: vi.fn(async (_p: string) => '') };

export interface FakeMenuItem {
  label?: string;
  role?: string;
  type?: string;
  enabled?: boolean;
  click?: () => void;
  submenu?: FakeMenuItem[];
}
export class FakeMenu {
  constructor(public readonly items: FakeMenuItem[]) {}
}
export const Menu = {
  applicationMenu: undefined as FakeMenu | undefined,
  buildFromTemplate: vi.fn((template: FakeMenuItem[]) => new FakeMenu(template)),
  setApplicationMenu: vi.fn((m: FakeMenu | null) => {
    Menu.applicationMenu = m ?? undefined;
  }),
};

export class FakeNativeImage {
  constructor(
    public readonly bitmap: Buffer,
    public readonly size: { width: number; height: number },
  ) {}
}
export const nativeImage = { createFromBitmap: vi.fn((b: Buffer, o: { width: number; height: number }) => new FakeNativeImage(b, o)) };

export class Tray extends EventEmitter {
  static instances: Tray[] = [];
  tooltip = '';
  menu?: FakeMenu;
  destroyed = false;
  constructor(public image: FakeNativeImage) {
    super();
    Tray.instances.push(this);
  }
  setImage(i: FakeNativeImage) {
    this.image = i;
  }
  setToolTip(t: string) {
    this.tooltip = t;
  }
  setContextMenu(m: FakeMenu) {
    this.menu = m;
  }
  destroy() {
    this.destroyed = true;
  }
}

export class Notification extends EventEmitter {
  static supported = true;
  static shown: Notification[] = [];
  static isSupported() {
    return Notification.supported;
  }
  constructor(public readonly options: { title: string; body: string; silent?: boolean; urgency?: string }) {
    super();
  }
  show() {
    Notification.shown.push(this);
  }
}

export const contextBridge = { exposeInMainWorld: vi.fn() };
export const ipcRenderer = {
  invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, value: null })),
  on: vi.fn(),
  removeListener: vi.fn(),
  send: vi.fn(),
  sendSync: vi.fn(),
};

export default { app, BrowserWindow, ipcMain, session, dialog, shell, Menu, nativeImage, Tray, Notification, contextBridge, ipcRenderer };
