/// <reference lib="dom" />
/**
 * What a trader hits in the first ten minutes, end to end against `tradeport serve`, at a desktop
 * (1600×1000) and a laptop (1366×768) size (playwright.config.ts projects): the ticket re-seeds on
 * a symbol change, offers only what the venue carries and never echoes bad input; symbol search
 * finds BTCUSD and shows names in full; the blotter has a Venue column and bracket exits under
 * their entry; Cancel all asks first; hotkeys work from anywhere; nothing is cut off; the
 * kill-switch banner tracks reality; TWS 1100 is a banner; a lost bridge disables trading.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { TwsEmulator } from '../emulators/tws';
import { openApp, serve, type Served, ticketBid } from './serve';

test.use({ actionTimeout: 15_000 });
test.describe.configure({ mode: 'serial' });

const ROOT = path.resolve(__dirname, '../..');
let dataDir: string;
let server: Served | undefined;
let emu: TwsEmulator | undefined;
let shots: string;

test.beforeAll(async ({}, info) => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-e2e-desk-'));
  shots = path.join(ROOT, 'test-results', 'desk', info.project.name);
  fs.mkdirSync(shots, { recursive: true });
  emu = new TwsEmulator({ port: 0 });
  await emu.start();
  server = await serve(dataDir);
});
test.afterAll(async () => {
  await server?.stop();
  await emu?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function pickSymbol(page: Page, typed: string, symbol: string) {
  await page.getByTestId('ticket-symbol').fill(typed);
  await expect(page.locator(`[data-testid="symbol-option"][data-symbol="${symbol}"]`)).toBeVisible();
  await page.getByTestId('ticket-symbol').press('Enter');
  await expect(page.getByTestId('ticket-symbol')).toHaveValue(symbol);
}

/** Places what is on the ticket (preview, then Place) and returns the order id. */
async function previewAndPlace(page: Page): Promise<string> {
  await page.getByTestId('ticket-preview').click();
  await expect(page.getByTestId('preview-panel')).toHaveAttribute('data-allowed', 'true');
  await page.getByTestId('ticket-place').click();
  const result = page.getByTestId('place-result');
  await expect(result).toHaveAttribute('data-status', /accepted|submitted/);
  return (await result.getAttribute('data-order-id'))!;
}

/** Lines of text the element's content takes (1 = no wrapping). */
async function textLines(el: Locator): Promise<number> {
  return el.evaluate((node) => {
    const r = document.createRange();
    r.selectNodeContents(node);
    return new Set(
      Array.from(r.getClientRects())
        .filter((x) => x.width > 0)
        .map((x) => Math.round(x.top)),
    ).size;
  });
}

/** The element lies wholly inside the visible part of its scroll container and of the window. */
async function expectFullyVisible(el: Locator, container: Locator) {
  const [b, c] = [await el.boundingBox(), await container.boundingBox()];
  expect(b && c).toBeTruthy();
  const vp = el.page().viewportSize()!;
  expect(b!.x).toBeGreaterThanOrEqual(c!.x - 0.5);
  expect(b!.x + b!.width).toBeLessThanOrEqual(Math.min(c!.x + c!.width, vp.width) + 0.5);
}

