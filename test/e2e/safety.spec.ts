/// <reference lib="dom" />
/**
 * Order safety in the UI, end to end against `tradeport serve`: the kill switch from the hotkey
 * cancels a working Paper order and stops new ones, a confirmed reset resumes trading; risk limits
 * are listed and an edit takes effect in the next preview; the audit log lists it all and exports CSV.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openApp, serve, type Served, ticketBid } from './serve';

test.use({ actionTimeout: 15_000 });

let dataDir: string;
let server: Served | undefined;

test.beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-e2e-safety-'));
});
test.afterAll(async () => {
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function pickSymbol(page: Page, typed: string, symbol: string) {
  await page.getByTestId('ticket-symbol').fill(typed);
  await expect(page.locator(`[data-testid="symbol-option"][data-symbol="${symbol}"]`)).toBeVisible();
  await page.getByTestId('ticket-symbol').press('Enter');
  await expect(page.getByTestId('ticket-symbol')).toHaveValue(symbol);
}

test('kill switch from the hotkey, confirmed reset, risk edit, audit + CSV', async ({ page }) => {
  server = await serve(dataDir);
  const errors = await openApp(page, server.url);

  // Paper shows PAPER and cannot change.
  const paperMode = page.locator('[data-testid="venue-mode"][data-venue="paper"]');
  await expect(paperMode).toHaveAttribute('data-mode', 'paper');
  await expect(paperMode).toHaveText('PAPER');
  await expect(page.getByTestId('kill-switch')).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId('kill-switch')).toHaveAttribute('title', /Ctrl\+Shift\+K/);
  await expect(page.getByTestId('kill-switch-banner')).toHaveCount(0);

  // A working Paper order: a buy 2 % under the bid rests.
  await pickSymbol(page, 'ETH', 'ETH/USD');
  await page.getByTestId('ticket-type').selectOption('limit');
  await page.getByTestId('ticket-tif').selectOption('gtc');
  await page.getByTestId('ticket-qty').fill('0.5');
  await page.getByTestId('ticket-limit').fill(((await ticketBid(page)) * 0.98).toFixed(2));
  await page.getByTestId('ticket-preview').click();
  const preview = page.getByTestId('preview-panel');
  await expect(preview).toHaveAttribute('data-allowed', 'true');
  await expect(page.getByTestId('preview-route')).toHaveAttribute('data-route', 'paper');
  await expect(page.getByTestId('preview-route')).toContainText('PAPER');
  // The id shown is the one the engine routed (and the one Place sends).
  const coid = ((await page.locator('.coid').textContent()) ?? '').match(/client id (\S+)/)?.[1];
  expect(coid).toBeTruthy();
  await page.getByTestId('ticket-place').click();
  const result = page.getByTestId('place-result');
  await expect(result).toHaveAttribute('data-status', /accepted|submitted/);
  const orderId = (await result.getAttribute('data-order-id'))!;
  await expect(page.locator(`[data-testid="working-order-row"][data-order-id="${orderId}"]`)).toBeVisible();
  await page.getByTestId('tab-orders').click();
  await expect(page.locator(`[data-testid="order-row"][data-order-id="${orderId}"]`)).toContainText(coid!);
  await page.getByTestId('tab-working').click();

  // A fresh, allowed preview for the next order, made before the trip.
  await page.getByTestId('ticket-qty').fill('0.25');
  await page.getByTestId('ticket-preview').click();
  await expect(preview).toHaveAttribute('data-allowed', 'true');

  // Trip with the hotkey, from anywhere.
  await page.locator('body').click({ position: { x: 700, y: 15 } });
  await page.keyboard.press('Control+Shift+K');
  const banner = page.getByTestId('kill-switch-banner');
  await expect(banner).toBeVisible();
  await expect(banner).toHaveAttribute('data-state', 'halted');
  await expect(page.getByTestId('kill-switch')).toHaveAttribute('data-state', 'halted');
  await expect(page.getByTestId('ticket-halted')).toBeVisible();

  // The working order was cancelled by the sweep.
  await expect(page.locator(`[data-testid="working-order-row"][data-order-id="${orderId}"]`)).toHaveCount(0);
  await page.getByTestId('tab-orders').click();
  await expect(page.locator(`[data-testid="order-row"][data-order-id="${orderId}"]`)).toHaveAttribute('data-status', 'cancelled');

  // The preview made before the trip no longer holds: it is dropped with the reason and Place disables
  // (the engine would refuse it as preview_stale too).
  const err = page.getByTestId('preview-error');
  await expect(err).toHaveAttribute('data-code', 'preview_stale');
  await expect(err).toContainText('the kill switch changed to halted');
  await expect(page.getByTestId('ticket-place')).toBeDisabled();
  // A new preview says so too.
  await page.getByTestId('ticket-preview').click();
  await expect(preview).toHaveAttribute('data-allowed', 'false');
  await expect(page.getByTestId('preview-violations')).toContainText(/halted/i);

  // Reset needs the typed confirmation.
  await page.getByTestId('kill-switch-reset').click();
  const dialog = page.getByTestId('kill-switch-reset-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('kill-switch-reset-confirm')).toBeDisabled();
  await page.getByTestId('kill-switch-reset-input').fill('reset');
  await expect(page.getByTestId('kill-switch-reset-confirm')).toBeDisabled();
  await page.getByTestId('kill-switch-reset-input').fill('RESET');
  await page.getByTestId('kill-switch-reset-note').fill('e2e: checked');
  await page.getByTestId('kill-switch-reset-confirm').click();
  await expect(dialog).toHaveCount(0);
  await expect(banner).toHaveCount(0);
  await expect(page.getByTestId('kill-switch')).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId('ticket-halted')).toHaveCount(0);

  // Risk: the effective limits with their scope; an edit takes effect in the next preview.
  await page.getByTestId('tab-risk').click();
  const row = page.locator('[data-testid="risk-row"][data-key="max_order_notional"]');
  await expect(row).toBeVisible();
  await expect(page.locator('[data-testid="risk-row"]')).toHaveCount(10);
  await expect(row.getByTestId('risk-value')).toHaveText(/\d/);
  await expect(row).toContainText(/default|global/);
  await row.getByTestId('risk-edit').click();
  await row.getByTestId('risk-input').fill('abc');
  await row.getByTestId('risk-save').click();
  await expect(row.getByTestId('risk-error')).toBeVisible();
  await row.getByTestId('risk-input').fill('100');
  await row.getByTestId('risk-save').click();
  await expect(row).toHaveAttribute('data-value', '100');
  await expect(row).toContainText('global limit');
  await page.getByTestId('ticket-preview').click();
  await expect(preview).toHaveAttribute('data-allowed', 'false');
  await expect(page.getByTestId('preview-violations')).toContainText(/order notional/i);
  await row.getByTestId('risk-edit').click();
  await row.getByTestId('risk-inherit').click();
  await expect(row).not.toHaveAttribute('data-value', '100');
  await page.getByTestId('ticket-preview').click();
  await expect(preview).toHaveAttribute('data-allowed', 'true');

  // Reconcile: run now; the report lands in the tab.
  await page.getByTestId('tab-reconcile').click();
  const before = await page.locator('[data-testid="reconcile-report"]').count();
  await page.getByTestId('reconcile-run').click();
  await expect(page.locator('[data-testid="reconcile-report"][data-trigger="manual"]').first()).toBeVisible();
  expect(await page.locator('[data-testid="reconcile-report"]').count()).toBeGreaterThan(before);

  // Audit: the kill switch entries, filtered by action prefix; CSV export downloads them.
  await page.getByTestId('tab-audit').click();
  await page.getByTestId('audit-filter-action').fill('killSwitch');
  await expect(page.locator('[data-testid="audit-row"][data-action="killSwitch.trip"]').first()).toBeVisible();
  await expect(page.locator('[data-testid="audit-row"][data-action="killSwitch.reset"]').first()).toBeVisible();
  const actions = await page.locator('[data-testid="audit-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action') ?? ''));
  expect(actions.every((a) => a.startsWith('killSwitch'))).toBe(true);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()]);
  expect(download.suggestedFilename()).toMatch(/^tradeport-audit-\d{8}-\d{6}Z\.csv$/);
  const csv = fs.readFileSync((await download.path())!, 'utf8');
  expect(csv.split(/\r?\n/)[0]).toContain('action');
  expect(csv).toContain('killSwitch.trip');
  expect(csv).toContain('killSwitch.reset');
  expect(csv).not.toContain('order.place');

  expect(errors).toEqual([]);
});
