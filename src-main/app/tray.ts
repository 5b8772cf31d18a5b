/**
 * The tray icon: connection and kill-switch state at a glance, with "Show" and "Kill switch…".
 * It renders `shellStatus` (shell-status.ts) and refreshes on the engine's venue and kill-switch
 * events; the icon is drawn here (a coloured dot), so no image file can go missing from a package.
 */
import type { Menu as MenuT, MenuItemConstructorOptions, NativeImage, Tray as TrayT } from 'electron';
import type { EngineApi } from '../engine/api/engine-api';
import type { KillSwitchStatus, VenueInfo } from '../engine/api/commands';
import { shellStatus, type ShellLevel, type ShellStatus } from './shell-status';

export const LEVEL_COLOURS: Record<ShellLevel, readonly [number, number, number]> = {
  ok: [46, 160, 67],
  degraded: [210, 153, 34],
  down: [218, 54, 51],
  killed: [163, 113, 247],
};

/** A filled, anti-aliased circle as a BGRA bitmap (what nativeImage.createFromBitmap takes). */
export function dotBitmap(rgb: readonly [number, number, number], size: number): Buffer {
  const buf = Buffer.alloc(size * size * 4);
  const c = (size - 1) / 2;
  const r = size / 2 - 1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - c, y - c);
      const alpha = Math.max(0, Math.min(1, r + 0.5 - d));
      const i = (y * size + x) * 4;
      buf[i] = rgb[2];
      buf[i + 1] = rgb[1];
      buf[i + 2] = rgb[0];
      buf[i + 3] = Math.round(alpha * 255);
    }
  }
  return buf;
}

export interface TrayDeps {
  readonly Tray: new (image: NativeImage) => TrayT;
  readonly Menu: { buildFromTemplate(template: MenuItemConstructorOptions[]): MenuT };
  readonly nativeImage: { createFromBitmap(buffer: Buffer, options: { width: number; height: number }): NativeImage };
  readonly engine: EngineApi;
  showWindow(): void;
  /** Confirms with the trader and trips (shell-actions.ts, shared with the menu). */
  tripKillSwitch(): Promise<void>;
  quit(): void;
}

export interface ShellTray {
  /** The status the tray shows now (for tests and the quit guard). */
  status(): ShellStatus;
  refresh(): Promise<void>;
  destroy(): void;
}

const ICON_SIZE = 16;

export async function createShellTray(deps: TrayDeps): Promise<ShellTray> {
  const icons = new Map<ShellLevel, NativeImage>();
  const icon = (level: ShellLevel): NativeImage => {
    let img = icons.get(level);
    if (!img) {
      img = deps.nativeImage.createFromBitmap(dotBitmap(LEVEL_COLOURS[level], ICON_SIZE), { width: ICON_SIZE, height: ICON_SIZE });
      icons.set(level, img);
    }
    return img;
  };

  let venues: VenueInfo[] = [];
  let killSwitch: KillSwitchStatus | undefined;
  let current = shellStatus(venues, killSwitch);
  const tray = new deps.Tray(icon(current.level));
  tray.on('click', () => deps.showWindow());

  const tripFromTray = async () => {
    await deps.tripKillSwitch();
    await refresh();
  };

  const render = () => {
    current = shellStatus(venues, killSwitch);
    tray.setImage(icon(current.level));
    tray.setToolTip(current.tooltip);
    const template: MenuItemConstructorOptions[] = [
      { label: current.tooltip.replace(/^Tradeport — /, ''), enabled: false },
      ...current.venueLines.map((line) => ({ label: line, enabled: false })),
      { type: 'separator' },
      { label: 'Show Tradeport', click: () => deps.showWindow() },
      {
        label: current.killSwitchTripped ? 'Kill switch is on' : 'Kill switch…',
        enabled: !current.killSwitchTripped,
        click: () => void tripFromTray(),
      },
      { type: 'separator' },
      { label: 'Quit Tradeport', click: () => deps.quit() },
    ];
    tray.setContextMenu(deps.Menu.buildFromTemplate(template));
  };

  const refresh = async () => {
    const [v, k] = await Promise.all([deps.engine.call('venues.list', {}), deps.engine.call('killSwitch.status', {})]);
    if (v.ok) venues = v.value;
    if (k.ok) killSwitch = k.value;
    render();
  };

  const unsubscribe = deps.engine.subscribe((e) => {
    if (e.type === 'venue') {
      venues = [...venues.filter((x) => x.name !== e.venue.name), e.venue];
      render();
    } else if (e.type === 'venueRemoved') {
      venues = venues.filter((x) => x.name !== e.name);
      render();
    } else if (e.type === 'killSwitch') {
      killSwitch = e.state;
      render();
    }
  });

  await refresh();
  return {
    status: () => current,
    refresh,
    destroy() {
      unsubscribe();
      tray.destroy();
    },
  };
}
