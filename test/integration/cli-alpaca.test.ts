/**
 * The built CLI (bin/tradeport.cjs → out/main/cli.js; `npx electron-vite build` first) against the
 * Alpaca emulator on a fresh data dir, one process per command as a trader types them: `venue add
 * alpaca` with URL overrides, the keys through `secret set` on stdin (an encrypted keystore, as on
 * a machine without a keychain), `preview`, LIVE armed, `place`, `orders`.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlpacaEmulator } from '../emulators/alpaca';

const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'bin/tradeport.cjs');
const KEY = 'PKCLIKEY';
const SECRET = 'cli-secret-key';
let dataDir: string;
let passFile: string;
let emu: AlpacaEmulator;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json: { ok: boolean; value?: any; error?: { code: string; message: string } };
}

function cli(args: string[], stdin = ''): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [bin, ...args, '--data-dir', dataDir, '--passphrase-file', passFile, '--json'],
      { env: { ...process.env, TRADEPORT_DATA_DIR: '' }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        let json = { ok: false };
        try {
          json = JSON.parse(stdout);
        } catch {
          // human output
        }
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr, json });
      },
    );
    child.stdin!.end(stdin);
  });
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(root, 'out/main/cli.js'))) throw new Error('out/main/cli.js is missing: run `npx electron-vite build` before the integration tests.');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-cli-alpaca-'));
  passFile = path.join(dataDir, 'keystore-pass');
  fs.writeFileSync(passFile, 'correct horse battery staple cli alpaca', { mode: 0o600 });
  emu = new AlpacaEmulator({ keyId: KEY, secret: SECRET });
  await emu.start();
});
afterAll(async () => {
  await emu.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('tradeport CLI with an Alpaca venue on a fresh data dir', () => {
  it('venue add with URL overrides, secret set from stdin, preview, place after arming LIVE, orders', async () => {
    const port = emu.server.port;
    const add = await cli([
      'venue',
      'add',
      'alpaca',
      '--name',
      'alp',
      '--set',
      `tradingUrl=${emu.url}`,
      '--set',
      `dataUrl=${emu.url}`,
      '--set',
      `streamUrl=${emu.server.streamUrl}`,
      '--set',
      `dataStreamUrl=ws://127.0.0.1:${port}/v2/iex`,
      '--set',
      'watchlist=BTC/USD',
    ]);
    expect(add.json.error).toBeUndefined();
    expect(add.code).toBe(0);
    for (const [field, value] of [
      ['keyId', KEY],
      ['secretKey', SECRET],
    ] as const) {
      const set = await cli(['secret', 'set', 'alp', field], `${value}\n`);
      expect(set.json.error).toBeUndefined();
      expect(set.code).toBe(0);
    }
    expect(add.stdout + (await cli(['secret', 'status', 'alp'])).stdout).not.toContain(SECRET);

    // A resting limit just under the bid (BTC/USD ticks in whole dollars).
    const limit = new Decimal(emu.quotes.get('BTC/USD').bid).times('0.999').toDecimalPlaces(0, Decimal.ROUND_DOWN).toString();
    const terms = ['alp', 'BTC/USD', 'buy', '0.01', '--type', 'limit', '--limit', limit, '--tif', 'gtc'];
    const pv = await cli(['preview', ...terms]);
    expect(pv.json.error).toBeUndefined();
    expect(pv.json.value).toMatchObject({ symbol: 'BTC/USD', instrumentId: 'alp:BTC/USD', route: 'shadow', allowed: true });
    expect(pv.code).toBe(0);
    expect(emu.book.all()).toHaveLength(0);

    const armed = await cli(['mode', 'alp', 'live', '--arm']);
    expect(armed.json.value).toMatchObject({ to: 'live', armed: true });

    const placed = await cli(['place', ...terms, '--client-id', 'cli-alpaca-1']);
    expect(placed.json.error).toBeUndefined();
    expect(placed.code).toBe(0);
    expect(placed.json.value).toMatchObject({ route: 'live' });
    const atVenue = emu.book.all();
    expect(atVenue).toHaveLength(1);
    expect(atVenue[0]).toMatchObject({ symbol: 'BTC/USD', side: 'buy', type: 'limit', time_in_force: 'gtc' });
    expect(new Decimal(atVenue[0]!.limit_price!).eq(limit)).toBe(true);

    const orders = await cli(['orders']);
    expect(orders.json.error).toBeUndefined();
    const mine = (orders.json.value.orders as Array<Record<string, unknown>>).filter((o) => o['venue'] === 'alp');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ symbol: 'BTC/USD', side: 'buy', qty: '0.01', limitPrice: limit, venueOrderId: atVenue[0]!.id, status: 'accepted' });
  }, 180_000);
});
