/// <reference lib="dom" />
/**
 * Modify a working Paper order from the blotter, end to end against `tradeport serve`: the inline
 * editor sends order.replace, the row shows the new quantity and price, and an engine refusal
 * (a quantity that is not a number, a buy raised above the market beyond the 5 % collar) is shown in the engine's words.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { openApp, serve, type Served, ticketBid } from './serve';

test.use({ actionTimeout: 15_000 });

let dataDir: string;
let server: Served | undefined;

test.beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-e2e-modify-'));
});
test.afterAll(async () => {
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('modify a working order: new quantity and limit, engine errors shown as the engine says them', async ({ page }) => {
  server = await serve(dataDir);
  const errors = await openApp(page, server.url);

  await page.getByTestId('ticket-symbol').fill('ETH');
  await expect(page.locator('[data-testid="symbol-option"][data-symbol="ETH/USD"]')).toBeVisible();
  await page.getByTestId('ticket-symbol').press('Enter');
  await page.getByTestId('ticket-type').selectOption('limit');
  await page.getByTestId('ticket-tif').selectOption('gtc');
  await page.getByTestId('ticket-qty').fill('0.5');
  // 3 % under the bid rests; both it and the modified price stay inside the 5 % collar.
  await page.getByTestId('ticket-limit').fill(((await ticketBid(page)) * 0.97).toFixed(2));
  await page.getByTestId('ticket-preview').click();
  await expect(page.getByTestId('preview-panel')).toHaveAttribute('data-allowed', 'true');
  await page.getByTestId('ticket-place').click();
  const result = page.getByTestId('place-result');
  await expect(result).toHaveAttribute('data-status', /accepted|submitted/);
  const orderId = (await result.getAttribute('data-order-id'))!;
  const row = page.locator(`[data-testid="working-order-row"][data-order-id="${orderId}"]`);
  await expect(row).toHaveAttribute('data-status', 'accepted');

  await row.getByTestId('modify-order').click();
  const editor = page.locator(`[data-testid="modify-editor"][data-order-id="${orderId}"]`);
  await expect(editor.getByTestId('modify-qty')).toHaveValue('0.5');
  await expect(editor.getByTestId('modify-stop')).toHaveCount(0);

  // Refused by the engine: shown with its message, the order unchanged.
  await editor.getByTestId('modify-qty').fill('abc');
  await editor.getByTestId('modify-submit').click();
  await expect(editor.getByTestId('modify-error')).toContainText(/Quantity must be a number greater than zero/);
  await editor.getByTestId('modify-qty').fill('0.4');
  // The aggressive side of the collar blocks (a deep bid below it would only warn).
  const far = ((await ticketBid(page)) * 1.2).toFixed(2);
  await editor.getByTestId('modify-limit').fill(far);
  await editor.getByTestId('modify-submit').click();
  await expect(editor.getByTestId('modify-error')).toContainText(/price collar/);
  await expect(row).toHaveAttribute('data-qty', '0.5');

  const newLimit = ((await ticketBid(page)) * 0.975).toFixed(2);
  await editor.getByTestId('modify-limit').fill(newLimit);
  await editor.getByTestId('modify-submit').click();
  await expect(editor).toHaveCount(0);
  await expect(row).toHaveAttribute('data-qty', '0.4');
  await expect(row).toHaveAttribute('data-limit', String(Number(newLimit)));
  await expect(row).toHaveAttribute('data-status', 'accepted');

  await row.getByTestId('cancel-order').click();
  await expect(row).toHaveCount(0);
  expect(errors).toEqual([]);
});
