/// <reference lib="dom" />
/**
 * Coinbase end to end against `tradeport serve` and the Coinbase emulator (in process, on a free
 * port): add a Coinbase venue from the Venues panel (URL overrides pointing at the emulator, the CDP
 * key name and the PEM private key — pasted with escaped newlines, as a one-line field takes it —
 * in the panel's write-only secret fields, kept in an encrypted keystore since CI has no keychain),
 * arm LIVE from the CLI against the running serve (the steps shared with the other venues' specs,
 * test/e2e/venue-flow.ts), preview a resting BTC/USD limit order from the
 * ticket with Coinbase's own commission, place it, fill it at the emulator and see the fill. Then a
 * bracket: its entry fills, Cancel on one exit leg offers "Cancel both exits" (Coinbase holds the
 * take-profit and stop-loss as one order), and choosing it cancels both, at the emulator too.
 */
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Decimal from 'decimal.js';
import { expect, test } from '@playwright/test';
import { CoinbaseEmulator, FEES } from '../emulators/coinbase';
import { openApp, serve, type Served } from './serve';
import { addVenue, armLive, control, expectFilled, placeResting, previewFigure, previewLimit } from './venue-flow';

test.use({ actionTimeout: 15_000 });
// The bracket test runs on the venue the first one added.
test.describe.configure({ mode: 'serial' });

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

