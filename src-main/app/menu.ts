/**
 * The application menu: the platform's standard roles (so copy/paste, zoom, full screen and the
 * macOS app menu behave as everywhere else) plus Tradeport's own commands. Engine commands go
 * through the engine API as the trader (actor `user`), each confirmed in a native dialog first.
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  killSwitch(): void;
  cancelAll(): void;
  reconcile(): void;
  openDataFolder(): void;
  showWindow(): void;
}

export interface MenuOptions {
  readonly platform: NodeJS.Platform;
  /** Developer tools only in an unpackaged (development) build. */
  readonly dev: boolean;
  readonly actions: MenuActions;
}

export function menuTemplate(o: MenuOptions): MenuItemConstructorOptions[] {
  const mac = o.platform === 'darwin';
  const a = o.actions;
  const view: MenuItemConstructorOptions[] = [
    { role: 'reload' },
    { role: 'forceReload' },
    ...(o.dev ? [{ role: 'toggleDevTools' } as MenuItemConstructorOptions] : []),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  return [
    ...(mac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    {
      label: 'File',
      submenu: [{ label: 'Open Data Folder', click: () => a.openDataFolder() }, { type: 'separator' }, mac ? { role: 'close' } : { role: 'quit' }],
    },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    {
      label: 'Trading',
      submenu: [
        // No accelerator: Ctrl+Shift+K belongs to the window's own kill-switch hotkey and its confirm.
        { label: 'Kill Switch…', click: () => a.killSwitch() },
        { label: 'Cancel All Orders…', click: () => a.cancelAll() },
        { type: 'separator' },
        { label: 'Reconcile Now', click: () => a.reconcile() },
      ],
    },
    { role: 'windowMenu', submenu: [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { label: 'Show Tradeport', click: () => a.showWindow() }] },
    // macOS has About in the app menu; elsewhere it goes under Help.
    ...(mac ? [] : [{ role: 'help', submenu: [{ role: 'about' }] } as MenuItemConstructorOptions]),
  ];
}
