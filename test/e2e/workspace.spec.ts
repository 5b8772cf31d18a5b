/// <reference lib="dom" />
/**
 * The trader's workspace, end to end against `tradeport serve`: the `?` list shows every hotkey,
 * a remapped hotkey works and a conflicting one is refused; named watchlists with day change;
 * a saved layout (theme, font size, panel sizes) restored after a reload. Screenshots at the
 * desktop size and at 1366×768.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openApp, serve, type Served } from './serve';

test.use({ actionTimeout: 15_000 });
test.describe.configure({ mode: 'serial' });

const ROOT = path.resolve(__dirname, '../..');
let dataDir: string;
let server: Served | undefined;
let shots: string;

test.beforeAll(async ({}, info) => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-e2e-workspace-'));
  shots = path.join(ROOT, 'test-results', 'workspace', info.project.name);
  fs.mkdirSync(shots, { recursive: true });
  server = await serve(dataDir);
});
test.afterAll(async () => {
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const ticketSide = (page: Page) => page.locator('form[data-ticket]');

async function shootBoth(page: Page, name: string) {
  await page.screenshot({ path: path.join(shots, `${name}-1600.png`) });
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.screenshot({ path: path.join(shots, `${name}-1366.png`) });
  await page.setViewportSize(size);
}

test('hotkeys: ? lists them all; a remapped key works, the old one is gone, a conflicting one is refused', async ({ page }) => {
  const errors = await openApp(page, server!.url);
  await page.locator('body').press('?');
  const dialog = page.getByTestId('hotkeys-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('hotkey-row')).toHaveCount(8);
  await expect(dialog.locator('[data-hotkey="place"] [data-testid="hotkey-chord"]')).toHaveText('Ctrl+Enter');
  await expect(dialog.locator('[data-hotkey="kill-switch"] [data-testid="hotkey-chord"]')).toHaveText('Ctrl+Shift+K');

  await dialog.locator('[data-hotkey="buy"] [data-testid="hotkey-change"]').click();
  await page.keyboard.press('F2');
  await expect(dialog.locator('[data-hotkey="buy"] [data-testid="hotkey-chord"]')).toHaveText('F2');
  await dialog.locator('[data-hotkey="sell"] [data-testid="hotkey-change"]').click();
  await page.keyboard.press('F2');
  await expect(dialog.locator('[data-hotkey="sell"] [data-testid="hotkey-error"]')).toHaveText('F2 is already “Buy side”. Change that one first.');
  await expect(dialog.locator('[data-hotkey="sell"] [data-testid="hotkey-chord"]')).toHaveText('S');
  await dialog.locator('[data-hotkey="kill-switch"] [data-testid="hotkey-change"]').click();
  await page.keyboard.press('k');
  await expect(dialog.locator('[data-hotkey="kill-switch"] [data-testid="hotkey-error"]')).toContainText('needs Ctrl or Alt');
  await shootBoth(page, 'hotkeys');
  await dialog.getByTestId('hotkeys-close').click();
  await expect(dialog).toBeHidden();
  // The kill switch was not tripped by the key pressed while recording.
  await expect(page.getByTestId('kill-switch')).toHaveAttribute('data-state', 'running');

  const body = page.locator('body');
  await body.press('s');
  await expect(ticketSide(page)).toHaveClass(/side-sell/);
  await body.press('b');
  await expect(ticketSide(page)).toHaveClass(/side-sell/);
  await body.press('F2');
  await expect(ticketSide(page)).toHaveClass(/side-buy/);
  await expect(page.getByTestId('ticket-keys')).toContainText('F2/S · ⏎ preview · ⌃⏎ place · Esc');

  // Remapped keys survive a reload.
  await page.goto(server!.url);
  await expect(page.getByTestId('link-status')).toHaveAttribute('data-state', 'open');
  await body.press('s');
  await expect(ticketSide(page)).toHaveClass(/side-sell/);
  await body.press('F2');
  await expect(ticketSide(page)).toHaveClass(/side-buy/);
  expect(errors).toEqual([]);
});

test('watchlists: a named list across venues, added, reordered, removed, with change since the close', async ({ page }) => {
  const errors = await openApp(page, server!.url);
  await expect(page.locator('[data-testid="quote-row"][data-symbol="BTC/USD"]')).toBeVisible();
  await page.getByTestId('watchlist-new').click();
  await page.getByTestId('watchlist-new-name').fill('Crypto');
  await page.getByTestId('watchlist-new-name').press('Enter');
  await expect(page.locator('[data-testid="watchlist-tab"][data-name="Crypto"]')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('[data-testid="quotes-table"] tbody')).toContainText('“Crypto” is empty');

  const add = page.getByTestId('watchlist-add-input');
  await add.fill('paper:BTC/USD');
  await add.press('Enter');
  await add.fill('ETH/USD');
  await add.press('Enter');
  await add.fill('paper:AAPL');
  await page.getByTestId('watchlist-add').click();
  await add.fill('paper:NOPE');
  await add.press('Enter');
  await expect(page.getByTestId('watchlist-error')).toContainText('No single instrument matches “paper:NOPE”');
  await add.fill('paper:BTC/USD');
  await add.press('Enter');
  await expect(page.getByTestId('watchlist-error')).toHaveText('paper:BTC-USD is already in “Crypto”.');
  const rows = page.locator('[data-testid="quotes-table"] [data-testid="quote-row"]');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toHaveAttribute('data-instrument-id', 'paper:BTC-USD');
  await expect(rows.nth(0).getByTestId('quote-change-pct')).toHaveText(/^-?\d+\.\d\d%$/);

  await rows.nth(1).getByTestId('watch-up').click();
  await expect(rows.nth(0)).toHaveAttribute('data-instrument-id', 'paper:ETH-USD');
  await rows.nth(2).getByTestId('watch-remove').click();
  await expect(rows).toHaveCount(2);
  await shootBoth(page, 'watchlist');

  await page.locator('[data-testid="watchlist-tab"][data-name=""]').click();
  await expect(page.locator('[data-testid="quote-row"][data-symbol="AAPL"]').first()).toBeVisible();
  await page.goto(server!.url);
  await expect(page.getByTestId('link-status')).toHaveAttribute('data-state', 'open');
  await page.locator('[data-testid="watchlist-tab"][data-name="Crypto"]').click();
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toHaveAttribute('data-instrument-id', 'paper:ETH-USD');
  expect(errors).toEqual([]);
});

test('layouts: theme, font size and panel sizes saved under a name and restored after a reload', async ({ page }) => {
  const errors = await openApp(page, server!.url);
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'dark');

  // Drag the ticket's edge 100 px to the right.
  const splitter = page.getByTestId('splitter-ticket');
  const box = (await splitter.boundingBox())!;
  const ticketBefore = (await page.locator('.col-ticket').boundingBox())!.width;
  await page.mouse.move(box.x + box.width / 2, box.y + 200);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 50, box.y + 200, { steps: 4 });
  await page.mouse.move(box.x + box.width / 2 + 100, box.y + 200, { steps: 4 });
  await page.mouse.up();
  expect(Math.round((await page.locator('.col-ticket').boundingBox())!.width - ticketBefore)).toBe(100);

  await page.getByTestId('view-button').click();
  const view = page.getByTestId('view-dialog');
  await view.getByTestId('theme-light').check();
  await view.getByTestId('font-larger').click();
  await expect(view.getByTestId('font-scale')).toHaveText('105%');
  await view.getByTestId('layout-name').fill('Morning');
  await view.getByTestId('layout-save').click();
  await expect(view.locator('[data-testid="saved-layout"][data-name="Morning"]')).toBeVisible();
  await view.getByTestId('layout-save').click();
  await expect(view.getByTestId('layout-message')).toHaveText('Give the layout a name.');
  await expect(html).toHaveAttribute('data-theme', 'light');
  await view.getByTestId('view-close').click();
  await shootBoth(page, 'light');

  // Back to dark at 100 % with the default panels but a taller quotes row, then a reload: the screen is as last left, and Morning restores.
  await page.getByTestId('view-button').click();
  await view.getByTestId('theme-dark').check();
  await view.getByTestId('font-reset').click();
  await view.getByTestId('panels-reset').click();
  await view.getByTestId('view-close').click();
  const rowsSplit = page.getByTestId('splitter-rows');
  await rowsSplit.focus();
  await rowsSplit.press('ArrowDown');
  await rowsSplit.press('ArrowDown');
  const topPct = await rowsSplit.getAttribute('aria-valuenow');
  await page.goto(server!.url);
  await expect(page.getByTestId('link-status')).toHaveAttribute('data-state', 'open');
  await expect(html).toHaveAttribute('data-theme', 'dark');
  expect(Math.round((await page.locator('.col-ticket').boundingBox())!.width)).toBe(Math.round(ticketBefore));
  await expect(page.getByTestId('splitter-rows')).toHaveAttribute('aria-valuenow', topPct!);
  await page.getByTestId('view-button').click();
  await view.locator('[data-testid="saved-layout"][data-name="Morning"] [data-testid="layout-restore"]').click();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await expect(view.getByTestId('font-scale')).toHaveText('105%');
  await view.getByTestId('view-close').click();
  expect(await html.evaluate((h) => h.style.getPropertyValue('--ticket-w'))).toBe(`${Math.round(ticketBefore) + 100}px`);
  expect(errors).toEqual([]);
});
