/// <reference lib="dom" />
/**
 * The price and depth charts end to end against `tradeport serve` on the Paper venue: a fill and a
 * working buy limit on ETH/USD, then the quotes area's Chart view shows candles, the fill as a
 * marker, the order as a line and the book's depth. Dragging the line's handle proposes a move the
 * trader confirms, sent as a modify; a move the engine refuses (outside a tight price collar) snaps
 * the line back with the engine's reason. The Paper market is held still (tickMs=0).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { Decimal } from '../../src-main/engine/domain/money';
import { openApp, serve, ticketBid, tradeportSetup, type Served } from './serve';

test.use({ actionTimeout: 15_000 });
test.describe.configure({ mode: 'serial' });

const ROOT = path.resolve(__dirname, '../..');
let dataDir: string;
let server: Served | undefined;
let shots: string;

test.beforeAll(async ({}, info) => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-e2e-chart-'));
  shots = path.join(ROOT, 'test-results', 'chart', info.project.name);
  fs.mkdirSync(shots, { recursive: true });
  // A still market (its quote then ages: the stale-quote guard off), and a tight collar: a deep bid
  // is only warned about (passive side), a buy above the market by more than 0.2% is refused.
  tradeportSetup(dataDir, [
    ['venue', 'set', 'paper', 'tickMs=0'],
    ['risk', 'set', 'max_quote_age_ms', 'off'],
    ['risk', 'set', 'price_collar_pct', '0.2'],
  ]);
  server = await serve(dataDir);
});
test.afterAll(async () => {
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function place(page: Page, type: 'market' | 'limit', limit?: string): Promise<string> {
  await page.getByTestId('ticket-type').selectOption(type);
  await page.getByTestId('ticket-qty').fill('0.01');
  if (limit) await page.getByTestId('ticket-limit').fill(limit);
  await page.getByTestId('ticket-preview').click();
  await expect(page.getByTestId('preview-panel')).toHaveAttribute('data-allowed', 'true');
  await page.getByTestId('ticket-place').click();
  const result = page.getByTestId('place-result');
  await expect(result).toHaveAttribute('data-status', type === 'market' ? /filled/ : /accepted|submitted/);
  return (await result.getAttribute('data-order-id'))!;
}

async function dragBy(page: Page, handle: ReturnType<Page['locator']>, toY: number) {
  const b = (await handle.boundingBox())!;
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, toY, { steps: 8 });
  await page.mouse.up();
}

test('candles, a fill marker, depth, and an order line dragged to a confirmed modify; a refused one snaps back', async ({ page }) => {
  const errors = await openApp(page, server!.url);
  await page.getByTestId('ticket-symbol').fill('ETH');
  await expect(page.locator('[data-testid="symbol-option"][data-symbol="ETH/USD"]')).toBeVisible();
  await page.getByTestId('ticket-symbol').press('Enter');
  await expect(page.getByTestId('ticket-symbol')).toHaveValue('ETH/USD');

  await place(page, 'market');
  const deep = ((await ticketBid(page)) * 0.97).toFixed(2);
  const id = await place(page, 'limit', deep);

  await page.getByTestId('chart-toggle').click();
  const chart = page.getByTestId('price-chart');
  await expect(chart).toHaveAttribute('data-bars', /^[1-9]\d*$/);
  // History first: Paper's own one-minute bars since the engine started (market.bars), live candles on top.
  await expect(chart).toHaveAttribute('data-history', /^[1-9]\d*$/);
  await expect(chart).toHaveAttribute('data-markers', '1');
  await expect(chart).toHaveAttribute('data-lines', '1');
  await expect(page.getByTestId('depth-chart')).toHaveAttribute('data-bids', /^[1-9]\d*$/);
  await expect(page.getByTestId('depth-chart')).toHaveAttribute('data-asks', /^[1-9]\d*$/);
  const handle = page.locator(`[data-testid="chart-order-handle"][data-order-id="${id}"]`);
  await expect(handle).toHaveAttribute('data-price', new Decimal(deep).toFixed());
  await page.screenshot({ path: path.join(shots, 'chart.png') });

  // Drag the line a little up: still a passive bid, confirmed, then the order is modified there.
  const b = (await handle.boundingBox())!;
  await dragBy(page, handle, b.y + b.height / 2 - 25);
  await expect(page.getByTestId('chart-move')).toContainText('→');
  const moved = (await handle.getAttribute('data-price'))!;
  expect(Number(moved)).toBeGreaterThan(Number(deep));
  await page.getByTestId('chart-move-confirm').click();
  await expect(page.locator(`[data-testid="working-order-row"][data-order-id="${id}"]`)).toHaveAttribute('data-limit', moved);
  await expect(page.getByTestId('chart-move')).toHaveCount(0);

  // Drag it to the chart's top: a buy far above the market, refused by the collar; the line snaps back.
  const top = (await chart.boundingBox())!.y + 3;
  await dragBy(page, handle, top);
  await expect(page.getByTestId('chart-move')).toBeVisible();
  await page.getByTestId('chart-move-confirm').click();
  await expect(page.getByTestId('chart-move-error')).toContainText('collar');
  await expect(handle).toHaveAttribute('data-price', moved);
  await expect(page.locator(`[data-testid="working-order-row"][data-order-id="${id}"]`)).toHaveAttribute('data-limit', moved);

  // Cancelling a proposed move sends nothing.
  await dragBy(page, handle, ((await handle.boundingBox())!.y as number) + 20);
  await expect(page.getByTestId('chart-move')).toBeVisible();
  await page.getByTestId('chart-move-cancel').click();
  await expect(handle).toHaveAttribute('data-price', moved);

  await page.setViewportSize({ width: 1366, height: 768 });
  await expect(chart).toBeVisible();
  await expect(handle).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'chart-1366x768.png') });
  expect(errors).toEqual([]);
});