test('ticket: prices re-seeded on a symbol change, only what the venue carries, no echo of bad input, BTCUSD in full', async ({ page }) => {
  const errors = await openApp(page, server!.url);

  // Item 3: a limit typed for MSFT does not follow the ticket to NVDA.
  await pickSymbol(page, 'MSFT', 'MSFT');
  await page.getByTestId('ticket-type').selectOption('limit');
  await page.getByTestId('ticket-qty').fill('5');
  await page.getByTestId('ticket-limit').fill('418.00');
  await pickSymbol(page, 'NVDA', 'NVDA');
  await expect(page.getByTestId('ticket-limit')).toHaveValue('');
  await expect(page.getByTestId('ticket-qty')).toHaveValue('5');

  // Item 13: Paper carries no OPG and no extended hours; a market order is never GTC.
  const tifs = page.getByTestId('ticket-tif').locator('option');
  await expect(tifs).toHaveText(['DAY', 'GTC', 'IOC', 'FOK']);
  await expect(page.getByTestId('ticket-ext-hours')).toHaveCount(0);
  await page.getByTestId('ticket-tif').selectOption('gtc');
  await page.getByTestId('ticket-type').selectOption('market');
  await expect(tifs).toHaveText(['DAY', 'IOC', 'FOK']);
  await expect(page.getByTestId('ticket-tif')).toHaveValue('day');
  await page.getByTestId('ticket-type').selectOption('limit');

  // Item 14: the Place button never reads "Buy abc NVDA".
  await page.getByTestId('ticket-qty').fill('abc');
  await expect(page.getByTestId('ticket-place')).toHaveText(/^Buy NVDA/);
  await page.getByTestId('ticket-qty').fill('5');
  await expect(page.getByTestId('ticket-place')).toHaveText(/^Buy 5 NVDA/);

  // Item 14: BTCUSD (no slash) finds BTC/USD; the list is not clipped and names show in full.
  await page.getByTestId('ticket-symbol').fill('BTCUSD');
  const option = page.locator('[data-testid="symbol-option"][data-symbol="BTC/USD"]');
  await expect(option).toBeVisible();
  await expect(page.locator('[data-testid="symbol-option"]').first()).toHaveAttribute('data-symbol', 'BTC/USD');
  const list = page.getByTestId('symbol-list');
  const vp = page.viewportSize()!;
  const lb = (await list.boundingBox())!;
  expect(lb.x + lb.width).toBeLessThanOrEqual(vp.width);
  for (const desc of await page.locator('[data-testid="symbol-option"] .desc').all()) {
    expect(await desc.evaluate((d) => d.scrollWidth <= d.clientWidth + 1)).toBe(true);
    await expectFullyVisible(desc, list);
  }
  await page.screenshot({ path: path.join(shots, 'symbol-list.png') });
  await page.getByTestId('ticket-symbol').press('Enter');
  await expect(page.getByTestId('ticket-symbol')).toHaveValue('BTC/USD');

  // Crypto has no opening auction and no extended session, whatever the venue.
  await expect(tifs).not.toContainText(['OPG (at the open)']);

  // Item 14: a risk-tab refusal names the limit in words, not its key.
  await page.getByTestId('tab-risk').click();
  const collar = page.locator('[data-testid="risk-row"][data-key="price_collar_pct"]');
  await collar.getByTestId('risk-edit').click();
  await collar.getByTestId('risk-input').fill('500');
  await collar.getByTestId('risk-input').press('Enter');
  await expect(collar.getByTestId('risk-error')).toContainText('Price collar must be');
  await expect(collar.getByTestId('risk-error')).not.toContainText('price_collar_pct');
  await collar.getByTestId('risk-input').press('Escape');
  await page.getByTestId('tab-positions').click();

  // Item 14: an unknown symbol points at the Symbol box, not at a CLI command.
  await page.getByTestId('ticket-symbol').fill('ZZZQ');
  await page.getByTestId('ticket-symbol').press('Escape');
  await page.getByTestId('ticket-qty').fill('1');
  await page.getByTestId('ticket-limit').fill('10');
  await page.getByTestId('ticket-preview').click();
  await expect(page.getByTestId('preview-error')).toContainText('Symbol box');
  await expect(page.getByTestId('preview-error')).not.toContainText('tradeport');
  expect(errors).toEqual([]);
});

