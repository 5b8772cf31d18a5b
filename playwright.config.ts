import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive the built renderer in Debian's Chromium against `tradeport serve`
 * (headless mode): no Electron binary and no browser download are needed.
 */
export default defineConfig({
  testDir: 'test/e2e',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
    trace: 'off',
  },
  // Every spec on a desktop screen; the trader-desk spec (layout, hotkeys, stale state) on a laptop too.
  projects: [
    { name: 'desktop-1600x1000', use: { viewport: { width: 1600, height: 1000 } } },
    { name: 'laptop-1366x768', use: { viewport: { width: 1366, height: 768 } }, testMatch: /(desk|preview-route)\.spec\.ts$/ },
  ],
});
