/**
 * The built CLI (bin/tradeport.cjs → out/main/cli.js; `npx electron-vite build` first) with the
 * advanced order flags, against the Paper venue in a temp data dir: what Paper cannot simulate
 * (OPG, extended hours) is refused with `unsupported_order` (exit 2) naming Paper and the
 * alternative, and nothing is journaled; a trailing stop is simulated and works.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'bin/tradeport.cjs');
let dataDir: string;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string; json: { ok: boolean; value?: any; error?: { code: string; message: string } } }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [bin, ...args, '--data-dir', dataDir], { env: { ...process.env, TRADEPORT_DATA_DIR: '' }, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 1) : 0;
      let json = { ok: false };
      try {
        json = JSON.parse(stdout);
      } catch {
        // human output
      }
      resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr, json });
    });
    child.stdin!.end();
  });
}

beforeAll(() => {
  if (!fs.existsSync(path.join(root, 'out/main/cli.js'))) throw new Error('out/main/cli.js is missing: run `npx electron-vite build` before the integration tests.');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-cli-adv-'));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('tradeport CLI: advanced order flags', () => {
  it('OPG and extended hours on Paper: exit 2, unsupported_order, names Paper and the alternative; nothing was journaled', async () => {
    const opg = await cli(['preview', 'paper', 'AAPL', 'buy', '1', '--type', 'limit', '--limit', '200', '--tif', 'opg', '--json']);
    expect(opg.code).toBe(2);
    expect(opg.json.error?.code).toBe('unsupported_order');
    expect(opg.json.error?.message).toBe('Paper does not support OPG orders — use a DAY limit order at the open.');
    const ext = await cli(['place', 'paper', 'AAPL', 'buy', '1', '--type', 'limit', '--limit', '200', '--outside-rth', '--json']);
    expect(ext.code).toBe(2);
    expect(ext.json.error?.message).toMatch(/^Paper does not support extended-hours orders/);
    const orders = await cli(['orders', '--all', '--json']);
    expect(orders.json.value.orders).toEqual([]);
  });

  it('a trailing stop on Paper is simulated: accepted and working', async () => {
    // Crypto trades around the clock (an equity stop outside regular hours is a risk refusal); a buy needs no coins.
    const r = await cli(['place', 'paper', 'BTC/USD', 'buy', '0.001', '--type', 'trailing-stop', '--trail-pct', '2', '--json']);
    expect(r.code).toBe(0);
    expect(r.json.value).toMatchObject({ type: 'trailing_stop', trailPercent: '2', status: 'accepted' });
  });

  it('a bracket price on the wrong side is an input error before any venue rule', async () => {
    const r = await cli(['place', 'paper', 'AAPL', 'buy', '1', '--type', 'limit', '--limit', '200', '--take-profit', '190', '--json']);
    expect(r.code).toBe(2);
    expect(r.json.error?.code).toBe('bracket_price_wrong_side');
  });

  it('--help lists the new flags', async () => {
    const r = await cli(['place', '--help']);
    expect(r.code).toBe(0);
    for (const f of ['--trail-pct', '--outside-rth', '--take-profit', '--stop-loss-limit', '--oca']) expect(r.stdout).toContain(f);
  });
});