test('blotter: venue column, bracket exits under their entry, Cancel all asks first; hotkeys from anywhere; nothing cut off', async ({ page }) => {
  const errors = await openApp(page, server!.url);
  await pickSymbol(page, 'ETH', 'ETH/USD');
  await page.getByTestId('ticket-type').selectOption('limit');
  await page.getByTestId('ticket-tif').selectOption('gtc');
  const px = await ticketBid(page);

  // A bracket: entry 3 % under the bid, take-profit above, stop-loss below.
  await page.getByTestId('ticket-qty').fill('0.5');
  await page.getByTestId('ticket-limit').fill((px * 0.97).toFixed(2));
  await page.getByTestId('ticket-bracket').check();
  await page.getByTestId('ticket-take-profit').fill((px * 1.05).toFixed(2));
  await page.getByTestId('ticket-stop-loss').fill((px * 0.9).toFixed(2));
  const entry = await previewAndPlace(page);
  await page.getByTestId('ticket-bracket').uncheck();

  // Item 11: hotkeys after clicking a quote row, and after clicking a tab.
  await page.getByTestId('ticket-qty').fill('0.25');
  await page.getByTestId('ticket-limit').fill((px * 0.96).toFixed(2));
  await page.locator('[data-testid="quote-row"][data-symbol="ETH/USD"]').click();
  await page.keyboard.press('s');
  await expect(page.getByTestId('ticket-side-sell')).toHaveAttribute('aria-checked', 'true');
  await page.getByTestId('tab-fills').click();
  await page.keyboard.press('b');
  await expect(page.getByTestId('ticket-side-buy')).toHaveAttribute('aria-checked', 'true');
  await page.getByTestId('tab-working').click();
  await page.keyboard.press('Control+Enter'); // nothing previewed yet: nothing placed
  await expect(page.getByTestId('place-result')).toHaveCount(0);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('preview-panel')).toHaveAttribute('data-allowed', 'true');
  await page.getByTestId('tab-working').click();
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('place-result')).toHaveAttribute('data-status', /accepted|submitted/);
  const second = (await page.getByTestId('place-result').getAttribute('data-order-id'))!;
  // Letters typed into a text box outside the ticket stay there.
  await page.getByTestId('tab-risk').click();
  await page.getByTestId('risk-venue').selectOption('paper');
  await page.getByTestId('risk-symbol').click();
  await page.keyboard.type('sb');
  await expect(page.getByTestId('risk-symbol')).toHaveValue('sb');
  await expect(page.getByTestId('ticket-side-buy')).toHaveAttribute('aria-checked', 'true');
  await page.getByTestId('tab-positions').click();

  // Item 7: four working rows — the bracket's exits right under their entry, held; a Venue column.
  const rows = page.locator('[data-testid="working-order-row"]');
  await expect(rows).toHaveCount(4);
  const ids = await rows.evaluateAll((trs) => trs.map((t) => [t.getAttribute('data-order-id'), t.getAttribute('data-parent') ?? '', t.getAttribute('data-held')]));
  const at = ids.findIndex(([id]) => id === entry);
  expect(ids[at + 1]![1]).toBe(entry);
  expect(ids[at + 2]![1]).toBe(entry);
  expect(ids.find(([id]) => id === second)![1]).toBe('');
  await expect(page.locator(`[data-testid="working-order-row"][data-parent="${entry}"]`).first()).toContainText('held until the entry fills');
  await expect(page.locator('#panel-working th', { hasText: 'Venue' })).toBeVisible();
  await expect(page.locator(`[data-testid="working-order-row"][data-order-id="${second}"] [data-testid="working-venue"]`)).toHaveText('paper');

  // Item 12: nothing cut off at this size — Cancel all on one line, every Modify/Cancel in view.
  await page.screenshot({ path: path.join(shots, 'working.png') });
  const cancelAll = page.getByTestId('cancel-all');
  await expect(cancelAll).toHaveText('Cancel all (4)');
  expect(await textLines(cancelAll)).toBe(1);
  const body = page.locator('#panel-working');
  expect(await body.evaluate((b) => b.scrollWidth <= b.clientWidth + 1)).toBe(true);
  for (const b of await page.locator('#panel-working [data-testid="modify-order"], #panel-working [data-testid="cancel-order"]').all()) await expectFullyVisible(b, body);

  // Item 11: Esc closes the Modify editor.
  await page.locator(`[data-testid="working-order-row"][data-order-id="${second}"] [data-testid="modify-order"]`).click();
  await expect(page.getByTestId('modify-editor')).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'modify.png') });
  for (const b of await page.locator('[data-testid="modify-editor"] button, [data-testid="modify-editor"] input').all()) await expectFullyVisible(b, body);
  await page.getByTestId('modify-qty').press('Escape');
  await expect(page.getByTestId('modify-editor')).toHaveCount(0);

  // Item 7: the Orders tab has the Venue column too.
  await page.getByTestId('tab-orders').click();
  await expect(page.locator(`[data-testid="order-row"][data-order-id="${entry}"] [data-testid="order-venue"]`)).toHaveText('paper');
  const hist = await page.locator('[data-testid="order-row"]').evaluateAll((trs) => trs.map((t) => [t.getAttribute('data-order-id'), t.getAttribute('data-parent') ?? '']));
  const e = hist.findIndex(([id]) => id === entry);
  expect([hist[e + 1]![1], hist[e + 2]![1]]).toEqual([entry, entry]);
  await page.getByTestId('tab-working').click();

  // Item 6: Cancel all names the count and venues, warns about the bracket exits, and waits.
  await cancelAll.click();
  const dialog = page.getByTestId('cancel-all-dialog');
  await expect(page.getByTestId('cancel-all-question')).toHaveText('Cancel 4 working orders on paper?');
  await expect(page.getByTestId('cancel-all-warning')).toContainText('2 bracket exits');
  await page.screenshot({ path: path.join(shots, 'cancel-all.png') });
  await page.getByTestId('cancel-all-keep').click();
  await expect(dialog).toHaveCount(0);
  await expect(rows).toHaveCount(4);
  await cancelAll.click();
  await page.getByTestId('cancel-all-confirm').click();
  await expect(rows).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('kill-switch banner: "still being cancelled" follows the orders; TWS 1100 is a banner', async ({ page }) => {
  const errors = await openApp(page, server!.url);
  await pickSymbol(page, 'ETH', 'ETH/USD');
  await page.getByTestId('ticket-type').selectOption('limit');
  await page.getByTestId('ticket-tif').selectOption('gtc');
  await page.getByTestId('ticket-qty').fill('0.5');
  await page.getByTestId('ticket-limit').fill(((await ticketBid(page)) * 0.97).toFixed(2));
  await previewAndPlace(page);

  await page.getByTestId('kill-switch').click();
  const banner = page.getByTestId('kill-switch-banner');
  await expect(banner).toHaveAttribute('data-state', 'halted');
  await expect(page.locator('[data-testid="working-order-row"]')).toHaveCount(0);
  await expect(banner).not.toContainText('still being cancelled');
  await page.getByTestId('kill-switch-reset').click();
  await page.getByTestId('kill-switch-reset-input').fill('RESET');
  await page.getByTestId('kill-switch-reset-confirm').click();
  await expect(banner).toHaveCount(0);

  // An IBKR venue on the emulator (added from the CLI, which talks to the running engine), then TWS loses IB.
  await cli(['venue', 'add', 'ibkr', '--name', 'ib', '--set', 'host=127.0.0.1', '--set', `port=${emu!.port}`, '--set', 'clientId=9']);
  await expect(page.locator('[data-testid="venue-status"][data-venue="ib"]')).toHaveAttribute('data-state', 'connected');
  emu!.injectConnectivity(1100);
  const alert = page.locator('[data-testid="venue-alert"][data-venue="ib"]');
  // The venue's own words (the engine's detail), not wording the renderer keeps per venue.
  await expect(alert).toContainText('working orders stay at the venue');
  await expect(alert).toContainText('TWS lost its connection to IB (1100)');
  await page.screenshot({ path: path.join(shots, 'tws-1100.png') });
  emu!.injectConnectivity(1102);
  await expect(alert).toHaveCount(0);
  await cli(['venue', 'remove', 'ib']);
  expect(errors).toEqual([]);
});

