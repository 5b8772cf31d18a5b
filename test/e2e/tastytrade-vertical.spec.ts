/// <reference lib="dom" />
/**
 * A two-leg option vertical from the ticket, end to end against `tradeport serve` and the
 * tastytrade emulator (in process, on a free port): add a tastytrade venue from the Venues panel,
 * arm LIVE, pick the 150 call from the chain, choose "Vertical with the 155 call", see both legs,
 * the net debit and the spread's market, preview (tastytrade's dry-run), place — ONE order at the
 * venue with two legs — and see it fill with a fill and a position for each leg.
 */
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { useTastytradeDesk } from './tastytrade-desk';
import { control, pickOption } from './venue-flow';

test.use({ actionTimeout: 15_000 });

const SHOT_DIR = path.resolve(__dirname, '../../test-results/tastytrade-vertical');

const desk = useTastytradeDesk('tp-e2e-ttv-');

test('a call vertical from the chain: both legs, net debit, preview, place as one order, a fill and a position per leg', async ({ page }) => {
  const errors = await desk.open(page);
  const emu = desk.emu();
  await control(emu.url, 'set-quote', { symbol: 'AAPL  260320C00150000', bid: '6.00', ask: '6.10' });
  await control(emu.url, 'set-quote', { symbol: 'AAPL  260320C00155000', bid: '3.00', ask: '3.10' });

  await pickOption(page, { venue: 'tt', underlying: 'AAPL', expiry: '20260320', strike: '150', right: 'call', symbol: 'AAPL:OPT:C:150:20260320' });
  await page.getByTestId('chain-vertical').selectOption({ label: 'Vertical with the 155 call' });

  const strip = page.getByTestId('ticket-vertical');
  await expect(strip).toContainText('Buy AAPL:OPT:C:150:20260320 · Sell AAPL:OPT:C:155:20260320');
  await expect(strip).toHaveAttribute('data-net', 'Net debit');
  await expect(page.getByTestId('ticket-vertical-market')).toContainText('Net debit · market 2.9 / 3.1', { timeout: 15_000 });

  await page.getByTestId('ticket-type').selectOption('limit');
  await page.getByTestId('ticket-tif').selectOption('day');
  await page.getByTestId('ticket-qty').fill('1');
  await page.getByTestId('ticket-limit').fill('3.10');
  await expect(page.getByTestId('ticket-place')).toContainText('Buy 1 AAPL:OPT:C:150:20260320 / sell 155 · net debit');
  await page.getByTestId('ticket-preview').click();
  const preview = page.getByTestId('preview-panel');
  await expect(preview).toHaveAttribute('data-route', 'live');
  await expect(preview).toHaveAttribute('data-allowed', 'true');
  await expect(page.getByTestId('preview-vertical')).toContainText('/ AAPL:OPT:C:155:20260320 vertical · net debit');
  await preview.screenshot({ path: path.join(SHOT_DIR, 'vertical-preview.png') });

  await page.getByTestId('ticket-place').click();
  const result = page.getByTestId('place-result');
  await expect(result).toHaveAttribute('data-status', /accepted|submitted|filled|partially_filled/);
  const orderId = (await result.getAttribute('data-order-id'))!;

  // ONE tastytrade order carrying both legs.
  const atVenue = [...emu.account.orders.values()];
  expect(atVenue).toHaveLength(1);
  expect(atVenue[0]!.legs.map((l) => [l.symbol, l.action])).toEqual([
    ['AAPL  260320C00150000', 'Buy to Open'],
    ['AAPL  260320C00155000', 'Sell to Open'],
  ]);
  expect(atVenue[0]).toMatchObject({ price: '3.1', 'price-effect': 'Debit' });

  await page.getByTestId('tab-orders').click();
  await expect(page.locator(`[data-testid="order-row"][data-order-id="${orderId}"]`)).toHaveAttribute('data-status', 'filled', { timeout: 30_000 });
  await page.getByTestId('tab-fills').click();
  const fills = page.locator(`[data-testid="fill-row"][data-order-id="${orderId}"]`);
  await expect(fills).toHaveCount(2);
  await expect(page.locator(`[data-testid="fill-row"][data-order-id="${orderId}"][data-symbol="AAPL:OPT:C:155:20260320"]`)).toHaveCount(1);
  await page.getByTestId('tab-positions').click();
  await expect(page.locator('[data-testid="position-row"][data-venue="tt"][data-symbol="AAPL:OPT:C:150:20260320"]')).toHaveAttribute('data-qty', '1');
  await expect(page.locator('[data-testid="position-row"][data-venue="tt"][data-symbol="AAPL:OPT:C:155:20260320"]')).toHaveAttribute('data-qty', '-1');
  await page.screenshot({ path: path.join(SHOT_DIR, 'vertical-filled.png') });
  expect(errors).toEqual([]);
});
