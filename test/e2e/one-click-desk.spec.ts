/// <reference lib="dom" />
/**
 * One-click trading and the desk preferences in the engine's data dir, end to end against
 * `tradeport serve` on a still Paper market:
 *  - a ladder click previews until one-click is allowed for the venue AND armed; armed, the click
 *    places at once; risk still refuses what it refuses (nothing is placed); disarmed, clicks
 *    preview again;
 *  - the look, the one-click opt-in and presets come back in a fresh browser profile (nothing in
 *    its localStorage): they live in the data dir, shared by every window on the bridge.
 * Screenshots of the armed ladder at the desktop size and at 1366×768.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { Decimal } from '../../src-main/engine/domain/money';
import { openApp, serve, tradeportSetup, type Served } from './serve';

test.use({ actionTimeout: 15_000 });
test.describe.configure({ mode: 'serial' });

const ROOT = path.resolve(__dirname, '../..');
let dataDir: string;
let server: Served | undefined;
let shots: string;

test.beforeAll(async ({}, info) => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-e2e-oneclick-'));
  shots = path.join(ROOT, 'test-results', 'one-click', info.project.name);
  fs.mkdirSync(shots, { recursive: true });
  // A still market (rows clicked are rows traded), no stale-quote guard on it, and a size limit one-click must respect.
  tradeportSetup(dataDir, [
    ['venue', 'set', 'paper', 'tickMs=0'],
    ['risk', 'set', 'max_quote_age_ms', 'off'],
    ['risk', 'set', 'max_order_qty', '0.5'],
  ]);
  server = await serve(dataDir);
});
test.afterAll(async () => {
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const row = (page: Page, price: string) => page.locator(`[data-testid="ladder-row"][data-price="${price}"]`);
const working = (page: Page) => page.getByTestId('working-order-row');

async function openEth(page: Page) {
  if (!(await page.getByTestId('ladder').isVisible())) await page.getByTestId('ladder-toggle').click();
  await page.getByTestId('ticket-symbol').fill('ETH');
  await expect(page.locator('[data-testid="symbol-option"][data-symbol="ETH/USD"]')).toBeVisible();
  await page.getByTestId('ticket-symbol').press('Enter');
  await expect(page.getByTestId('ticket-symbol')).toHaveValue('ETH/USD');
  await expect(page.locator('[data-testid="ladder-row"].best-bid')).toHaveCount(1);
}

async function belowBid(page: Page, ticks: number): Promise<string> {
  const bid = await page.locator('[data-testid="ladder-row"].best-bid').getAttribute('data-price');
  return new Decimal(bid!).minus(new Decimal('0.01').mul(ticks)).toFixed();
}

test('one-click: off until allowed and armed; armed clicks place at once, risk still refuses; disarmed clicks preview', async ({ page }) => {
  const errors = await openApp(page, server!.url);
  await openEth(page);
  const ladder = page.getByTestId('ladder');
  await expect(ladder).toHaveAttribute('data-armed', 'false');
  await expect(page.getByTestId('one-click-arm')).toHaveCount(0);

  // Off: a click stages and previews, nothing is placed.
  await page.getByTestId('ladder-qty').fill('0.01');
  await row(page, await belowBid(page, 8))
    .locator('td.orders.buy')
    .click();
  await expect(page.getByTestId('preview-panel')).toHaveAttribute('data-allowed', 'true');
  await expect(working(page)).toHaveCount(0);

  // Allow it for paper, set sizes, arm.
  await page.getByTestId('one-click-settings').click();
  await page.getByTestId('one-click-optin').check();
  await expect(page.getByTestId('one-click-note')).toContainText('One-click allowed on paper');
  await page.getByTestId('one-click-presets').fill('0.01, 0.02, 1, x');
  await page.getByTestId('one-click-presets').press('Enter');
  await expect(page.getByTestId('one-click-note')).toContainText('“x”');
  await page.getByTestId('one-click-presets').fill('0.01, 0.02, 1');
  await page.getByTestId('one-click-presets').press('Enter');
  await expect(page.getByTestId('ladder-preset')).toHaveCount(3);
  await page.locator('[data-testid="ladder-preset"][data-qty="0.02"]').click();
  await expect(page.getByTestId('ladder-qty')).toHaveValue('0.02');
  await page.getByTestId('one-click-arm').click();
  await expect(ladder).toHaveAttribute('data-armed', 'true');
  await expect(page.getByTestId('one-click-armed')).toContainText('ONE-CLICK ARMED on paper');
  await page.screenshot({ path: path.join(shots, 'armed.png') });

  // Armed: one click is one working order at that price, no Place pressed.
  const p1 = await belowBid(page, 10);
  await row(page, p1).locator('td.orders.buy').click();
  await expect(working(page)).toHaveCount(1);
  await expect(working(page).first()).toHaveAttribute('data-limit', p1);
  await expect(row(page, p1).getByTestId('ladder-order')).toHaveText(/0\.02/);

  // Risk still applies: 1 is above max_order_qty 0.5, so the preview says no and nothing is placed.
  await page.locator('[data-testid="ladder-preset"][data-qty="1"]').click();
  await row(page, await belowBid(page, 12))
    .locator('td.orders.buy')
    .click();
  await expect(page.getByTestId('preview-panel')).toHaveAttribute('data-allowed', 'false');
  await expect(page.getByTestId('preview-violations')).toBeVisible();
  await expect(working(page)).toHaveCount(1);

  // Disarmed: a click previews again.
  await page.getByTestId('one-click-arm').click();
  await expect(ladder).toHaveAttribute('data-armed', 'false');
  await page.locator('[data-testid="ladder-preset"][data-qty="0.01"]').click();
  await row(page, await belowBid(page, 14))
    .locator('td.orders.buy')
    .click();
  await expect(page.getByTestId('preview-panel')).toHaveAttribute('data-allowed', 'true');
  await expect(working(page)).toHaveCount(1);

  // A reload shows what the engine holds: disarmed stays disarmed; armed stays armed (the engine's
  // state for this session, the same in every window) until the trader or the engine disarms it.
  await page.goto(server!.url);
  await openEth(page);
  await expect(page.getByTestId('one-click-arm')).toHaveText('Arm');
  await expect(ladder).toHaveAttribute('data-armed', 'false');
  await page.getByTestId('one-click-arm').click();
  await expect(ladder).toHaveAttribute('data-armed', 'true');
  await page.goto(server!.url);
  await openEth(page);
  await expect(page.getByTestId('one-click-arm')).toHaveText('ARMED');
  await expect(ladder).toHaveAttribute('data-armed', 'true');
  await page.getByTestId('one-click-arm').click();
  await expect(ladder).toHaveAttribute('data-armed', 'false');
  expect(errors).toEqual([]);
});

test('the look and one-click settings come back in a fresh browser profile: kept in the data dir', async ({ page, browser }) => {
  const errors = await openApp(page, server!.url);
  await page.getByTestId('view-button').click();
  const view = page.getByTestId('view-dialog');
  await view.getByTestId('theme-light').check();
  await view.getByTestId('font-larger').click();
  await expect(view.getByTestId('font-scale')).toHaveText('105%');
  await view.getByTestId('view-close').click();

  const fresh = await browser.newContext({ viewport: page.viewportSize()! });
  try {
    const other = await fresh.newPage();
    // The save leaves after a short quiet spell: a fresh profile opened meanwhile may still see the old look, so open it again until it shows.
    await expect(async () => {
      await openApp(other, server!.url);
      await expect(other.locator('html')).toHaveAttribute('data-theme', 'light', { timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
    await expect(other.locator('html')).toHaveAttribute('style', /--font-scale:\s*1\.05/);
    expect(await other.evaluate(() => window.localStorage.getItem('tradeport.layout.v1'))).toContain('"theme":"light"');
    await openEth(other);
    await expect(other.getByTestId('ladder-preset')).toHaveCount(3);
    await expect(other.getByTestId('one-click-arm')).toHaveText('Arm');
  } finally {
    await fresh.close();
  }
  expect(errors).toEqual([]);
});

test('the quotes table fits beside the open ladder (no sideways scroll), with the venue’s volume filled in', async ({ page }) => {
  const errors = await openApp(page, server!.url);
  if (!(await page.getByTestId('ladder').isVisible())) await page.getByTestId('ladder-toggle').click();
  await expect(page.getByTestId('ladder')).toBeVisible();
  const body = page.getByTestId('quotes-table').locator('..');
  await expect(page.getByTestId('quote-row')).not.toHaveCount(0);
  const fits = () => body.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  // At the designed size and one step larger (the font scale of the test before), the panel fits its table.
  const view = page.getByTestId('view-dialog');
  let m = { scroll: 0, client: 0 };
  for (const step of ['font-reset', 'font-larger'] as const) {
    await page.getByTestId('view-button').click();
    // Reset is disabled when the scale is 100 % already.
    if (await view.getByTestId(step).isEnabled()) await view.getByTestId(step).click();
    await expect(view.getByTestId('font-scale')).toHaveText(step === 'font-reset' ? '100%' : '105%');
    await view.getByTestId('view-close').click();
    m = await fits();
    expect(m.scroll, `${step}: quotes table ${m.scroll}px in a ${m.client}px panel`).toBeLessThanOrEqual(m.client);
  }
  // Paper reports a day volume for every instrument: no blank cell.
  const volumes = await page.getByTestId('quote-volume').allTextContents();
  expect(volumes.length).toBeGreaterThan(0);
  for (const v of volumes) expect(v).toMatch(/^\d+(\.\d+)?[KMBT]?$/);
  await page.screenshot({ path: path.join(shots, 'quotes-with-ladder.png') });
  // Closed ladder: still no sideways scroll.
  await page.getByTestId('ladder-toggle').click();
  await expect(page.getByTestId('ladder')).toHaveCount(0);
  m = await fits();
  expect(m.scroll).toBeLessThanOrEqual(m.client);
  expect(errors).toEqual([]);
});
