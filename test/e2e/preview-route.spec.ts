/// <reference lib="dom" />
/**
 * Issue 8 item 1 in the browser: a ticket previewed in SHADOW on an IBKR venue (TWS emulator), then
 * the venue armed LIVE from elsewhere (the CLI, against the running engine). The preview on screen
 * is dropped with the reason, Place disables, and Ctrl+Enter sends nothing to TWS.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { TwsEmulator } from '../emulators/tws';
import { openApp, serve, type Served } from './serve';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

let dataDir: string;
let server: Served | undefined;
let emu: TwsEmulator | undefined;

test.beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-e2e-route-'));
  emu = new TwsEmulator({ port: 0 });
  await emu.start();
});
test.afterAll(async () => {
  await server?.stop();
  await emu?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const cli = (...args: string[]) =>
  run(process.execPath, [path.join(ROOT, 'bin/tradeport.cjs'), '--data-dir', dataDir, '--json', ...args], { cwd: ROOT, env: { ...process.env, TRADEPORT_DATA_DIR: dataDir } });

test('a SHADOW preview never places LIVE: arming LIVE drops the preview and Place sends nothing', async ({ page }) => {
  server = await serve(dataDir);
  const errors = await openApp(page, server.url);
  await cli('venue', 'add', 'ibkr', '--name', 'ib', '--set', 'host=127.0.0.1', '--set', `port=${emu!.port}`, '--set', 'clientId=7', '--set', 'watchlist=AAPL');
  await expect(page.locator('[data-testid="venue-status"][data-venue="ib"]')).toHaveAttribute('data-state', 'connected');

  await page.getByTestId('ticket-venue').selectOption('ib');
  await page.getByTestId('ticket-symbol').fill('AAPL');
  await expect(page.locator('[data-testid="symbol-option"][data-symbol="AAPL"]').first()).toBeVisible();
  await page.getByTestId('ticket-symbol').press('Enter');
  await page.getByTestId('ticket-type').selectOption('limit');
  await page.getByTestId('ticket-qty').fill('1');
  await page.getByTestId('ticket-limit').fill('199');
  await page.getByTestId('ticket-preview').click();
  await expect(page.getByTestId('preview-panel')).toHaveAttribute('data-route', 'shadow');
  await expect(page.getByTestId('ticket-place')).toBeEnabled();

  await cli('mode', 'ib', 'live', '--arm');

  await expect(page.getByTestId('preview-error')).toContainText('from SHADOW to LIVE');
  await expect(page.getByTestId('preview-panel')).toHaveCount(0);
  await expect(page.getByTestId('ticket-place')).toBeDisabled();
  await page.getByTestId('ticket-qty').focus();
  await page.keyboard.press('Control+Enter');
  // A fresh preview now says LIVE: the trader sees where the order would go before it can go there.
  await page.getByTestId('ticket-preview').click();
  await expect(page.getByTestId('preview-panel')).toHaveAttribute('data-route', 'live');
  expect(emu!.orders()).toHaveLength(0);
  const orders = JSON.parse((await cli('orders', '--all')).stdout) as { ok: boolean; value: { orders: unknown[]; total: number } };
  expect(orders.value.total).toBe(0);
  expect(errors).toEqual([]);
});
