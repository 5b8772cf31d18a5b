/**
 * Where Tradeport keeps its SQLite file, the bridge token and the running-engine marker.
 * The default matches Electron's `userData` for an app named "Tradeport", so the desktop app,
 * `tradeport serve` and the CLI share one data dir unless told otherwise.
 */
import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'Tradeport';

export function defaultDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
}

/** `--data-dir` beats `TRADEPORT_DATA_DIR` beats the OS default. */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag && flag.trim()) return path.resolve(flag);
  if (env.TRADEPORT_DATA_DIR && env.TRADEPORT_DATA_DIR.trim()) return path.resolve(env.TRADEPORT_DATA_DIR);
  return defaultDataDir();
}
