/// <reference lib="dom" />
/**
 * Kraken end to end against `tradeport serve` and the Kraken emulator (in process, on a free
 * port): add a Kraken venue from the Venues panel (REST and WS v2 URLs pointing at the emulator;
 * API key and base64 private key in the write-only fields, kept in an encrypted keystore), arm
 * LIVE, preview a resting BTC/USD limit buy with the fee from the pair's maker schedule, place it,
 * fill it at the emulator, see the fill; then the market-data socket drops and the status bar says so.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startKrakenEmulator, type KrakenEmulator } from '../emulators/kraken';
import { openApp, serve, type Served } from './serve';
import { addVenue, armLive, control, expectFilled, placeResting, previewFigure, previewLimit } from './venue-flow';

test.use({ actionTimeout: 15_000 });

const SHOT_DIR = path.resolve(__dirname, '../../test-results/kraken');

let dataDir: string;
let passFile: string;
let server: Served | undefined;
let emu: KrakenEmulator | undefined;

test.beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-e2e-kraken-'));
  passFile = path.join(dataDir, 'keystore-pass');
  fs.writeFileSync(passFile, 'correct horse battery staple e2e kraken', { mode: 0o600 });
  emu = await startKrakenEmulator();
});
test.afterAll(async () => {
  await server?.stop();
  await emu?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('add a Kraken venue against the emulator, preview with its maker fee, place a limit buy from the ticket, see it fill', async ({ page }) => {
  server = await serve(dataDir, 0, ['--passphrase-file', passFile]);
  const errors = await openApp(page, server.url);
  await addVenue(page, {
    kind: 'kraken',
    name: 'kr',
    settings: { watchlist: 'BTC/USD' },
    advanced: { restUrl: emu!.url, wsUrl: emu!.wsUrl, wsAuthUrl: emu!.wsUrl },
    secrets: { apiKey: emu!.apiKey, apiSecret: emu!.apiSecret },
    shot: path.join(SHOT_DIR, 'kraken-add.png'),
  });
  await armLive(dataDir, 'kr');

  // 4 BTC at 99.0, under the 99.9 bid: a maker order; the schedule's first maker tier is 0.25 % → 0.99 USD.
  const preview = await previewLimit(page, { venue: 'kr', search: 'BTC', symbol: 'BTC/USD', qty: '4', limit: '99' });
  await expect(previewFigure(preview, 'Fee')).toContainText('0.99');
  await expect(previewFigure(preview, 'Notional')).toContainText('396.00');
  await preview.screenshot({ path: path.join(SHOT_DIR, 'kraken-preview.png') });

  const orderId = await placeResting(page);
  const resting = emu!.orders.all().filter((o) => o.status === 'open');
  expect(resting.map((o) => [o.type, o.ordertype, o.price, o.vol])).toEqual([['buy', 'limit', '99', '4.00000000']]);

  await control(emu!.url, 'fill', { txid: resting[0]!.txid, volume: '4', price: '99' });
  await expectFilled(page, orderId, '4');
  await page.screenshot({ path: path.join(SHOT_DIR, 'kraken-filled.png') });

  // The public market-data socket drops (the private one stays): the status bar names the feed,
  // the ticket's quote is stale, and the venue stays connected for orders.
  const strip = page.getByTestId('ticket-quote');
  const feedDown = page.locator('[data-testid="venue-health"][data-venue="kr"] [data-testid="venue-feed-down"]');
  await control(emu!.url, 'market-outage', { down: true });
  await expect(feedDown).toHaveText('Kraken market data DOWN');
  await expect(strip).toHaveAttribute('data-stale', 'true');
  await expect(page.locator('[data-testid="venue-status"][data-venue="kr"]')).toHaveAttribute('data-state', 'connected');
  await page.screenshot({ path: path.join(SHOT_DIR, 'kraken-feed-down.png') });
  await control(emu!.url, 'market-outage', { down: false });
  await control(emu!.url, 'book-update', { asks: [['100.1', '0']] });
  await expect(feedDown).toHaveCount(0);
  await expect(strip).toHaveAttribute('data-stale', 'false');
  expect(errors).toEqual([]);
});
