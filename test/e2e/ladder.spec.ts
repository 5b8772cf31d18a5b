/// <reference lib="dom" />
/**
 * The DOM ladder and the positions view end to end against `tradeport serve` on the Paper venue:
 * click a bid cell to stage a buy limit on the ticket (preview, then Place), see the order on its
 * row, drag it to another price (confirm → modify), cancel it from the ladder, then trade into a
 * position from the ladder and close it from the positions view through its preview. The Paper
 * market is held still (tickMs=0) so prices stay where the test clicked; the book streaming on
 * quotes is covered by the engine test (book-watch-paper.test.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { Decimal } from '../../src-main/engine/domain/money';
import { openApp, serve, tradeportSetup, type Served } from './serve';

test.use({ actionTimeout: 15_000 });
test.describe.configure({ mode: 'serial' });

const ROOT = path.resolve(__dirname, '../..');
let dataDir: string;
let server: Served | undefined;
let shots: string;

test.beforeAll(async ({}, info) => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-e2e-ladder-'));
  shots = path.join(ROOT, 'test-results', 'ladder', info.project.name);
  fs.mkdirSync(shots, { recursive: true });
  // A still market: no price steps, so a row clicked is the row that trades. Its quote then ages,
  // so the stale-quote guard is turned off as a trader would (`risk set`), or nothing marketable passes.
  tradeportSetup(dataDir, [
    ['venue', 'set', 'paper', 'tickMs=0'],
    ['risk', 'set', 'max_quote_age_ms', 'off'],
  ]);
  server = await serve(dataDir);
});
test.afterAll(async () => {
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const row = (page: Page, price: string) => page.locator(`[data-testid="ladder-row"][data-price="${price}"]`);
const centerOf = async (el: Locator) => {
  const b = (await el.boundingBox())!;
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
};

async function openEth(page: Page) {
  await page.getByTestId('ticket-symbol').fill('ETH');
  await expect(page.locator('[data-testid="symbol-option"][data-symbol="ETH/USD"]')).toBeVisible();
  await page.getByTestId('ticket-symbol').press('Enter');
  await expect(page.getByTestId('ticket-symbol')).toHaveValue('ETH/USD');
  await expect(page.getByTestId('ladder-table')).toBeVisible();
  await expect(page.locator('[data-testid="ladder-row"].best-bid')).toHaveCount(1);
}

/** The price `ticks` ticks from the best bid (0.01 on ETH/USD). */
async function fromBestBid(page: Page, ticks: number): Promise<string> {
  const bid = await page.locator('[data-testid="ladder-row"].best-bid').getAttribute('data-price');
  return new Decimal(bid!).plus(new Decimal('0.01').mul(ticks)).toFixed();
}

test('click-trade from the ladder through the preview, drag to modify, cancel from the ladder', async ({ page }) => {
  const errors = await openApp(page, server!.url);
  await openEth(page);
  await page.getByTestId('ladder-qty').fill('0.01');

  // A click in the bid column stages a buy limit at that row's price; the ticket previews it.
  const p1 = await fromBestBid(page, -10);
  await row(page, p1).locator('td.orders.buy').click();
  await expect(page.getByTestId('preview-panel')).toHaveAttribute('data-allowed', 'true');
  await expect(page.getByTestId('ticket-limit')).toHaveValue(p1);
  await expect(page.getByTestId('ticket-side-buy')).toHaveAttribute('aria-checked', 'true');
  await page.getByTestId('ticket-place').click();
  const result = page.getByTestId('place-result');
  await expect(result).toHaveAttribute('data-status', /accepted|submitted/);
  const id = (await result.getAttribute('data-order-id'))!;
  const badge = row(page, p1).locator(`[data-testid="ladder-order"][data-order-id="${id}"]`);
  await expect(badge).toHaveText(/0\.01/);
  await page.screenshot({ path: path.join(shots, 'ladder-1600x1000.png') });

  // Drag the order three ticks down: the move is confirmed, then sent as a modify.
  const p2 = await fromBestBid(page, -13);
  const from = await centerOf(badge);
  const to = await centerOf(row(page, p2).locator('td.orders.buy'));
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 6 });
  await page.mouse.up();
  await expect(page.getByTestId('ladder-move')).toContainText(`→ ${p2}`);
  await page.getByTestId('ladder-move-confirm').click();
  await expect(page.locator(`[data-testid="working-order-row"][data-order-id="${id}"]`)).toHaveAttribute('data-limit', p2);
  await expect(row(page, p2).locator(`[data-testid="ladder-order"][data-order-id="${id}"]`)).toBeVisible();
  await expect(row(page, p1).getByTestId('ladder-order')).toHaveCount(0);

  // Cancel from the ladder.
  await row(page, p2).getByTestId('ladder-cancel').click();
  await expect(page.locator(`[data-testid="working-order-row"][data-order-id="${id}"]`)).toHaveCount(0);
  await expect(page.getByTestId('ladder-order')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a marketable click makes a position; the positions view closes it through its preview', async ({ page }) => {
  const errors = await openApp(page, server!.url);
  await openEth(page);
  await page.getByTestId('ladder-qty').fill('0.02');
  // A buy limit above the best ask trades at once.
  const ask = (await page.locator('[data-testid="ladder-row"].best-ask').getAttribute('data-price'))!;
  const above = new Decimal(ask).plus('0.03').toFixed();
  await row(page, above).locator('td.orders.buy').click();
  await expect(page.getByTestId('preview-panel')).toHaveAttribute('data-allowed', 'true');
  await page.getByTestId('ticket-place').click();
  await expect(page.getByTestId('place-result')).toHaveAttribute('data-status', 'filled');

  await page.getByTestId('tab-positions').click();
  const pos = page.locator('[data-testid="position-row"][data-symbol="ETH/USD"]');
  await expect(pos).toHaveAttribute('data-qty', '0.02');
  await pos.getByTestId('position-close').click();
  const dialog = page.getByTestId('position-dialog');
  await expect(dialog.getByTestId('position-line')).toHaveText('Close ETH/USD on paper: SELL 0.02 at market (position +0.02 → 0)');
  await expect(dialog.getByTestId('position-route')).toHaveAttribute('data-route', 'paper');
  await page.screenshot({ path: path.join(shots, 'close-1600x1000.png') });
  await dialog.getByTestId('position-confirm').click();
  await expect(dialog.getByTestId('position-result')).toHaveAttribute('data-status', 'filled');
  await expect(pos).toHaveCount(0);
  await dialog.getByRole('button', { name: /Done/ }).click();
  await expect(dialog).toHaveCount(0);

  // On a laptop screen the ladder starts closed (the blotter keeps its width) and opens from the book's head.
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.reload();
  await expect(page.locator('[data-testid="venue-status"][data-venue="paper"]')).toHaveAttribute('data-state', 'connected');
  await expect(page.getByTestId('ladder-toggle')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('ladder')).toHaveCount(0);
  await page.getByTestId('ladder-toggle').click();
  await openEth(page);
  const table = await page.getByTestId('ladder-table').boundingBox();
  expect(table!.x + table!.width).toBeLessThanOrEqual(1366);
  await page.screenshot({ path: path.join(shots, 'ladder-1366x768.png') });
  expect(errors).toEqual([]);
});
