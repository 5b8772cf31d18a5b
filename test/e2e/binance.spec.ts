/// <reference lib="dom" />
/**
 * Binance end to end against `tradeport serve` and the Binance emulator (in process, on a free
 * port): add a Binance venue from the Venues panel (REST, market streams and WebSocket API URLs
 * pointing at the emulator; API key and HMAC secret in the write-only fields, kept in an encrypted
 * keystore since CI has no keychain), arm LIVE, preview a resting BTC/USDT limit buy with the fee
 * at the commission rate Binance's order/test gives, place it, fill it at the emulator, see the fill.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Decimal from 'decimal.js';
import { expect, test } from '@playwright/test';
import { BinanceEmulator } from '../emulators/binance';
import { openApp, serve, type Served } from './serve';
import { addVenue, armLive, control, expectFilled, placeResting, previewFigure, previewLimit } from './venue-flow';

test.use({ actionTimeout: 15_000 });

const KEY = 'e2e-binance-key';
const SECRET = 'e2e-binance-secret';
const SHOT_DIR = path.resolve(__dirname, '../../test-results/binance');

let dataDir: string;
let passFile: string;
let server: Served | undefined;
let emu: BinanceEmulator | undefined;

test.beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-e2e-binance-'));
  passFile = path.join(dataDir, 'keystore-pass');
  fs.writeFileSync(passFile, 'correct horse battery staple e2e binance', { mode: 0o600 });
  emu = new BinanceEmulator({ apiKey: KEY, apiSecret: SECRET });
  await emu.start();
});
test.afterAll(async () => {
  await server?.stop();
  await emu?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('add a Binance venue against the emulator, preview with its commission rate, place a limit buy from the ticket, see it fill', async ({ page }) => {
  server = await serve(dataDir, 0, ['--passphrase-file', passFile]);
  const errors = await openApp(page, server.url);
  const ws = `ws://127.0.0.1:${emu!.server.port}`;
  await addVenue(page, {
    kind: 'binance',
    name: 'bn',
    settings: { watchlist: 'BTCUSDT' },
    advanced: { restUrl: emu!.url, wsUrl: ws, wsApiUrl: `${ws}/ws-api/v3` },
    secrets: { apiKey: KEY, apiSecret: SECRET },
    shot: path.join(SHOT_DIR, 'binance-add.png'),
  });
  await armLive(dataDir, 'bn');

  // Under the bid: the order rests as a maker order until it is filled.
  const limit = new Decimal(emu!.books.get('BTCUSDT')!.bid).minus(1000);
  const preview = await previewLimit(page, { venue: 'bn', search: 'BTC', symbol: 'BTC/USDT', qty: '0.01', limit: limit.toFixed(2) });
  // order/test with computeCommissionRates: the standard maker rate (0.1 %) on 0.01 × limit.
  await expect(previewFigure(preview, 'Fee')).toContainText(limit.times('0.01').times('0.001').toFixed(2));
  await expect(previewFigure(preview, 'Fee')).toContainText('USDT');
  await preview.screenshot({ path: path.join(SHOT_DIR, 'binance-preview.png') });
  expect(emu!.server.count('POST', '/api/v3/order/test')).toBeGreaterThan(0);

  const orderId = await placeResting(page);
  const resting = emu!.orders.filter((o) => o.symbol === 'BTCUSDT' && o.status === 'NEW');
  expect(resting.map((o) => [o.type, o.side, o.price, o.origQty])).toEqual([['LIMIT', 'BUY', limit.toFixed(8), '0.01000000']]);

  await control(emu!.url, 'fill', { clientOrderId: resting[0]!.clientOrderId, qty: '0.01', price: limit.toFixed(2) });
  await expectFilled(page, orderId, '0.01');
  await page.screenshot({ path: path.join(SHOT_DIR, 'binance-filled.png') });
  expect(errors).toEqual([]);
});