test('bridge gone: the page says so, trading is disabled, no green lights, no live buttons', async ({ page }) => {
  const errors = await openApp(page, server!.url);
  await pickSymbol(page, 'ETH', 'ETH/USD');
  await page.getByTestId('ticket-qty').fill('0.1');
  await page.getByTestId('ticket-limit').fill(((await ticketBid(page)) * 0.97).toFixed(2));
  await page.getByTestId('ticket-preview').click();
  await expect(page.getByTestId('ticket-place')).toBeEnabled();

  const port = server!.port;
  await server!.stop();
  const banner = page.getByTestId('link-banner');
  await expect(banner).toContainText('not reachable');
  await expect(banner).toContainText('Trading is disabled');
  await expect(page.getByTestId('app')).toHaveAttribute('data-offline', 'true');
  for (const id of ['ticket-place', 'ticket-preview', 'kill-switch', 'ticket-qty']) await expect(page.getByTestId(id)).toBeDisabled();
  const paper = page.locator('[data-testid="venue-status"][data-venue="paper"]');
  await expect(paper).toHaveAttribute('data-state', 'unknown');
  await expect(paper.locator('.dot')).not.toHaveClass(/\bok\b/);
  // The hotkey cannot get around the disabled button.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('place-result')).toHaveCount(0);
  await page.screenshot({ path: path.join(shots, 'bridge-gone.png') });

  // Restarted on the same port with a new token: still not trading, and the page says why.
  server = await serve(dataDir, port);
  await expect(banner).toContainText('restarted with a new access token');
  await expect(page.getByTestId('ticket-place')).toBeDisabled();
  expect(errors).toEqual([]);
});

function cli(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/tradeport.cjs'), ...args, '--data-dir', dataDir], {
      cwd: ROOT,
      env: { ...process.env, TRADEPORT_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`tradeport ${args.join(' ')} exited ${code}: ${out}`))));
  });
}
