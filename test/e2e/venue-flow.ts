/// <reference lib="dom" />
/**
 * The steps every venue's end-to-end test takes against `tradeport serve` and the venue's emulator:
 * add the venue from the Venues panel (settings, advanced URL overrides, write-only secrets) and
 * wait for it to connect; fill a limit order in the ticket and preview it; place it and see it
 * rest; fill it at the emulator and see it filled in Orders with one row in Fills.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, type Locator, type Page } from '@playwright/test';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

export interface VenueForm {
  readonly kind: string;
  readonly name: string;
  /** Plain settings (testid `venue-setting-<key>`). */
  readonly settings?: Readonly<Record<string, string>>;
  /** Settings under the form's "advanced" section (URL overrides). */
  readonly advanced?: Readonly<Record<string, string>>;
  readonly secrets: Readonly<Record<string, string>>;
  /** Where to put a screenshot of the filled form, if anywhere. */
  readonly shot?: string;
}

/** Adds a venue from the Venues panel and waits until it is connected. */
export async function addVenue(page: Page, f: VenueForm): Promise<void> {
  await page.getByTestId('open-venues').click();
  const panel = page.getByTestId('venues-panel');
  await expect(panel).toBeVisible();
  await page.getByTestId('venue-add').click();
  await page.getByTestId('venue-kind').selectOption(f.kind);
  await page.getByTestId('venue-name').fill(f.name);
  for (const [k, v] of Object.entries(f.settings ?? {})) await page.getByTestId(`venue-setting-${k}`).fill(v);
  if (f.advanced) {
    await panel.locator('details.venue-advanced > summary').click();
    for (const [k, v] of Object.entries(f.advanced)) await page.getByTestId(`venue-setting-${k}`).fill(v);
  }
  for (const [k, v] of Object.entries(f.secrets)) await page.getByTestId(`venue-secret-${k}`).fill(v);
  if (f.shot) {
    fs.mkdirSync(path.dirname(f.shot), { recursive: true });
    await panel.screenshot({ path: f.shot });
  }
  await page.getByTestId('venue-add-submit').click();
  await expect(page.getByTestId('venue-form')).toHaveCount(0);
  await expect(page.locator(`[data-testid="venue-row"][data-venue="${f.name}"]`)).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
  await page.getByTestId('venues-close').click();
  await expect(page.locator(`[data-testid="venue-status"][data-venue="${f.name}"]`)).toHaveAttribute('data-state', 'connected');
}

/** Arms LIVE for a venue through the CLI against the running serve (SHADOW is the default). */
export async function armLive(dataDir: string, venue: string): Promise<void> {
  const out = await run(process.execPath, [path.join(ROOT, 'bin/tradeport.cjs'), '--data-dir', dataDir, '--json', 'mode', venue, 'live', '--arm'], {
    cwd: ROOT,
    env: { ...process.env, TRADEPORT_DATA_DIR: dataDir },
  });
  expect((JSON.parse(out.stdout) as { value: { to: string } }).value.to).toBe('live');
}

export interface LimitTicket {
  readonly venue: string;
  /** What is typed in the symbol box, and the symbol it must pick. */
  readonly search: string;
  readonly symbol: string;
  readonly side?: 'buy' | 'sell';
  readonly qty: string;
  readonly limit: string;
  readonly tif?: string;
  /** The route the preview must show; `any` leaves it to the caller (CANARY draws it per client id). */
  readonly route?: 'live' | 'shadow' | 'any';
}

/** Fills a GTC limit ticket and previews it: the preview must route LIVE and allow the order. */
export async function previewLimit(page: Page, t: LimitTicket): Promise<Locator> {
  await page.getByTestId('ticket-venue').selectOption(t.venue);
  await page.getByTestId('ticket-symbol').fill(t.search);
  await expect(page.locator(`[data-testid="symbol-option"][data-symbol="${t.symbol}"]`).first()).toBeVisible();
  await page.getByTestId('ticket-symbol').press('Enter');
  await expect(page.getByTestId('ticket-symbol')).toHaveValue(t.symbol);
  return previewPicked(page, t);
}

