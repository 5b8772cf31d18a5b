/**
 * The built CLI (bin/tradeport.cjs → out/main/cli.js; `npx electron-vite build` first) with the
 * advanced order flags, against the Paper venue in a temp data dir: each is refused with
 * `unsupported_order` (exit 2) naming Paper and the alternative, and nothing is journaled.
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
  it('a trailing stop on Paper: exit 2, unsupported_order, names Paper and the alternative', async () => {
    const r = await cli(['place', 'paper', 'AAPL', 'sell', '1', '--type', 'trailing-stop', '--trail-pct', '2', '--json']);
    expect(r.code).toBe(2);
    expect(r.json.error?.code).toBe('unsupported_order');
    expect(r.json.error?.message).toMatch(/^Paper does not support trailing stops — use a stop order/);
  });

  it('OPG and a bracket on Paper are refused the same way; nothing was journaled', async () => {
    const opg = await cli(['preview', 'paper', 'AAPL', 'buy', '1', '--type', 'limit', '--limit', '200', '--tif', 'opg', '--json']);
    expect(opg.code).toBe(2);
    expect(opg.json.error?.message).toBe('Paper does not support OPG orders — use a DAY limit order at the open.');
    const br = await cli(['place', 'paper', 'AAPL', 'buy', '1', '--type', 'limit', '--limit', '200', '--take-profit', '220', '--stop-loss', '180', '--json']);
    expect(br.code).toBe(2);
    expect(br.json.error?.code).toBe('unsupported_order');
    const orders = await cli(['orders', '--all', '--json']);
    expect(orders.json.value).toEqual([]);
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
