/// <reference lib="dom" />
/**
 * Portfolio against the real engine: fill orders on Paper, open the Portfolio view, see the
 * position built from lots, its lots, P&L per venue and the P&L curve, and export the Form 8949
 * CSV (with the statement that it is not tax advice).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { cliJson, openApp, serve, type Served } from './serve';

let dataDir: string;
let server: Served | undefined;

const cli = (args: string[]) => cliJson(dataDir, args);

test.beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-e2e-portfolio-'));
});
test.afterAll(async () => {
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('fills on Paper become lots, P&L and a curve in the Portfolio view, and export as Form 8949', async ({ page }) => {
  server = await serve(dataDir);
  const errors = await openApp(page, server.url);
  for (const [side, qty] of [
    ['buy', '0.2'],
    ['buy', '0.1'],
    ['sell', '0.24'],
  ] as const) {
    const placed = await cli(['place', 'paper', 'BTC/USD', side, qty, '--type', 'market', '--tif', 'ioc']);
    expect(placed.error).toBeUndefined();
  }

  await page.getByTestId('open-portfolio').click();
  const view = page.getByTestId('portfolio-view');
  await expect(view).toBeVisible();
  // FIFO: the 0.24 sold took the first lot and 0.04 of the second; 0.06 is left.
  const position = view.locator('[data-testid="portfolio-position"][data-key="paper|BTC/USD|long"]');
  await expect(position).toContainText('0.06');
  await position.click();
  await expect(view.getByTestId('portfolio-lot')).toHaveCount(1);

  // P&L per venue and in total, the same realized figure as the CLI's.
  const pnl = (await cli(['pnl'])).value;
  const row = view.getByTestId('pnl-row-paper');
  await expect(row).toBeVisible();
  await expect(view.getByTestId('pnl-row-total')).toBeVisible();
  const realized = Number(pnl.total.realized);
  expect(realized).not.toBe(0);
  await expect(row.locator('td').nth(1)).toHaveText(new RegExp(Math.abs(realized).toFixed(2).replace('.', '\\.')));

  // The P&L curve: realized plus unrealized at the engine's snapshots (one at start) and today's total, drawn on a canvas.
  const chart = view.getByTestId('pnl-chart');
  await expect(chart).toHaveAttribute('data-points', /^([2-9]|\d{2,})$/);
  await expect(chart.locator('canvas').first()).toBeVisible();
  // The equity curve: the engine's snapshot at start and the account now (cash plus marked positions).
  const equity = view.getByTestId('equity-chart');
  await expect(equity).toHaveAttribute('data-points', /^([2-9]|\d{2,})$/);
  await expect(equity.locator('canvas').first()).toBeVisible();

  await expect(view.getByTestId('tax-disclaimer')).toContainText('not tax advice');
  const [download] = await Promise.all([page.waitForEvent('download'), view.getByTestId('export-form8949').click()]);
  expect(download.suggestedFilename()).toMatch(/^form8949-\d{4}\.csv$/);
  const csv = fs
    .readFileSync((await download.path())!, 'utf8')
    .trim()
    .split('\n');
  expect(csv[0]).toContain('(a) Description of property');
  expect(csv.slice(1)).toHaveLength(2);
  expect(csv[1]).toMatch(/^0\.2 BTC\/USD,/);
  expect(csv[2]).toMatch(/^0\.04 BTC\/USD,/);
  await expect(view.getByTestId('export-done')).toContainText('2 rows');
  expect(errors).toEqual([]);
});
