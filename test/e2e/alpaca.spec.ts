/// <reference lib="dom" />
/**
 * Alpaca end to end against `tradeport serve` and the Alpaca emulator (in process, on a free
 * port): add an Alpaca venue from the Venues panel (URL overrides pointing at the emulator, the
 * keys in the panel's write-only secret fields, kept in an encrypted keystore since CI has no
 * keychain), arm LIVE from the CLI against the running serve, place a resting BTC/USD limit order
 * from the ticket, move the market through it and see the fill and the position in the blotter.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Decimal from 'decimal.js';
import { expect, test } from '@playwright/test';
import { AlpacaEmulator } from '../emulators/alpaca';
import { openApp, serve, type Served } from './serve';
import { addVenue, armLive, control, expectFilled, placeResting, previewLimit } from './venue-flow';

test.use({ actionTimeout: 15_000 });

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

test('add an Alpaca venue against the emulator, place a limit order from the ticket, see it fill', async ({ page }) => {
  server = await serve(dataDir, 0, ['--passphrase-file', passFile]);
  const errors = await openApp(page, server.url);
  const port = emu!.server.port;
  await addVenue(page, {
    kind: 'alpaca',
    name: 'alp',
    settings: { watchlist: 'BTC/USD' },
    advanced: { tradingUrl: `http://127.0.0.1:${port}`, dataUrl: `http://127.0.0.1:${port}`, streamUrl: emu!.server.streamUrl, dataStreamUrl: `ws://127.0.0.1:${port}/v2/iex` },
    secrets: { keyId: KEY, secretKey: SECRET },
    shot: path.join(SHOT_DIR, 'alpaca-add.png'),
  });

  // SHADOW by default: arming LIVE is what lets an order reach Alpaca.
  await armLive(dataDir, 'alp');

  // Just under the bid: the order rests until the market comes to it.
  const bid = new Decimal(emu!.quotes.get('BTC/USD').bid);
  const limit = bid.times('0.999').toDecimalPlaces(0, Decimal.ROUND_DOWN); // BTC/USD ticks in whole dollars
  await previewLimit(page, { venue: 'alp', search: 'BTC', symbol: 'BTC/USD', qty: '0.01', limit: limit.toString() });
  const orderId = await placeResting(page);
  expect(emu!.book.all().filter((o) => o.symbol === 'BTC/USD' && limit.eq(o.limit_price ?? '0'))).toHaveLength(1);

  // The market trades down through the limit: Alpaca fills it and the trade stream says so.
  const ask = limit.minus(5);
  await control(emu!.url, 'set-quote', { symbol: 'BTC/USD', bid: ask.minus(10).toString(), ask: ask.toString() });
  await expectFilled(page, orderId, '0.01');
  const position = page.locator('[data-testid="position-row"][data-symbol="BTC/USD"][data-venue="alp"]');
  await expect(position).toHaveAttribute('data-qty', '0.01');
  await page.screenshot({ path: path.join(SHOT_DIR, 'alpaca-filled.png') });
  expect(errors).toEqual([]);
});