/** With the instrument already in the ticket (typed or picked from a chain): the rest of previewLimit. */
export async function previewPicked(page: Page, t: Pick<LimitTicket, 'side' | 'qty' | 'limit' | 'tif' | 'route'>): Promise<Locator> {
  if (t.side === 'sell') await page.getByTestId('ticket-side-sell').click();
  await page.getByTestId('ticket-type').selectOption('limit');
  await page.getByTestId('ticket-tif').selectOption(t.tif ?? 'gtc');
  await page.getByTestId('ticket-qty').fill(t.qty);
  await page.getByTestId('ticket-limit').fill(t.limit);
  await page.getByTestId('ticket-preview').click();
  const preview = page.getByTestId('preview-panel');
  if (t.route === 'any') await expect(preview).toHaveAttribute('data-route', /^(live|shadow)$/);
  else await expect(preview).toHaveAttribute('data-route', t.route ?? 'live');
  await expect(preview).toHaveAttribute('data-allowed', 'true');
  return preview;
}

/** The text of one row of the preview's figures (`Fee`, `Notional`, …). */
export const previewFigure = (preview: Locator, label: string): Locator => preview.locator(`xpath=.//dt[normalize-space()="${label}"]/following-sibling::dd[1]`);

/** Places the previewed ticket; the order is acknowledged and shows among the working orders. Returns its id. */
export async function placeResting(page: Page): Promise<string> {
  await page.getByTestId('ticket-place').click();
  const result = page.getByTestId('place-result');
  await expect(result).toHaveAttribute('data-status', /accepted|submitted/);
  const orderId = (await result.getAttribute('data-order-id'))!;
  await expect(page.locator(`[data-testid="working-order-row"][data-order-id="${orderId}"]`)).toBeVisible();
  return orderId;
}

/** After the venue filled it: gone from working orders, `filled` in Orders, one row in Fills with `qty`. */
export async function expectFilled(page: Page, orderId: string, qty: string): Promise<void> {
  await expect(page.locator(`[data-testid="working-order-row"][data-order-id="${orderId}"]`)).toHaveCount(0, { timeout: 30_000 });
  await page.getByTestId('tab-orders').click();
  await expect(page.locator(`[data-testid="order-row"][data-order-id="${orderId}"]`)).toHaveAttribute('data-status', 'filled');
  await page.getByTestId('tab-fills').click();
  const fill = page.locator(`[data-testid="fill-row"][data-order-id="${orderId}"]`);
  await expect(fill).toHaveCount(1);
  await expect(fill).toContainText(qty);
}

/** POSTs a control command to an emulator (`/__control/<command>`), failing on a refusal. */
export async function control(url: string, command: string, body: Record<string, unknown>): Promise<void> {
  const r = await fetch(`${url}/__control/${command}`, { method: 'POST', body: JSON.stringify(body) });
  expect(r.ok, `${command}: ${await r.clone().text()}`).toBe(true);
}

/** An option picked in the ticket's chain picker: venue, underlying → expiry → strike → call or put. */
export interface OptionPick {
  readonly venue: string;
  readonly underlying: string;
  readonly expiry: string;
  readonly strike: string;
  readonly right: 'call' | 'put';
  /** The ticket's symbol once picked, e.g. `AAPL:OPT:C:150:20260417`. */
  readonly symbol: string;
}

export async function pickOption(page: Page, o: OptionPick): Promise<void> {
  await page.getByTestId('ticket-venue').selectOption(o.venue);
  await page.getByTestId('chain-underlying').fill(o.underlying);
  await page.getByTestId('chain-load').click();
  await page.getByTestId('chain-expiry').selectOption(o.expiry);
  await page.getByTestId('chain-strike').selectOption(o.strike);
  await page.getByTestId(`chain-${o.right}`).click();
  await expect(page.getByTestId('ticket-symbol')).toHaveValue(o.symbol);
}
