/**
 * The built CLI (bin/tradeport.cjs → out/main/cli.js; `npx electron-vite build` first) against the
 * TWS emulator on a fresh data dir: `preview ib AAPL …` works without running `instruments` first,
 * and a preview that is not allowed exits 1 (it still prints the preview).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TwsEmulator } from './../emulators/tws';

const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'bin/tradeport.cjs');
let dataDir: string;
let emu: TwsEmulator;

function cli(args: string[]): Promise<{ code: number; stdout: string; json: { ok: boolean; value?: any; error?: { code: string; message: string } } }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [bin, ...args, '--data-dir', dataDir], { env: { ...process.env, TRADEPORT_DATA_DIR: '' }, timeout: 60_000 }, (err, stdout) => {
      const code = err ? ((err as { code?: number }).code ?? 1) : 0;
      let json = { ok: false };
      try {
        json = JSON.parse(stdout);
      } catch {
        // human output
      }
      resolve({ code: typeof code === 'number' ? code : 1, stdout, json });
    });
    child.stdin!.end();
  });
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(root, 'out/main/cli.js'))) throw new Error('out/main/cli.js is missing: run `npx electron-vite build` before the integration tests.');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-cli-ib-'));
  emu = new TwsEmulator({ port: 0 });
  await emu.start();
});
afterAll(async () => {
  await emu.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('tradeport CLI with an IB venue on a fresh data dir', () => {
  it('preview ib AAPL works without `instruments` first; a preview that is not allowed exits 1', async () => {
    const add = await cli(['venue', 'add', 'ibkr', '--name', 'ib', '--set', `port=${emu.port}`, '--set', 'watchlist=', '--json']);
    expect(add.code).toBe(0);
    const pv = await cli(['preview', 'ib', 'AAPL', 'buy', '1', '--type', 'limit', '--limit', '199', '--json']);
    expect(pv.json.error).toBeUndefined();
    expect(pv.json.value).toMatchObject({ symbol: 'AAPL', instrumentId: 'ib:265598', route: 'shadow', allowed: true });
    expect(pv.code).toBe(0);
    // twice the market: the collar's aggressive side blocks, and the exit code says so
    const fat = await cli(['preview', 'ib', 'AAPL', 'buy', '1', '--type', 'limit', '--limit', '400', '--json']);
    expect(fat.json.value).toMatchObject({ allowed: false });
    expect(fat.json.value.violations.map((v: { code: string }) => v.code)).toContain('risk.price_collar');
    expect(fat.code).toBe(1);
  }, 120_000);
});
