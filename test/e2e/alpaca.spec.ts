/// <reference lib="dom" />
/**
 * Alpaca end to end against `tradeport serve` and the Alpaca emulator (in process, on a free
 * port): add an Alpaca venue from the Venues panel (URL overrides pointing at the emulator, the
 * keys in the panel's write-only secret fields, kept in an encrypted keystore since CI has no
 * keychain), arm LIVE from the CLI against the running serve, place a resting BTC/USD limit order
 * from the ticket, move the market through it and see the fill and the position in the blotter.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Decimal from 'decimal.js';
import { expect, test, type Page } from '@playwright/test';
import { AlpacaEmulator } from '../emulators/alpaca';
import { openApp, serve, type Served } from './serve';

test.use({ actionTimeout: 15_000 });

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const KEY = 'PKE2EKEY';
const SECRET = 'e2e-secret-key';
const SHOT_DIR = path.resolve(__dirname, '../../test-results/alpaca');

let dataDir: string;
let passFile: string;
let server: Served | undefined;
let emu: AlpacaEmulator | undefined;

test.beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-e2e-alpaca-'));
  passFile = path.join(dataDir, 'keystore-pass');
  fs.writeFileSync(passFile, 'correct horse battery staple e2e alpaca', { mode: 0o600 });
  emu = new AlpacaEmulator({ keyId: KEY, secret: SECRET });
  await emu.start();
});
test.afterAll(async () => {
  await server?.stop();
  await emu?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const cli = (...args: string[]) =>
  run(process.execPath, [path.join(ROOT, 'bin/tradeport.cjs'), '--data-dir', dataDir, '--json', ...args], { cwd: ROOT, env: { ...process.env, TRADEPORT_DATA_DIR: dataDir } });

async function addAlpacaVenue(page: Page, port: number): Promise<void> {
  await page.getByTestId('open-venues').click();
  const panel = page.getByTestId('venues-panel');
  await expect(panel).toBeVisible();
  await page.getByTestId('venue-add').click();
  await page.getByTestId('venue-kind').selectOption('alpaca');
  await page.getByTestId('venue-name').fill('alp');
  await page.getByTestId('venue-setting-watchlist').fill('BTC/USD');
  await panel.locator('details.venue-advanced > summary').click();
  await page.getByTestId('venue-setting-tradingUrl').fill(`http://127.0.0.1:${port}`);
  await page.getByTestId('venue-setting-dataUrl').fill(`http://127.0.0.1:${port}`);
  await page.getByTestId('venue-setting-streamUrl').fill(emu!.server.streamUrl);
  await page.getByTestId('venue-setting-dataStreamUrl').fill(`ws://127.0.0.1:${port}/v2/iex`);
  await page.getByTestId('venue-secret-keyId').fill(KEY);
  await page.getByTestId('venue-secret-secretKey').fill(SECRET);
  fs.mkdirSync(SHOT_DIR, { recursive: true });
  await panel.screenshot({ path: path.join(SHOT_DIR, 'alpaca-add.png') });
  await page.getByTestId('venue-add-submit').click();
  await expect(page.getByTestId('venue-form')).toHaveCount(0);
  await expect(page.locator('[data-testid="venue-row"][data-venue="alp"]')).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
  await page.getByTestId('venues-close').click();
}

test('add an Alpaca venue against the emulator, place a limit order from the ticket, see it fill', async ({ page }) => {
  server = await serve(dataDir, 0, ['--passphrase-file', passFile]);
  const errors = await openApp(page, server.url);
  await addAlpacaVenue(page, emu!.server.port);
  await expect(page.locator('[data-testid="venue-status"][data-venue="alp"]')).toHaveAttribute('data-state', 'connected');

  // SHADOW by default: arming LIVE is what lets an order reach Alpaca.
  const armed = JSON.parse((await cli('mode', 'alp', 'live', '--arm')).stdout) as { ok: boolean; value: { to: string } };
  expect(armed.value.to).toBe('live');

  await page.getByTestId('ticket-venue').selectOption('alp');
  await page.getByTestId('ticket-symbol').fill('BTC');
  await expect(page.locator('[data-testid="symbol-option"][data-symbol="BTC/USD"]').first()).toBeVisible();
  await page.getByTestId('ticket-symbol').press('Enter');
  await expect(page.getByTestId('ticket-symbol')).toHaveValue('BTC/USD');
  await page.getByTestId('ticket-type').selectOption('limit');
  await page.getByTestId('ticket-tif').selectOption('gtc');
  await page.getByTestId('ticket-qty').fill('0.01');
  // Just under the bid: the order rests until the market comes to it.
  const bid = new Decimal(emu!.quotes.get('BTC/USD').bid);
  const limit = bid.times('0.999').toDecimalPlaces(0, Decimal.ROUND_DOWN); // BTC/USD ticks in whole dollars
  await page.getByTestId('ticket-limit').fill(limit.toString());
  await page.getByTestId('ticket-preview').click();
  const preview = page.getByTestId('preview-panel');
  await expect(preview).toHaveAttribute('data-route', 'live');
  await expect(preview).toHaveAttribute('data-allowed', 'true');
  await page.getByTestId('ticket-place').click();
  const result = page.getByTestId('place-result');
  await expect(result).toHaveAttribute('data-status', /accepted|submitted/);
  const orderId = (await result.getAttribute('data-order-id'))!;
  await expect(page.locator(`[data-testid="working-order-row"][data-order-id="${orderId}"]`)).toBeVisible();
  expect(emu!.book.all().filter((o) => o.symbol === 'BTC/USD' && limit.eq(o.limit_price ?? '0'))).toHaveLength(1);

  // The market trades down through the limit: Alpaca fills it and the trade stream says so.
  const ask = limit.minus(5);
  const r = await fetch(`${emu!.url}/__control/set-quote`, { method: 'POST', body: JSON.stringify({ symbol: 'BTC/USD', bid: ask.minus(10).toString(), ask: ask.toString() }) });
  expect(r.ok).toBe(true);

  await expect(page.locator(`[data-testid="working-order-row"][data-order-id="${orderId}"]`)).toHaveCount(0, { timeout: 30_000 });
  await page.getByTestId('tab-orders').click();
  await expect(page.locator(`[data-testid="order-row"][data-order-id="${orderId}"]`)).toHaveAttribute('data-status', 'filled');
  await page.getByTestId('tab-fills').click();
  await expect(page.locator(`[data-testid="fill-row"][data-order-id="${orderId}"]`)).toHaveCount(1);
  await expect(page.locator(`[data-testid="fill-row"][data-order-id="${orderId}"]`)).toContainText('0.01');
  const position = page.locator('[data-testid="position-row"][data-symbol="BTC/USD"][data-venue="alp"]');
  await expect(position).toHaveAttribute('data-qty', '0.01');
  await page.screenshot({ path: path.join(SHOT_DIR, 'alpaca-filled.png') });
  expect(errors).toEqual([]);
});
