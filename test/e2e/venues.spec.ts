/// <reference lib="dom" />
/**
 * The Venues panel end to end against `tradeport serve` and the TWS emulator (in process, on a
 * free port): add an IBKR venue from the UI, see it connect with the TWS server version in its row
 * and in the status bar, edit its client id, remove it after confirming; a venue on a port nobody
 * listens on reads as down; an engine refusal (a venue with working orders) is shown verbatim.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { TwsEmulator } from '../emulators/tws';
import { openApp, serve, type Served } from './serve';

test.use({ actionTimeout: 15_000 });

let dataDir: string;
let server: Served | undefined;
let emu: TwsEmulator | undefined;

test.beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-e2e-venues-'));
  emu = new TwsEmulator({ port: 0 });
  await emu.start();
});
test.afterAll(async () => {
  await server?.stop();
  await emu?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const SHOT_DIR = path.resolve(__dirname, '../../test-results/venues');

const row = (page: Page, venue: string) => page.locator(`[data-testid="venue-row"][data-venue="${venue}"]`);
const status = (page: Page, venue: string) => page.locator(`[data-testid="venue-status"][data-venue="${venue}"]`);

async function placeRestingPaperOrder(page: Page): Promise<string> {
  await page.getByTestId('ticket-symbol').fill('ETH');
  await expect(page.locator('[data-testid="symbol-option"][data-symbol="ETH/USD"]')).toBeVisible();
  await page.getByTestId('ticket-symbol').press('Enter');
  await expect(page.getByTestId('ticket-symbol')).toHaveValue('ETH/USD');
  await page.getByTestId('ticket-type').selectOption('limit');
  await page.getByTestId('ticket-tif').selectOption('gtc');
  await page.getByTestId('ticket-qty').fill('0.5');
  const bidText = (await page.locator('[data-testid="ticket-quote"] .bid .num').first().textContent())?.replace(/,/g, '').trim();
  await page.getByTestId('ticket-limit').fill((Number(bidText) * 0.98).toFixed(2));
  await page.getByTestId('ticket-preview').click();
  await expect(page.getByTestId('preview-panel')).toHaveAttribute('data-allowed', 'true');
  await page.getByTestId('ticket-place').click();
  const result = page.getByTestId('place-result');
  await expect(result).toHaveAttribute('data-status', /accepted|submitted/);
  return (await result.getAttribute('data-order-id'))!;
}

test('add an IBKR venue against the TWS emulator, edit it, remove it; a bad port reads as down', async ({ page }) => {
  server = await serve(dataDir);
  const errors = await openApp(page, server.url);

  // A working Paper order, so removing Paper is refused by the engine.
  const orderId = await placeRestingPaperOrder(page);
  await expect(page.locator(`[data-testid="working-order-row"][data-order-id="${orderId}"]`)).toBeVisible();

  await page.getByTestId('open-venues').click();
  const panel = page.getByTestId('venues-panel');
  await expect(panel).toBeVisible();
  await expect(row(page, 'paper')).toHaveAttribute('data-state', 'connected');

  // Remove asks first; the engine's refusal is shown verbatim.
  await row(page, 'paper').getByTestId('venue-remove').click();
  await expect(row(page, 'paper').getByTestId('venue-remove-confirm')).toBeVisible();
  await row(page, 'paper').getByTestId('venue-remove-confirm').click();
  await expect(page.getByTestId('venue-row-error')).toContainText('Venue "paper" still has working orders. Cancel them first');
  await expect(row(page, 'paper')).toHaveCount(1);

  // Add: the IBKR form is generated from venue.kinds; defaults show as placeholders.
  await page.getByTestId('venue-add').click();
  await page.getByTestId('venue-kind').selectOption('ibkr');
  await expect(page.getByTestId('venue-setting-port')).toHaveAttribute('placeholder', '7497');
  await expect(page.getByTestId('venue-setting-host')).toHaveAttribute('placeholder', '127.0.0.1');
  await expect(panel).toContainText('TWS 7497 paper / 7496 live; IB Gateway 4002 paper / 4001 live');
  // Quick picks fill the port; a live port is called out.
  await page.getByTestId('venue-preset-port-4001').click();
  await expect(page.getByTestId('venue-setting-port')).toHaveValue('4001');
  await expect(page.getByTestId('venue-live-note-port')).toContainText('Port 4001 is a live account port');
  await page.getByTestId('venue-preset-port-7497').click();
  await expect(page.getByTestId('venue-live-note-port')).toHaveCount(0);
  // A port out of range is named before anything is sent.
  await page.getByTestId('venue-setting-port').fill('99999');
  await expect(page.getByTestId('venue-field-error-port')).toHaveText('Socket port must be a whole number from 1 to 65535.');
  await page.getByTestId('venue-add-submit').click();
  await expect(row(page, 'ibkr')).toHaveCount(0);

  await page.getByTestId('venue-setting-host').fill('127.0.0.1');
  await page.getByTestId('venue-setting-port').fill(String(emu!.port));
  await page.getByTestId('venue-setting-clientId').fill('7');
  await page.getByTestId('venue-setting-watchlist').fill('AAPL');
  fs.mkdirSync(SHOT_DIR, { recursive: true });
  await panel.screenshot({ path: path.join(SHOT_DIR, 'venues-add.png') });
  await page.getByTestId('venue-add-submit').click();
  await expect(page.getByTestId('venue-form')).toHaveCount(0);

  const ib = row(page, 'ibkr');
  await expect(ib).toHaveAttribute('data-state', 'connected');
  await expect(ib).toHaveAttribute('data-phase', 'connected');
  await expect(ib.getByTestId('venue-row-detail')).toContainText('TWS 193');
  await expect(ib.getByTestId('venue-row-detail')).toContainText('DU123456');
  await expect(ib.getByTestId('venue-row-detail')).toContainText('client 7');
  await expect(ib).toContainText('SHADOW');
  await expect(status(page, 'ibkr')).toHaveAttribute('data-state', 'connected');
  await expect(status(page, 'ibkr').getByTestId('venue-detail')).toContainText('TWS 193');

  // A venue on a port nobody listens on: a clear, non-connected state.
  await page.getByTestId('venue-add').click();
  await page.getByTestId('venue-kind').selectOption('ibkr');
  await page.getByTestId('venue-name').fill('ibkr');
  await expect(page.getByTestId('venue-field-error-name')).toContainText('already exists');
  await page.getByTestId('venue-name').fill('ibkr-bad');
  await page.getByTestId('venue-setting-port').fill('1');
  await page.getByTestId('venue-setting-clientId').fill('9');
  await page.getByTestId('venue-setting-watchlist').fill('AAPL');
  await page.getByTestId('venue-add-submit').click();
  const bad = row(page, 'ibkr-bad');
  await expect(bad).toHaveAttribute('data-phase', 'down');
  await expect(bad).not.toHaveAttribute('data-state', 'connected');
  await expect(bad.getByTestId('venue-row-detail')).toContainText('cannot reach TWS at 127.0.0.1:1');
  await expect(status(page, 'ibkr-bad')).toHaveAttribute('data-phase', 'down');
  await expect(status(page, 'ibkr-bad').getByTestId('venue-phase')).toHaveText('down');

  await panel.screenshot({ path: path.join(SHOT_DIR, 'venues-panel.png') });
  await page.screenshot({ path: path.join(SHOT_DIR, 'venues-page.png') });

  // Edit: the same form, prefilled; only the change is sent, the venue restarts on client 8.
  await ib.getByTestId('venue-edit').click();
  const form = page.getByTestId('venue-form');
  await expect(form).toHaveAttribute('data-mode', 'edit');
  await expect(page.getByTestId('venue-setting-port')).toHaveValue(String(emu!.port));
  await expect(page.getByTestId('venue-setting-clientId')).toHaveValue('7');
  await expect(page.getByTestId('venue-edit-submit')).toBeDisabled();
  await page.getByTestId('venue-setting-clientId').fill('8');
  await page.screenshot({ path: path.join(SHOT_DIR, 'venues-edit.png') });
  await page.getByTestId('venue-edit-submit').click();
  await expect(form).toHaveCount(0);
  await expect(ib.getByTestId('venue-row-detail')).toContainText('client 8');
  await expect(ib).toHaveAttribute('data-state', 'connected');
  await expect(status(page, 'ibkr').getByTestId('venue-detail')).toContainText('TWS 193');

  // Remove after confirming (Keep first backs out).
  await ib.getByTestId('venue-remove').click();
  await ib.getByTestId('venue-remove-cancel').click();
  await expect(ib).toHaveCount(1);
  await ib.getByTestId('venue-remove').click();
  await ib.getByTestId('venue-remove-confirm').click();
  await expect(ib).toHaveCount(0);
  await expect(status(page, 'ibkr')).toHaveCount(0);
  await bad.getByTestId('venue-remove').click();
  await bad.getByTestId('venue-remove-confirm').click();
  await expect(bad).toHaveCount(0);
  // Still gone after late events had their chance.
  await page.waitForTimeout(500);
  await expect(status(page, 'ibkr')).toHaveCount(0);
  await expect(status(page, 'ibkr-bad')).toHaveCount(0);

  await page.getByTestId('venues-close').click();
  await expect(panel).toHaveCount(0);
  expect(errors).toEqual([]);
});