test('add a Coinbase venue against the emulator, preview with its commission, place a limit order from the ticket, see it fill', async ({ page }) => {
  server = await serve(dataDir, 0, ['--passphrase-file', passFile]);
  const errors = await openApp(page, server.url);
  const port = emu!.server.port;
  await addVenue(page, {
    kind: 'coinbase',
    name: 'cb',
    settings: { watchlist: 'BTC/USD' },
    advanced: { restUrl: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/`, userWsUrl: `ws://127.0.0.1:${port}/user` },
    // A password field is one line: the key goes in with its newlines escaped, as CDP's JSON download has it.
    secrets: { apiKeyName: KEY_NAME, apiPrivateKey: PEM.trim().replace(/\n/g, '\\n') },
    shot: path.join(SHOT_DIR, 'coinbase-add.png'),
  });
  await armLive(dataDir, 'cb');

  // Just under the bid: the order rests (a maker order) until it is filled.
  const bid = new Decimal(emu!.books.levels('BTC-USD', 'bid', 1)[0]!.price);
  const limit = bid.times('0.999').toDecimalPlaces(0, Decimal.ROUND_DOWN);
  const preview = await previewLimit(page, { venue: 'cb', search: 'BTC', symbol: 'BTC/USD', qty: '0.01', limit: limit.toString() });
  // Coinbase's /orders/preview commission at the account's maker tier, shown as the fee.
  const commission = limit.times('0.01').times(FEES.maker).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
  await expect(previewFigure(preview, 'Fee')).toContainText(commission);
  await preview.screenshot({ path: path.join(SHOT_DIR, 'coinbase-preview.png') });

  const orderId = await placeResting(page);
  const resting = [...emu!.orders.values()].filter((o) => o.product_id === 'BTC-USD' && o.status === 'OPEN');
  expect(resting).toHaveLength(1);
  expect(resting[0]!.order_configuration['limit_limit_gtc']?.['limit_price']).toBe(limit.toString());

  // Coinbase fills it at the limit; the user channel says so and the fill comes from historical fills.
  await control(emu!.url, 'fill', { client_order_id: resting[0]!.client_order_id, qty: '0.01', price: limit.toString() });
  await expectFilled(page, orderId, '0.01');
  await page.screenshot({ path: path.join(SHOT_DIR, 'coinbase-filled.png') });
  expect(errors).toEqual([]);
});

test('a bracket whose entry filled: Cancel on one exit offers "Cancel both exits", which cancels both (one exit order at Coinbase)', async ({ page }) => {
  const errors = await openApp(page, server!.url);
  const bid = new Decimal(emu!.books.levels('BTC-USD', 'bid', 1)[0]!.price);
  const px = (f: string) => bid.times(f).toDecimalPlaces(0, Decimal.ROUND_DOWN).toString();
  await page.getByTestId('ticket-venue').selectOption('cb');
  await page.getByTestId('ticket-symbol').fill('BTC');
  await expect(page.locator('[data-testid="symbol-option"][data-symbol="BTC/USD"]').first()).toBeVisible();
  await page.getByTestId('ticket-symbol').press('Enter');
  await expect(page.getByTestId('ticket-symbol')).toHaveValue('BTC/USD');
  await page.getByTestId('ticket-type').selectOption('limit');
  await page.getByTestId('ticket-tif').selectOption('gtc');
  await page.getByTestId('ticket-qty').fill('0.01');
  await page.getByTestId('ticket-limit').fill(px('0.97'));
  await page.getByTestId('ticket-bracket').check();
  await page.getByTestId('ticket-take-profit').fill(px('1.05'));
  await page.getByTestId('ticket-stop-loss').fill(px('0.9'));
  await page.getByTestId('ticket-preview').click();
  await expect(page.getByTestId('preview-panel')).toHaveAttribute('data-route', 'live');
  await expect(page.getByTestId('preview-panel')).toHaveAttribute('data-allowed', 'true');
  const entryId = await placeResting(page);
  await page.getByTestId('ticket-bracket').uncheck();

  // One Coinbase order with one attached exit order standing for both of our exits.
  const entry = [...emu!.orders.values()].find((o) => o.product_id === 'BTC-USD' && o.status === 'OPEN' && o.attached_order_id)!;
  const exitId = entry.attached_order_id!;
  expect(emu!.orders.get(exitId)!.status).toBe('PENDING');
  const legs = page.locator(`[data-testid="working-order-row"][data-parent="${entryId}"]`);
  await expect(legs).toHaveCount(2);

  // The entry fills: it leaves Working, the exits stay there on their own and work.
  await control(emu!.url, 'fill', { client_order_id: entry.client_order_id, qty: '0.01', price: px('0.97') });
  await expect(page.locator(`[data-testid="working-order-row"][data-order-id="${entryId}"]`)).toHaveCount(0, { timeout: 30_000 });
  await expect(legs).toHaveCount(2);
  await expect(legs.first()).toHaveAttribute('data-status', 'accepted');
  await expect(legs.last()).toHaveAttribute('data-status', 'accepted');
  expect(emu!.orders.get(exitId)!.status).toBe('OPEN');
  const cancelsBefore = emu!.server.count('POST', '/api/v3/brokerage/orders/batch_cancel');

  // Cancel on the stop-loss asks first: both exits are one order at Coinbase.
  const sl = page.locator(`[data-testid="working-order-row"][data-parent="${entryId}"][data-leg="stop_loss"]`);
  await sl.getByTestId('cancel-order').click();
  const dialog = page.getByTestId('cancel-both-exits-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Cancel both exits');
  await expect(page.getByTestId('cancel-both-exits-explain')).toHaveText(
    'On cb the take-profit and stop-loss of this BTC/USD bracket are one order: the stop-loss cannot be cancelled alone. Cancelling it cancels the take-profit too — both exits will be cancelled.',
  );
  await expect(page.getByTestId('cancel-both-exits-list').locator('li')).toHaveText([`take-profit: sell 0.01 BTC/USD @ ${px('1.05')}`, new RegExp(`^stop-loss: sell 0.01 BTC/USD stop ${px('0.9')}`)]);
  await expect(page.getByTestId('cancel-both-exits-warning')).toHaveText('The BTC/USD position they guard stays open with no exit.');
  // Nothing is sent while it asks.
  expect(emu!.server.count('POST', '/api/v3/brokerage/orders/batch_cancel')).toBe(cancelsBefore);
  for (const [w, h] of [
    [1600, 1000],
    [1366, 768],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    const box = (await dialog.boundingBox())!;
    expect(box.x >= 0 && box.y >= 0 && box.x + box.width <= w && box.y + box.height <= h).toBe(true);
    await expect(page.getByTestId('cancel-both-exits-confirm')).toBeInViewport();
    await page.screenshot({ path: path.join(SHOT_DIR, `coinbase-cancel-both-exits-${w}x${h}.png`) });
  }
  await page.setViewportSize({ width: 1600, height: 1000 });

  await page.getByTestId('cancel-both-exits-confirm').click();
  await expect(dialog).toHaveCount(0);
  await expect(legs).toHaveCount(0, { timeout: 30_000 });
  expect(emu!.orders.get(exitId)!.status).toBe('CANCELLED');
  expect(emu!.server.count('POST', '/api/v3/brokerage/orders/batch_cancel')).toBeGreaterThan(cancelsBefore);
  await page.getByTestId('tab-orders').click();
  const history = page.locator(`[data-testid="order-row"][data-parent="${entryId}"]`);
  await expect(history).toHaveCount(2);
  await expect(history.first()).toHaveAttribute('data-status', 'cancelled');
  await expect(history.last()).toHaveAttribute('data-status', 'cancelled');
  await expect(page.locator(`[data-testid="order-row"][data-order-id="${entryId}"]`)).toHaveAttribute('data-status', 'filled');
  // No refusal of a single leg reached the trader.
  await expect(page.getByText('alone would cancel both', { exact: false })).toHaveCount(0);
  expect(errors).toEqual([]);
});
