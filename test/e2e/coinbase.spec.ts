/// <reference lib="dom" />
/**
 * Coinbase end to end against `tradeport serve` and the Coinbase emulator (in process, on a free
 * port): add a Coinbase venue from the Venues panel (URL overrides pointing at the emulator, the CDP
 * key name and the PEM private key — pasted with escaped newlines, as a one-line field takes it —
 * in the panel's write-only secret fields, kept in an encrypted keystore since CI has no keychain),
 * arm LIVE from the CLI against the running serve, preview a resting BTC/USD limit order from the
 * ticket with Coinbase's own commission, place it, fill it at the emulator and see the fill.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Decimal from 'decimal.js';
import { expect, test, type Page } from '@playwright/test';
import { CoinbaseEmulator, FEES } from '../emulators/coinbase';
import { openApp, serve, type Served } from './serve';

test.use({ actionTimeout: 15_000 });

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const KEY_NAME = 'organizations/org-e2e/apiKeys/key-e2e';
const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const PEM = pair.privateKey.export({ type: 'sec1', format: 'pem' }).toString();
const SHOT_DIR = path.resolve(__dirname, '../../test-results/coinbase');

let dataDir: string;
let passFile: string;
let server: Served | undefined;
let emu: CoinbaseEmulator | undefined;

test.beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-e2e-coinbase-'));
  passFile = path.join(dataDir, 'keystore-pass');
  fs.writeFileSync(passFile, 'correct horse battery staple e2e coinbase', { mode: 0o600 });
  emu = new CoinbaseEmulator({ keyName: KEY_NAME, publicKey: pair.publicKey });
  await emu.start();
});
test.afterAll(async () => {
  await server?.stop();
  await emu?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const cli = (...args: string[]) =>
  run(process.execPath, [path.join(ROOT, 'bin/tradeport.cjs'), '--data-dir', dataDir, '--json', ...args], { cwd: ROOT, env: { ...process.env, TRADEPORT_DATA_DIR: dataDir } });

async function addCoinbaseVenue(page: Page, port: number): Promise<void> {
  await page.getByTestId('open-venues').click();
  const panel = page.getByTestId('venues-panel');
  await expect(panel).toBeVisible();
  await page.getByTestId('venue-add').click();
  await page.getByTestId('venue-kind').selectOption('coinbase');
  await page.getByTestId('venue-name').fill('cb');
  await page.getByTestId('venue-setting-watchlist').fill('BTC/USD');
  await panel.locator('details.venue-advanced > summary').click();
  await page.getByTestId('venue-setting-restUrl').fill(`http://127.0.0.1:${port}`);
  await page.getByTestId('venue-setting-wsUrl').fill(`ws://127.0.0.1:${port}/`);
  await page.getByTestId('venue-setting-userWsUrl').fill(`ws://127.0.0.1:${port}/user`);
  await page.getByTestId('venue-secret-apiKeyName').fill(KEY_NAME);
  // A password field is one line: the key goes in with its newlines escaped, as CDP's JSON download has it.
  await page.getByTestId('venue-secret-apiPrivateKey').fill(PEM.trim().replace(/\n/g, '\\n'));
  fs.mkdirSync(SHOT_DIR, { recursive: true });
  await panel.screenshot({ path: path.join(SHOT_DIR, 'coinbase-add.png') });
  await page.getByTestId('venue-add-submit').click();
  await expect(page.getByTestId('venue-form')).toHaveCount(0);
  await expect(page.locator('[data-testid="venue-row"][data-venue="cb"]')).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
  await page.getByTestId('venues-close').click();
}

test('add a Coinbase venue against the emulator, preview with its commission, place a limit order from the ticket, see it fill', async ({ page }) => {
  server = await serve(dataDir, 0, ['--passphrase-file', passFile]);
  const errors = await openApp(page, server.url);
  await addCoinbaseVenue(page, emu!.server.port);
  await expect(page.locator('[data-testid="venue-status"][data-venue="cb"]')).toHaveAttribute('data-state', 'connected');

  // SHADOW by default: arming LIVE is what lets an order reach Coinbase.
  const armed = JSON.parse((await cli('mode', 'cb', 'live', '--arm')).stdout) as { ok: boolean; value: { to: string } };
  expect(armed.value.to).toBe('live');

  await page.getByTestId('ticket-venue').selectOption('cb');
  await page.getByTestId('ticket-symbol').fill('BTC');
  await expect(page.locator('[data-testid="symbol-option"][data-symbol="BTC/USD"]').first()).toBeVisible();
  await page.getByTestId('ticket-symbol').press('Enter');
  await expect(page.getByTestId('ticket-symbol')).toHaveValue('BTC/USD');
  await page.getByTestId('ticket-type').selectOption('limit');
  await page.getByTestId('ticket-tif').selectOption('gtc');
  await page.getByTestId('ticket-qty').fill('0.01');
  // Just under the bid: the order rests (a maker order) until it is filled.
  const bid = new Decimal(emu!.books.levels('BTC-USD', 'bid', 1)[0]!.price);
  const limit = bid.times('0.999').toDecimalPlaces(0, Decimal.ROUND_DOWN);
  await page.getByTestId('ticket-limit').fill(limit.toString());
  await page.getByTestId('ticket-preview').click();
  const preview = page.getByTestId('preview-panel');
  await expect(preview).toHaveAttribute('data-route', 'live');
  await expect(preview).toHaveAttribute('data-allowed', 'true');
  // Coinbase's /orders/preview commission at the account's maker tier, shown as the fee.
  const commission = limit.times('0.01').times(FEES.maker).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
  await expect(preview.locator('xpath=.//dt[normalize-space()="Fee"]/following-sibling::dd[1]')).toContainText(commission);
  await preview.screenshot({ path: path.join(SHOT_DIR, 'coinbase-preview.png') });
  await page.getByTestId('ticket-place').click();
  const result = page.getByTestId('place-result');
  await expect(result).toHaveAttribute('data-status', /accepted|submitted/);
  const orderId = (await result.getAttribute('data-order-id'))!;
  await expect(page.locator(`[data-testid="working-order-row"][data-order-id="${orderId}"]`)).toBeVisible();
  const resting = [...emu!.orders.values()].filter((o) => o.product_id === 'BTC-USD' && o.status === 'OPEN');
  expect(resting).toHaveLength(1);
  expect(resting[0]!.order_configuration['limit_limit_gtc']?.['limit_price']).toBe(limit.toString());

  // Coinbase fills it at the limit; the user channel says so and the fill comes from historical fills.
  const r = await fetch(`${emu!.url}/__control/fill`, { method: 'POST', body: JSON.stringify({ client_order_id: resting[0]!.client_order_id, qty: '0.01', price: limit.toString() }) });
  expect(r.ok).toBe(true);

  await expect(page.locator(`[data-testid="working-order-row"][data-order-id="${orderId}"]`)).toHaveCount(0, { timeout: 30_000 });
  await page.getByTestId('tab-orders').click();
  await expect(page.locator(`[data-testid="order-row"][data-order-id="${orderId}"]`)).toHaveAttribute('data-status', 'filled');
  await page.getByTestId('tab-fills').click();
  await expect(page.locator(`[data-testid="fill-row"][data-order-id="${orderId}"]`)).toHaveCount(1);
  await expect(page.locator(`[data-testid="fill-row"][data-order-id="${orderId}"]`)).toContainText('0.01');
  await page.screenshot({ path: path.join(SHOT_DIR, 'coinbase-filled.png') });
  expect(errors).toEqual([]);
});
