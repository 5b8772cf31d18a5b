/// <reference lib="dom" />
/**
 * The header's account figures against the real engine: after buying coins, "net liq" is cash
 * plus the coins at their mark (not the cash alone), with buying power and P&L today beside it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { cliJson, openApp, serve, type Served } from './serve';

let dataDir: string;
let server: Served | undefined;

const cli = (args: string[]) => cliJson(dataDir, args);
const amount = (text: string | null) => Number((text ?? '').replace(/[^0-9.-]/g, ''));

test.beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-e2e-acct-'));
});
test.afterAll(async () => {
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

for (const size of [
  { width: 1600, height: 1000 },
  { width: 1366, height: 768 },
]) {
  test(`net liquidation, buying power and P&L today in the header at ${size.width}×${size.height}`, async ({ page }) => {
    await page.setViewportSize(size);
    server ??= await serve(dataDir);
    const errors = await openApp(page, server.url);
    const netliq = page.locator('[data-testid="account-netliq"] .num');
    await expect(netliq).not.toHaveText('—');
    const placed = await cli(['place', 'paper', 'BTC/USD', 'buy', '0.2', '--type', 'market', '--tif', 'ioc']);
    expect(placed.error).toBeUndefined();
    const usd = (await cli(['balances'])).value.find((b: { asset: string }) => b.asset === 'USD');
    const account = (await cli(['account'])).value;
    const coins = Number(account.venues.find((v: { venue: string }) => v.venue === 'paper').positionsValue);
    expect(coins).toBeGreaterThan(1000);
    // The header follows: net liq is cash plus the coins (within a moving mark), far above the cash alone.
    await expect.poll(async () => amount(await netliq.textContent()), { timeout: 15_000 }).toBeGreaterThan(Number(usd.total) + coins * 0.9);
    await expect(page.locator('[data-testid="account-bp"] .num')).not.toHaveText('—');
    await expect(page.locator('[data-testid="account-pnl"] .num')).not.toHaveText('—');
    await expect(page.getByTestId('account-summary')).toBeInViewport({ ratio: 1 });
    expect(errors).toEqual([]);
  });
}
