/// <reference lib="dom" />
/**
 * A price alert set from the ladder fires and shows as a toast, end to end against `tradeport
 * serve` with the Paper market moving: a click on a price just above the market arms an alert
 * there (marked on its row); when the market trades there the engine fires it once, the toast
 * says so and the mark goes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { Decimal } from '../../src-main/engine/domain/money';
import { openApp, serve, type Served } from './serve';

test.use({ actionTimeout: 15_000 });

let dataDir: string;
let server: Served | undefined;

test.beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-e2e-palert-'));
  server = await serve(dataDir);
});
test.afterAll(async () => {
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('an alert set on the ladder fires and a toast shows', async ({ page }) => {
  const errors = await openApp(page, server!.url);
  await page.getByTestId('ticket-symbol').fill('ETH');
  await expect(page.locator('[data-testid="symbol-option"][data-symbol="ETH/USD"]')).toBeVisible();
  await page.getByTestId('ticket-symbol').press('Enter');
  await expect(page.locator('[data-testid="ladder-row"].best-ask')).toHaveCount(1);

  // Ten ticks above the ask: the Paper ETH price moves tens of ticks a second, so it trades there
  // soon. The engine picks the side from its own market when it checks ("cross"), so a market that
  // passed the level since the ladder's frame gives an alert below it, not a refusal. Only a market
  // exactly at the level when the engine checks leaves nothing to wait for: the engine says so and
  // the trader clicks a fresh level.
  const note = page.getByTestId('ladder-alert-note');
  let level = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    // The ladder follows the market: on a loaded machine the row read a moment ago can have left
    // the ladder before the click lands, so read the ask again and click a row that is there.
    await expect(async () => {
      const ask = (await page.locator('[data-testid="ladder-row"].best-ask').getAttribute('data-price'))!;
      level = new Decimal(ask).plus('0.10').toFixed();
      await page.locator(`[data-testid="ladder-row"][data-price="${level}"] td[data-col="price"]`).click({ timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
    const set = new RegExp(`^Alert set: ETH/USD (above|below) ${level.replace('.', '\\.')}$`);
    const atMarket = new RegExp(`^invalid_price: ETH/USD is at ${level.replace('.', '\\.')} now: pick a price above or below the market`);
    await expect(note).toHaveText(new RegExp(`${set.source}|${atMarket.source}`));
    if (set.test((await note.textContent()) ?? '')) break;
  }
  await expect(note).toHaveText(new RegExp(`^Alert set: ETH/USD (above|below) ${level.replace('.', '\\.')}$`));
  const condition = (await note.textContent())!.includes('above') ? 'above' : 'below';

  const toast = page.locator('[data-testid="toast"]', { hasText: `Price alert: ETH/USD crossed ${condition} ${level}` });
  await expect(toast).toBeVisible({ timeout: 60_000 });
  // Fired once: no longer armed, so no row carries its mark.
  await expect(page.locator('td[data-col="price"].has-alert')).toHaveCount(0);
  expect(errors).toEqual([]);
});
