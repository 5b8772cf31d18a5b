/// <reference lib="dom" />
/**
 * The price collar in the ticket's preview, end to end against `tradeport serve`: a deep bid (the
 * passive side) is allowed with a warning that says so; the same distance on the aggressive side
 * (a buy above the market) is blocked, and the preview says which side applied.
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
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-e2e-collar-'));
});
test.afterAll(async () => {
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

for (const size of [
  { width: 1600, height: 1000 },
  { width: 1366, height: 768 },
]) {
  test(`a deep bid warns, a buy far above the market is blocked, and the preview says which side at ${size.width}×${size.height}`, async ({ page }) => {
    await page.setViewportSize(size);
    server ??= await serve(dataDir);
    const errors = await openApp(page, server.url);
    await page.getByTestId('ticket-symbol').fill('AAPL');
    await expect(page.locator('[data-testid="symbol-option"][data-symbol="AAPL"]')).toBeVisible();
    await page.getByTestId('ticket-symbol').press('Enter');
    await page.getByTestId('ticket-type').selectOption('limit');
    await page.getByTestId('ticket-qty').fill('1');

    await page.getByTestId('ticket-limit').fill(((await ticketBid(page)) * 0.8).toFixed(2));
    await page.getByTestId('ticket-preview').click();
    const panel = page.getByTestId('preview-panel');
    await expect(panel).toHaveAttribute('data-allowed', 'true');
    await expect(panel.getByTestId('preview-warnings')).toContainText('Warning only: on the passive side (a bid below the market)');

    await page.getByTestId('ticket-limit').fill(((await ticketBid(page)) * 1.2).toFixed(2));
    await page.getByTestId('ticket-preview').click();
    await expect(panel).toHaveAttribute('data-allowed', 'false');
    await expect(panel.getByTestId('preview-violations')).toContainText('Blocked: on the aggressive side (a buy above the market)');
    expect(errors).toEqual([]);
  });
}
