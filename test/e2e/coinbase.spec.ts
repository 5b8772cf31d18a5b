/// <reference lib="dom" />
/**
 * Coinbase end to end against `tradeport serve` and the Coinbase emulator (in process, on a free
 * port): add a Coinbase venue from the Venues panel (URL overrides pointing at the emulator, the CDP
 * key name and the PEM private key — pasted with escaped newlines, as a one-line field takes it —
 * in the panel's write-only secret fields, kept in an encrypted keystore since CI has no keychain),
 * arm LIVE from the CLI against the running serve (the steps shared with the other venues' specs,
 * test/e2e/venue-flow.ts), preview a resting BTC/USD limit order from the
 * ticket with Coinbase's own commission, place it, fill it at the emulator and see the fill.
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
