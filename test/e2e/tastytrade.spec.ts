/// <reference lib="dom" />
/**
 * tastytrade end to end against `tradeport serve` and the tastytrade emulator (in process, on a free
 * port): add a tastytrade venue from the Venues panel (account, REST and account-streamer URLs
 * pointing at the emulator; OAuth client secret and refresh token in the write-only fields), arm
 * LIVE, pick an AAPL call from the option chain in the ticket (expiry → strike → call), see its
 * quote stream over DXLink, preview it with the venue's dry-run (fees and buying-power effect),
 * place it, fill it at the emulator, see the fill; then DXLink goes down (the status bar names it,
 * the ticket's quote is stale) and comes back (fresh again).
 */
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { useTastytradeDesk } from './tastytrade-desk';
import { control, expectFilled, pickOption, placeResting, previewFigure, previewPicked } from './venue-flow';

test.use({ actionTimeout: 15_000 });

const SHOT_DIR = path.resolve(__dirname, '../../test-results/tastytrade');

const desk = useTastytradeDesk('tp-e2e-tastytrade-');

test('add a tastytrade venue against the emulator, pick an option from the chain, preview with the dry-run, place it, see it fill', async ({ page }) => {
  const errors = await desk.open(page, path.join(SHOT_DIR, 'tastytrade-add.png'));
  const emu = desk.emu();

  // The chain picker: AAPL → 2026-04-17 → 150 → call.
  await pickOption(page, { venue: 'tt', underlying: 'AAPL', expiry: '20260417', strike: '150', right: 'call', symbol: 'AAPL:OPT:C:150:20260417' });
  // Its quote streams over DXLink: the subscription's snapshot, then a change made at the emulator.
  const bid = page.locator('[data-testid="ticket-quote"] .bid .num').first();
  const ask = page.locator('[data-testid="ticket-quote"] .ask .num').first();
  await expect(bid).toHaveText('4.95');
  await expect(ask).toHaveText('5.05');
  await control(emu.url, 'set-quote', { symbol: 'AAPL  260417C00150000', bid: '4.9', ask: '5' });
  await expect(bid).toHaveText('4.90');
  await expect(ask).toHaveText('5.00');

  // 2 contracts at 4.80, under the 5.05 ask: it rests. The dry-run's fees: 2 × (1.00 commission +
  // 0.10 clearing + 0.02 regulatory) = 2.24; buying power falls by 2 × 4.80 × 100 = 960.
  const bpBefore = emu.account.buyingPower();
  const preview = await previewPicked(page, { qty: '2', limit: '4.8' });
  await expect(previewFigure(preview, 'Notional')).toContainText('960.00');
  await expect(previewFigure(preview, 'Fee')).toContainText('2.24');
  const money = (d: { toFixed(n: number): string }): string => Number(d.toFixed(2)).toLocaleString('en-US', { minimumFractionDigits: 2 });
  await expect(previewFigure(preview, 'Buying power')).toContainText(money(bpBefore));
  await expect(previewFigure(preview, 'Buying power')).toContainText(money(bpBefore.sub(960)));
  expect(emu.server.requests.some((r) => r.method === 'POST' && r.path.endsWith('/orders/dry-run'))).toBe(true);
  await preview.screenshot({ path: path.join(SHOT_DIR, 'tastytrade-preview.png') });

  const orderId = await placeResting(page);
  const live = [...emu.account.orders.values()].filter((o) => o.status === 'Live');
  expect(live.map((o) => [o['order-type'], o['time-in-force'], o.price, o['price-effect'], o.legs.map((l) => [l['instrument-type'], l.symbol, l.quantity, l.action])])).toEqual([
    ['Limit', 'GTC', '4.8', 'Debit', [['Equity Option', 'AAPL  260417C00150000', '2', 'Buy to Open']]],
  ]);

  await control(emu.url, 'fill', { id: live[0]!.id, qty: '2', price: '4.8' });
  await expectFilled(page, orderId, '2');
  await page.screenshot({ path: path.join(SHOT_DIR, 'tastytrade-filled.png') });

  // DXLink down (the account streamer stays up): the status bar says so and the ticket's quote is stale.
  const strip = page.getByTestId('ticket-quote');
  const feedDown = page.locator('[data-testid="venue-health"][data-venue="tt"] [data-testid="venue-feed-down"]');
  await control(emu.url, 'dxlink-outage', { down: true });
  await expect(feedDown).toHaveText('DXLink quotes DOWN');
  await expect(strip).toHaveAttribute('data-stale', 'true');
  await expect(strip).toContainText('STALE');
  await expect(page.locator('[data-testid="venue-status"][data-venue="tt"]')).toHaveAttribute('data-state', 'connected');
  await page.screenshot({ path: path.join(SHOT_DIR, 'tastytrade-dxlink-down.png') });
  // Back: the feed is up, and the resubscription's snapshot makes the quote fresh again.
  await control(emu.url, 'dxlink-outage', { down: false });
  await expect(feedDown).toHaveCount(0);
  await expect(strip).toHaveAttribute('data-stale', 'false');
  await expect(bid).toHaveText('4.90');
  expect(errors).toEqual([]);
});
