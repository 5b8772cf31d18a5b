/// <reference lib="dom" />
/**
 * Execution quality end to end against `tradeport serve` and the Kraken emulator: a Kraken venue
 * in CANARY (almost every order live), a limit buy placed from the ticket goes LIVE and gets its
 * SHADOW twin; the market trades down through the limit (the twin fills in the simulation) and the
 * emulator fills the live order; the Quality view shows the pair side by side, on a desktop and a
 * laptop screen.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startKrakenEmulator, type KrakenEmulator } from '../emulators/kraken';
import { cliJson, openApp, serve, type Served } from './serve';
import { addVenue, control, expectFilled, placeResting, previewLimit } from './venue-flow';

test.use({ actionTimeout: 15_000 });

const SHOT_DIR = path.resolve(__dirname, '../../test-results/quality');

let dataDir: string;
let passFile: string;
let server: Served | undefined;
let emu: KrakenEmulator | undefined;

test.beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-e2e-quality-'));
  passFile = path.join(dataDir, 'keystore-pass');
  fs.writeFileSync(passFile, 'correct horse battery staple e2e quality', { mode: 0o600 });
  emu = await startKrakenEmulator();
});
test.afterAll(async () => {
  await server?.stop();
  await emu?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('CANARY: a live order and its SHADOW twin side by side in the Quality view', async ({ page }) => {
  server = await serve(dataDir, 0, ['--passphrase-file', passFile]);
  const errors = await openApp(page, server.url);
  await addVenue(page, {
    kind: 'kraken',
    name: 'kr',
    settings: { watchlist: 'BTC/USD' },
    advanced: { restUrl: emu!.url, wsUrl: emu!.wsUrl, wsAuthUrl: emu!.wsUrl },
    secrets: { apiKey: emu!.apiKey, apiSecret: emu!.apiSecret },
  });
  const mode = await cliJson(dataDir, ['mode', 'kr', 'canary', '--canary-pct', '99.99', '--arm']);
  expect(mode.value?.to).toBe('canary');

  // 4 BTC at 99.0 under the 99.9 bid: it rests, live at the emulator and as a twin in the simulation.
  // CANARY 99.99 % sends one order in 10,000 to SHADOW by its client id: a fresh preview draws a
  // fresh id, so preview again until the route is LIVE (three draws all landing SHADOW: 1 in 10¹²).
  let drawn: string[] = [];
  for (let draw = 0; draw < 3; draw++) {
    const preview = await previewLimit(page, { venue: 'kr', search: 'BTC', symbol: 'BTC/USD', qty: '4', limit: '99', route: 'any' });
    // Wait for this draw's own preview (a new client id), not the last one still on screen.
    await expect(async () => expect(drawn).not.toContain(/client id (\S+)/.exec((await preview.textContent()) ?? '')?.[1])).toPass();
    drawn = [...drawn, /client id (\S+)/.exec((await preview.textContent()) ?? '')![1]!];
    if ((await preview.getAttribute('data-route')) === 'live') break;
  }
  await expect(page.getByTestId('preview-panel')).toHaveAttribute('data-route', 'live');
  const orderId = await placeResting(page);

  // The market trades down through 99: the twin fills in the simulation; the venue fills the live order at 98.9.
  await control(emu!.url, 'set-book', { bids: [['98.5', '2']], asks: [['98.8', '2']] });
  await control(emu!.url, 'fill', { txid: emu!.orders.all().find((o) => o.status === 'open')!.txid, volume: '4', price: '98.9' });
  await expectFilled(page, orderId, '4');

  await page.getByTestId('open-quality').click();
  const view = page.getByTestId('quality-view');
  await expect(view).toBeVisible();
  await expect(view.getByTestId('quality-row-kr')).toBeVisible();
  const pair = view.locator(`[data-testid="twin-pair"][data-order-id="${orderId}"]`);
  // The view refreshes on fills; Refresh asks again until the twin's fill has been recorded.
  await expect(async () => {
    await view.getByTestId('quality-refresh').click();
    await expect(pair).toHaveAttribute('data-twin-status', 'filled', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(pair).toHaveAttribute('data-live-status', 'filled');
  await expect(pair.getByTestId('twin-pair-live-px')).toHaveText('98.9');
  await expect(pair.getByTestId('twin-pair-twin-px')).toHaveText('99');
  // (98.9 − 99) ÷ 99 × 10 000 = −10.10: the live buy paid less than the simulation.
  await expect(pair).toContainText('-10.10');
  const sum = view.getByTestId('twin-summary-kr');
  await expect(sum).toContainText('-10.10');
  await expect(sum).toContainText('100.00 %');
  fs.mkdirSync(SHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SHOT_DIR, 'quality-1600x1000.png') });
  await page.setViewportSize({ width: 1366, height: 768 });
  await expect(pair).toBeVisible();
  await page.screenshot({ path: path.join(SHOT_DIR, 'quality-1366x768.png') });

  // The twin is a measurement: not among the orders the blotter or the CLI list.
  const orders = await cliJson(dataDir, ['orders', '--all']);
  const listed = (orders.value as { orders: Array<{ id: string; clientOrderId: string }> }).orders;
  expect(listed.map((o) => o.id)).toContain(orderId);
  expect(listed.filter((o) => o.clientOrderId.startsWith('twin:'))).toEqual([]);
  const q = await cliJson(dataDir, ['quality']);
  expect((q.value as { twins: { pairs: Array<{ orderId: string }> } }).twins.pairs.map((p) => p.orderId)).toEqual([orderId]);
  expect(errors).toEqual([]);
});
