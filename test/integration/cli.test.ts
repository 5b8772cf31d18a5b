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
    expect(working.json.value.orders.map((o: { id: string }) => o.id)).toContain(orderId);

    const cancelled = await cli(['cancel', 'paper', orderId, '--json']);
    expect(cancelled.code).toBe(0);
    expect(cancelled.json.value).toMatchObject({ id: orderId, status: 'cancelled' });

    expect((await cli(['orders', '--json'])).json.value.orders.map((o: { id: string }) => o.id)).not.toContain(orderId);
    const all = await cli(['orders', '--all']);
    expect(all.stdout).toMatch(new RegExp(`${orderId}.*cancelled`));
  });

  it('modifies a working order in place: new quantity and price, same order; a bad change exits 2 and changes nothing', async () => {
    const placed = await cli(['place', 'paper', 'BTC/USD', 'buy', '0.01', '--type', 'limit', '--limit', '97000', '--tif', 'gtc', '--client-id', 'cli-mod-1', '--json']);
    expect(placed.code, placed.stdout).toBe(0);
    const id = placed.json.value.id;
    const mod = await cli(['replace', 'cli-mod-1', '--qty', '0.02', '--limit', '97100', '--json']);
    expect(mod.code, mod.stdout).toBe(0);
    expect(mod.json.value).toMatchObject({ id, clientOrderId: 'cli-mod-1', status: 'accepted', qty: '0.02', limitPrice: '97100' });
    const human = await cli(['replace', id, '--limit', '97050']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`${id}.*97050`));

    const bad = await cli(['replace', id, '--limit', '97050.005', '--json']);
    expect(bad.code).toBe(2);
    expect(bad.json.error?.code).toBe('price_too_precise');
    const none = await cli(['replace', id, '--json']);
    expect(none.code).toBe(2);
    expect(none.json.error?.message).toMatch(/Say what to change/);
    const listed = (await cli(['orders', '--json'])).json.value.orders.find((o: { id: string }) => o.id === id);
    expect(listed).toMatchObject({ qty: '0.02', limitPrice: '97050', status: 'accepted' });
    const audit = await cli(['audit', '--action', 'order.replace', '--json']);
    expect(audit.json.value.map((a: { ok: boolean; actor: string }) => [a.ok, a.actor])).toEqual([
      [false, 'cli'],
      [false, 'cli'],
      [true, 'cli'],
      [true, 'cli'],
    ]);
    expect((await cli(['cancel', 'paper', id])).code).toBe(0);
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

describe('tradeport CLI, order safety (issue 3)', () => {
  it('refuses LIVE without --arm, audits the refusal, and arms with it', async () => {
    // A live-capable venue that never connects (nothing listens on port 1): mode changes need only its record.
    const added = await cli(['venue', 'add', 'ibkr', '--name', 'ib', '--set', 'port=1', '--json']);
    expect(added.code, added.stdout + added.stderr).toBe(0);
    expect(added.json.value.mode).toBe('shadow');

    const refused = await cli(['mode', 'ib', 'live']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error \[invalid_input\]: LIVE on ib .*--arm/);
    const trail = await cli(['audit', '--action', 'mode.set', '--venue', 'ib', '--json']);
    expect(trail.json.value).toEqual([
      expect.objectContaining({ actor: 'cli', action: 'mode.set', venue: 'ib', ok: false, detail: expect.objectContaining({ input: expect.objectContaining({ mode: 'live', arm: false }) }) }),
    ]);

    const armed = await cli(['mode', 'ib', 'live', '--arm', '--json']);
    expect(armed.code, armed.stdout).toBe(0);
    expect(armed.json.value).toMatchObject({ from: 'shadow', to: 'live', changed: true, armed: true });
    expect((await cli(['audit', '--action', 'mode.arm', '--json'])).json.value).toHaveLength(1);
    const back = await cli(['mode', 'ib', 'shadow']);
    expect(back.code).toBe(0);
    expect(back.stdout).toMatch(/ib: LIVE → SHADOW/);
    expect((await cli(['venue', 'remove', 'ib'])).code).toBe(0);

    // The Paper venue has no modes at all: an input error too.
    expect((await cli(['mode', 'paper', 'live', '--arm'])).code).toBe(2);
  });

  it('risk set is reflected by risk show', async () => {
    const set = await cli(['risk', 'set', 'max_order_qty', '5', '--venue', 'paper', '--json']);
    expect(set.code, set.stdout).toBe(0);
    expect(set.json.value).toMatchObject({ key: 'max_order_qty', value: '5', venue: 'paper' });
    const shown = await cli(['risk', 'show', '--venue', 'paper', '--json']);
    expect(shown.json.value.effective).toContainEqual({ key: 'max_order_qty', value: '5', scope: 'limit for paper' });
    const human = await cli(['risk', 'show', '--venue', 'paper']);
    expect(human.stdout).toMatch(/^KEY\s+VALUE\s+SCOPE$/m);
    expect(human.stdout).toMatch(/^max_order_qty\s+5\s+limit for paper$/m);
    const bad = await cli(['risk', 'set', 'max_order_qty', 'lots', '--json']);
    expect(bad.code).toBe(2);
    expect((await cli(['risk', 'set', 'max_order_qty', 'inherit', '--venue', 'paper'])).code).toBe(0);
  });

  it('kill-switch cancels working orders and halts new ones until reset --confirm', async () => {
    const placed = await cli(['place', 'paper', 'BTC/USD', 'buy', '0.01', '--type', 'limit', '--limit', '97000', '--json']);
    expect(placed.code, placed.stdout).toBe(0);
    const id = placed.json.value.id;

    const trip = await cli(['kill-switch', '--reason', 'integration test', '--json']);
    expect(trip.code, trip.stdout).toBe(0);
    expect(trip.json.value.status).toMatchObject({ state: 'halted', reason: 'integration test', workingOrders: 0 });
    expect(trip.json.value.sweep.cancelled).toBeGreaterThanOrEqual(1);
    const all = await cli(['orders', '--all', '--json']);
    expect(all.json.value.orders.find((o: { id: string }) => o.id === id)?.status).toBe('cancelled');

    const refused = await cli(['place', 'paper', 'BTC/USD', 'buy', '0.01', '--type', 'limit', '--limit', '97000', '--json']);
    expect(refused.code).toBe(1);
    expect(refused.json.error?.code).toBe('halted');

    const status = await cli(['kill-switch', 'status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^state\s+HALTED$/m);
    expect(status.stdout).toMatch(/^reason\s+integration test$/m);

    const unconfirmed = await cli(['kill-switch', 'reset']);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/add --confirm/);
    expect((await cli(['kill-switch', 'status', '--json'])).json.value.state).toBe('halted');

    const reset = await cli(['kill-switch', 'reset', '--confirm', '--json']);
    expect(reset.code, reset.stdout).toBe(0);
    expect(reset.json.value.status.state).toBe('running');
    const again = await cli(['place', 'paper', 'BTC/USD', 'buy', '0.01', '--type', 'limit', '--limit', '97000', '--json']);
    expect(again.code, again.stdout).toBe(0);
    expect((await cli(['cancel', 'paper', again.json.value.id])).code).toBe(0);
  });

  it('reconcile paper prints a report, and --reports lists it', async () => {
    const r = await cli(['reconcile', 'paper']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^#\d+ paper · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d · manual · ok$/m);
    const reports = await cli(['reconcile', '--reports', '--venue', 'paper', '--limit', '5', '--json']);
    expect(reports.code).toBe(0);
    expect(reports.json.value.length).toBeLessThanOrEqual(5);
    expect(reports.json.value.some((x: { trigger: string }) => x.trigger === 'manual')).toBe(true);
  });

  it('audit --csv prints only CSV with a header row and the kill-switch entries', async () => {
    const r = await cli(['audit', '--csv']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const rows = r.stdout.trimEnd().split('\r\n');
    expect(rows[0]).toBe('seq,time_utc,ts,actor,transport,action,venue,ok,detail');
    expect(rows.some((l) => /,cli,cli,killSwitch\.trip,,true,/.test(l))).toBe(true);
    expect(rows.some((l) => /,cli,cli,killSwitch\.reset,,true,/.test(l))).toBe(true);
    const filtered = (await cli(['audit', '--csv', '--action', 'killSwitch'])).stdout.trimEnd().split('\r\n');
    expect(filtered.slice(1).length).toBeGreaterThanOrEqual(2);
    expect(filtered.slice(1).every((l) => /,killSwitch\.[a-z]+,/i.test(l))).toBe(true);
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
    // The CLI names itself over the bridge; the audit log shows the command came through it.
    expect(placed.json.value.source).toBe('cli');
    const audit = await cli(['audit', '--action', 'order.place', '--limit', '1', '--json']);
    expect(audit.json.value[0]).toMatchObject({ action: 'order.place', actor: 'cli', transport: 'bridge' });
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
