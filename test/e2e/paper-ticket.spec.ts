/// <reference lib="dom" />
/**
 * The trader's first session, end to end: the built renderer in Chromium against `tradeport
 * serve`. Place a Paper limit order from the ticket with the keyboard, see it working, see it
 * fill, see the position; restart the server and see the history.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { openApp, serve, type Served } from './serve';

let dataDir: string;
let server: Served | undefined;

test.beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-e2e-'));
});
test.afterAll(async () => {
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('place a Paper limit order with the keyboard, watch it fill, keep it across a restart', async ({ page }) => {
  server = await serve(dataDir);
  const errors = await openApp(page, server.url);

  // Instrument search: type, Enter picks the highlighted match.
  await page.getByTestId('ticket-symbol').fill('ETH');
  await expect(page.locator('[data-testid="symbol-option"][data-symbol="ETH/USD"]')).toBeVisible();
  await page.getByTestId('ticket-symbol').press('Enter');
  await expect(page.getByTestId('ticket-symbol')).toHaveValue('ETH/USD');

  await page.getByTestId('ticket-type').selectOption('limit');
  await page.getByTestId('ticket-tif').selectOption('gtc');
  await page.getByTestId('ticket-qty').fill('0.5');
  // Record every working-order row that reaches the screen: Paper's market can reach the order a
  // tick (250 ms) after it starts working, sooner than a poll would look.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __workingSeen: string[] }).__workingSeen = seen;
    new MutationObserver(() => {
      document.querySelectorAll('[data-testid="working-order-row"]').forEach((r) => seen.push(r.getAttribute('data-order-id') ?? ''));
    }).observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
  });

  // Rest at (or just under) the bid: a maker order that works first and fills when the offer comes
  // down to it. The price moves between reading the bid and placing, so if the order was already
  // marketable when it arrived (filled at once), the trader places another one a little lower.
  let orderId: string | null = null;
  let previousId: string | null = null;
  let placed = 0;
  for (let attempt = 0; attempt < 6 && !orderId; attempt++) {
    const bidText = (await page.locator('[data-testid="ticket-quote"] .bid .num').first().textContent())?.replace(/,/g, '').trim();
    expect(bidText).toMatch(/^\d+\.\d{2}$/);
    const limit = (Number(bidText) - attempt * 0.05).toFixed(2);
    await page.getByTestId('ticket-limit').fill(limit);

    // Keyboard: B / S pick the side (outside a text box), Enter previews, Ctrl+Enter places.
    await page.getByTestId('ticket-limit').blur();
    await page.keyboard.press('s');
    await expect(page.getByTestId('ticket-side-sell')).toHaveAttribute('aria-checked', 'true');
    await page.keyboard.press('b');
    await expect(page.getByTestId('ticket-side-buy')).toHaveAttribute('aria-checked', 'true');
    await expect(page.getByTestId('ticket-place')).toBeDisabled();
    await page.keyboard.press('Enter');
    const preview = page.getByTestId('preview-panel');
    await expect(preview).toHaveAttribute('data-allowed', 'true');
    await expect(preview).toHaveAttribute('data-route', 'paper');
    await expect(page.getByTestId('ticket-place')).toBeEnabled();
    await page.keyboard.press('Control+Enter');

    const result = page.getByTestId('place-result');
    // The result panel still shows the previous attempt until this order's answer arrives.
    if (previousId) await expect(result).not.toHaveAttribute('data-order-id', previousId);
    await expect(result).toHaveAttribute('data-status', /accepted|partially_filled|filled/);
    const id = await result.getAttribute('data-order-id');
    expect(id).toBeTruthy();
    previousId = id;
    placed++;
    if ((await result.getAttribute('data-status')) === 'filled') continue;
    // Paper steps every 250 ms and this order rests a tick or two from the touch, so the market can
    // reach it before its Working row is drawn; then the trader places another, a little lower.
    const seen = await expect
      .poll(() => page.evaluate(() => (window as unknown as { __workingSeen: string[] }).__workingSeen), { timeout: 3_000 })
      .toContain(id)
      .then(
        () => true,
        () => false,
      );
    if (seen) orderId = id;
  }
  expect(orderId, 'an order that was on screen as working before it filled').toBeTruthy();

  // Working, then filled: the row leaves Working and the position appears.
  await expect(page.locator(`[data-testid="working-order-row"][data-order-id="${orderId}"]`)).toHaveCount(0, { timeout: 120_000 });
  await page.getByTestId('tab-orders').click();
  await expect(page.locator(`[data-testid="order-row"][data-order-id="${orderId}"]`)).toHaveAttribute('data-status', 'filled');
  const position = page.locator('[data-testid="position-row"][data-symbol="ETH/USD"]');
  // Every order placed above fills (those not seen working already had): 0.5 each.
  const expectedQty = (0.5 * placed).toString();
  await expect(position).toBeVisible();
  await expect(position).toContainText(expectedQty);
  await page.getByTestId('tab-fills').click();
  await expect(page.locator('[data-testid="fill-row"][data-symbol="ETH/USD"]').first()).toBeVisible();

  // Bad input gets a specific message, and nothing is placed.
  await page.getByTestId('ticket-qty').fill('0.00001');
  await expect(page.getByTestId('ticket-error-qty')).toHaveAttribute('data-code', 'quantity_too_precise');
  await page.getByTestId('ticket-qty').fill('1');
  await page.getByTestId('ticket-limit').fill('3000.005');
  await expect(page.getByTestId('ticket-error-limitPrice')).toHaveAttribute('data-code', /price_too_precise|price_off_tick/);
  await expect(page.getByTestId('ticket-place')).toBeDisabled();
  expect(errors).toEqual([]);

  // Restart the server on the same data dir: history, fills and the position are still there.
  await server.stop();
  server = await serve(dataDir);
  await openApp(page, server.url);
  await page.getByTestId('tab-orders').click();
  await expect(page.locator(`[data-testid="order-row"][data-order-id="${orderId}"]`)).toHaveAttribute('data-status', 'filled');
  await expect(page.locator('[data-testid="position-row"][data-symbol="ETH/USD"]')).toContainText(expectedQty);
  await page.getByTestId('tab-fills').click();
  await expect(page.locator('[data-testid="fill-row"][data-symbol="ETH/USD"]').first()).toBeVisible();
});
