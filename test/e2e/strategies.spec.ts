/// <reference lib="dom" />
/**
 * A DCA created from the Strategies panel on Paper, end to end against `tradeport serve`: Simulate
 * shows the orders it would place (placing none), Start places its first buy (in the blotter with
 * the strategy's step client id), and after the served engine restarts on the same data dir it is
 * still listed as running, its first order still there and not placed again. A simulation whose
 * orders the engine refuses lists them with the engine's reasons.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openApp, serve, type Served } from './serve';

test.use({ actionTimeout: 15_000 });

let dataDir: string;
let server: Served | undefined;

test.beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-e2e-strat-'));
  server = await serve(dataDir);
});
test.afterAll(async () => {
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const openPanel = async (page: Page) => {
  await page.getByTestId('open-strategies').click();
  await expect(page.getByTestId('strategies-panel')).toBeVisible();
};

test('a DCA from the UI places its first order and is still running after a restart', async ({ page }) => {
  let errors = await openApp(page, server!.url);
  await openPanel(page);
  await page.getByTestId('strategy-kind').selectOption('dca');
  await page.getByTestId('strategy-symbol').fill('BTC/USD');
  await page.getByTestId('param-qty').fill('0.001');
  await page.getByTestId('param-every').fill('1h');

  // Simulate first: the orders it would place over a simulated day, and nothing placed.
  await page.getByTestId('strategy-simulate').click();
  await expect(page.getByTestId('strategy-simulation')).toContainText('nothing was placed');
  await expect(page.getByTestId('simulated-order').first()).toContainText('buy 1');
  await expect(page.getByTestId('strategy-row')).toHaveCount(0);

  await page.getByTestId('strategy-start').click();
  await expect(page.getByTestId('strategy-message')).toHaveText(/^Started S[0-9A-Z]+\.$/);
  const row = page.getByTestId('strategy-row');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-state', 'running');
  const id = (await row.getAttribute('data-id'))!;
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('strategies-panel')).toHaveCount(0);

  // Its first buy, in the blotter's Orders under the strategy's step client id.
  await page.getByTestId('tab-orders').click();
  const first = page.locator('[data-testid="order-row"][data-symbol="BTC/USD"]', { has: page.locator(`td[title="${id}-1"]`) });
  await expect(first).toHaveCount(1, { timeout: 30_000 });

  // Restart the served engine on the same data dir and reopen the app on it.
  await server!.stop();
  server = await serve(dataDir);
  errors = errors.concat(await openApp(page, server.url));
  await page.getByTestId('tab-orders').click();
  await expect(first).toHaveCount(1, { timeout: 30_000 });
  await openPanel(page);
  await expect(page.locator(`[data-testid="strategy-row"][data-id="${id}"]`)).toHaveAttribute('data-state', 'running');
  // The hourly DCA's first step was not placed again.
  await expect(page.locator('[data-testid="order-row"]', { has: page.locator(`td[title^="${id}-"]`) })).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('a simulation lists the orders the engine refused, with their reasons', async ({ page }, info) => {
  const errors = await openApp(page, server!.url);
  await openPanel(page);
  await page.getByTestId('strategy-kind').selectOption('dca');
  await page.getByTestId('strategy-symbol').fill('BTC/USD');
  // 3 BTC (~300,000) a buy: more than Paper's cash (and its order limit) can carry.
  await page.getByTestId('param-qty').fill('3');
  await page.getByTestId('param-every').fill('4h');
  await page.getByTestId('strategy-simulate').click();
  await expect(page.getByTestId('strategy-simulation')).toContainText('nothing was placed');
  const count = page.getByTestId('simulation-refused-count');
  await expect(count).toHaveText(/^\d+ orders? refused \(never placed\)/);
  const n = Number((await count.textContent())!.split(' ')[0]);
  expect(n).toBeGreaterThan(0);
  const rows = page.getByTestId('refused-order');
  await expect(rows).toHaveCount(n);
  const cells = await rows.first().locator('td').allTextContents();
  expect(cells[0]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  expect(cells.slice(1, 3)).toEqual(['buy', '3']);
  expect(cells[3]).toMatch(/^(\d+(\.\d+)?|market)$/);
  expect(cells[4]).toMatch(/buying power|notional|limit/i);
  // Nothing was placed or started.
  await expect(page.getByTestId('simulated-order')).toHaveCount(0);
  await expect(page.getByTestId('strategy-simulation').locator('.banner.info')).toContainText(`(${n} refused)`);
  for (const [w, h] of [
    [1600, 1000],
    [1366, 768],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    // The panel scrolls within the dialog: the refusals and the Start button can be brought into view.
    await page.getByTestId('simulation-refused-count').scrollIntoViewIfNeeded();
    await expect(page.getByTestId('simulation-refused-count')).toBeInViewport();
    await page.screenshot({ path: info.outputPath(`simulation-refused-${w}x${h}.png`) });
  }
  expect(errors).toEqual([]);
});
