'use strict';
// Why Electron cannot start on this machine, in words, or undefined. Pure (inputs injected) so it is
// unit-tested; bin/start.cjs runs it before launching. It never requires the `electron` package:
// that would try to download the binary.
const path = require('node:path');

const BROWSER_MODE = 'Run Tradeport in your browser instead (the same engine, served on 127.0.0.1):\n  npm run build && npm run serve\nthen open the address it prints.';

/**
 * @param {{ root: string, platform: string, env: Record<string, string | undefined>, exists: (p: string) => boolean, read: (p: string) => string }} m
 * @returns {string | undefined}
 */
function electronProblem(m) {
  const dir = path.join(m.root, 'node_modules', 'electron');
  if (!m.exists(path.join(dir, 'package.json'))) return `Electron is not installed (no node_modules/electron). Run \`npm install\`, or:\n${BROWSER_MODE}`;
  const pathFile = path.join(dir, 'path.txt');
  const override = m.env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override ? path.join(override, m.read(pathFile).trim() || 'electron') : m.exists(pathFile) ? path.join(dir, 'dist', m.read(pathFile).trim()) : undefined;
  if (!binary || !m.exists(binary)) {
    return `Electron's program is not on this machine (it is downloaded by npm install; it was skipped or could not be fetched). Reinstall with network access to get the desktop app, or:\n${BROWSER_MODE}`;
  }
  if (m.platform === 'linux' && !m.env.DISPLAY && !m.env.WAYLAND_DISPLAY) {
    return `There is no display here (neither DISPLAY nor WAYLAND_DISPLAY is set), so the desktop window cannot open.\n${BROWSER_MODE}`;
  }
  return undefined;
}

/** What to say when Electron started but exited with an error before it could run. */
function crashAdvice(code) {
  return `The desktop app exited with code ${code}. If Electron cannot run on this machine (missing system libraries, no display), ${BROWSER_MODE.charAt(0).toLowerCase()}${BROWSER_MODE.slice(1)}`;
}

module.exports = { electronProblem, crashAdvice, BROWSER_MODE };
