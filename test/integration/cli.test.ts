/**
 * The built CLI (bin/tradeport.cjs → out/main/cli.js) as a trader runs it, against the real engine
 * and the Paper venue in a temp data dir: in-process first, then through a running `serve`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'bin/tradeport.cjs');
let dataDir: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  json: { ok: boolean; value?: any; error?: { code: string; message: string } };
}

function cli(args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [bin, ...args, '--data-dir', dataDir], { env: { ...process.env, TRADEPORT_DATA_DIR: '' }, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 1) : 0;
      let json: Run['json'] = { ok: false };
      try {
        json = JSON.parse(stdout);
      } catch {
        // human output
      }
      resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr, json });
    });
    if (stdin !== undefined) child.stdin!.end(stdin);
    else child.stdin!.end();
  });
}

beforeAll(() => {
  if (!fs.existsSync(path.join(root, 'out/main/cli.js'))) throw new Error('out/main/cli.js is missing: run `npm run build` before the integration tests.');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-cli-int-'));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('tradeport CLI, in-process engine', () => {
  let orderId = '';

  it('lists the paper venue', async () => {
    const r = await cli(['venues', '--json']);
    expect(r.code).toBe(0);
    expect(r.json.value.map((v: { name: string }) => v.name)).toContain('paper');
    const human = await cli(['venues']);
    expect(human.stdout).toMatch(/^NAME\s+KIND\s+STATE/);
  });

  it('quotes BTC/USD with a bid below the ask', async () => {
    const r = await cli(['quote', 'paper', 'BTC/USD', '--json']);
    expect(r.code).toBe(0);
    expect(Number(r.json.value.bid)).toBeGreaterThan(0);
    expect(Number(r.json.value.bid)).toBeLessThan(Number(r.json.value.ask));
  });

  it('places a resting limit order that shows as working and can be cancelled', async () => {
    const placed = await cli(['place', 'paper', 'BTC/USD', 'buy', '0.01', '--type', 'limit', '--limit', '97000', '--json']);
    expect(placed.code, placed.stdout).toBe(0);
    expect(placed.json.value).toMatchObject({ symbol: 'BTC/USD', side: 'buy', type: 'limit', qty: '0.01', limitPrice: '97000', source: 'cli' });
    orderId = placed.json.value.id;

    const working = await cli(['orders', '--json']);
    expect(working.json.value.map((o: { id: string }) => o.id)).toContain(orderId);

    const cancelled = await cli(['cancel', 'paper', orderId, '--json']);
    expect(cancelled.code).toBe(0);
    expect(cancelled.json.value).toMatchObject({ id: orderId, status: 'cancelled' });

    expect((await cli(['orders', '--json'])).json.value.map((o: { id: string }) => o.id)).not.toContain(orderId);
    const all = await cli(['orders', '--all']);
    expect(all.stdout).toMatch(new RegExp(`${orderId}.*cancelled`));
  });

  it('exits 2 with a specific code for bad input', async () => {
    const neg = await cli(['place', 'paper', 'BTC/USD', 'buy', '-1', '--type', 'limit', '--limit', '97000', '--json']);
    expect(neg.code).toBe(2);
    expect(neg.json).toMatchObject({ ok: false, error: { code: 'invalid_quantity' } });
    const noLimit = await cli(['place', 'paper', 'BTC/USD', 'buy', '0.01', '--type', 'limit', '--json']);
    expect(noLimit.code).toBe(2);
    expect(noLimit.json.error?.code).toBe('missing_limit_price');
    const venue = await cli(['quote', 'nowhere', 'BTC/USD', '--json']);
    expect(venue.code).toBe(2);
    expect(venue.json.error?.code).toBe('unknown_venue');
    const flag = await cli(['orders', '--everything']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/Unknown flag --everything/);
  });

  it('reports a non-input failure with exit 1', async () => {
    const r = await cli(['cancel', 'paper', 'no-such-order', '--json']);
    expect(r.code).toBe(1);
    expect(r.json.error?.code).toBe('order_not_found');
  });

  it('reads a secret from stdin and never echoes it, even when the engine refuses it', async () => {
    const r = await cli(['secret', 'set', 'paper', 'apiKey', '--json'], 's3cr3t-XYZ\n');
    expect(r.code).toBe(2);
    expect(r.json.error?.code).toBe('invalid_input');
    expect(r.stdout + r.stderr).not.toContain('s3cr3t');
    const status = await cli(['secret', 'status', 'paper', '--json']);
    expect(status.code).toBe(0);
    expect(status.json.value.fields).toEqual([]);
  });
});

describe('tradeport CLI through a running `serve`', () => {
  let server: ChildProcess;
  let url = '';

  beforeAll(async () => {
    server = spawn(process.execPath, [bin, 'serve', '--port', '0', '--json', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((resolve, reject) => {
      let buf = '';
      server.stdout!.on('data', (d) => {
        buf += d;
        const line = buf.split('\n')[0];
        if (buf.includes('\n')) {
          try {
            resolve(JSON.parse(line!).value.url);
          } catch (e) {
            reject(e);
          }
        }
      });
      server.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
    });
  });
  afterAll(() => {
    if (server.exitCode === null) server.kill('SIGKILL');
  });

  it('prints the tokenised URL and serves the renderer with the CSP', async () => {
    const token = fs.readFileSync(path.join(dataDir, 'bridge-token'), 'utf8').trim();
    expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/#token=${token}$`));
    const res = await fetch(url.split('#')[0]!);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
  });

  it('routes commands to the running engine instead of opening the data dir twice', async () => {
    const placed = await cli(['place', 'paper', 'BTC/USD', 'buy', '0.01', '--type', 'limit', '--limit', '97000', '--json']);
    expect(placed.code, placed.stdout).toBe(0);
    // Over the bridge the engine records the bridge's caller, not the in-process CLI.
    expect(placed.json.value.source).toBe('user');
    const all = await cli(['cancel-all', 'paper', '--json']);
    expect(all.code).toBe(0);
    expect(all.json.value.requested).toBeGreaterThanOrEqual(1);
    const bad = await cli(['place', 'paper', 'BTC/USD', 'buy', 'abc', '--json']);
    expect(bad.code).toBe(2);
  });

  it('refuses a second engine on the same data dir', async () => {
    const second = await cli(['serve', '--port', '0', '--json']);
    expect(second.code).toBe(1);
    expect(second.json.error?.code).toBe('engine_busy');
  });

  it('stops cleanly on SIGINT and removes engine.json', async () => {
    const exited = new Promise<number | null>((r) => server.once('exit', (code) => r(code)));
    server.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'engine.json'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'engine.lock'))).toBe(false);
  });
});
