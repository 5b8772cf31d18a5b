import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fail, ok, type Result } from '../../../src-main/engine/api/errors';
import type { Engine } from '../../../src-main/engine/engine';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';
import { runCli, type CliDeps } from '../../../src-main/headless/cli-main';
import { acquireEngineLock, readMarker } from '../../../src-main/headless/engine-lock';
import { startHeadlessServer } from '../../../src-main/headless/server';
import { FakeEngine } from '../../helpers/fake-engine';
import { until } from '../../support/until';

function engineHandler(command: string, input: unknown): Result<unknown> {
  const i = input as Record<string, unknown>;
  if (command === 'order.place' && i.qty === '-1') return fail('invalid_quantity', 'Quantity must be greater than 0.');
  if (command === 'order.place' && halted) return fail('halted', 'Trading is halted by the kill switch.');
  if (command === 'mode.set' && i.mode !== 'shadow' && i.arm !== true)
    return fail('invalid_input', `LIVE on ${String(i.venue)} sends every order to the venue as a real order. To confirm, type the venue name in the app, or add --arm in the CLI.`);
  if (command === 'mode.set') return ok({ venue: {}, from: 'shadow', to: i.mode, canaryPct: null, changed: true, armed: true, summary: `${String(i.venue)}: SHADOW → LIVE (armed)` });
  if (command === 'killSwitch.trip') {
    halted = true;
    return ok({
      status: ksStatus('halted'),
      changed: true,
      sweep: { requested: 2, cancelled: 1, failed: [{ orderId: 'o2', clientOrderId: 'c2', venue: 'paper', message: 'still being sent' }] },
      flatten: [],
    });
  }
  if (command === 'killSwitch.status') return ok(ksStatus(halted ? 'halted' : 'running'));
  if (command === 'risk.get')
    return ok({
      venue: null,
      symbol: null,
      instrumentId: null,
      effective: [
        { key: 'max_order_qty', value: '5', scope: 'global limit' },
        { key: 'max_position_qty', value: null, scope: 'default limit' },
      ],
      configured: { version: 1, global: {}, venues: {}, instruments: {} },
      killSwitch: 'running',
    });
  if (command === 'reconcile.run')
    return ok([
      {
        seq: 7,
        venue: 'paper',
        ts: 1_700_000_000_000,
        trigger: 'manual',
        ok: true,
        error: null,
        changes: [
          { kind: 'fill', message: 'order X filled 3 @ 101.20' },
          { kind: 'adopted', message: 'unknown order Z adopted' },
        ],
      },
    ]);
  if (command === 'audit.csv') return ok({ csv: AUDIT_CSV, rows: 1 });
  if (command === 'order.preview')
    return ok({
      allowed: i.qty !== '999',
      route: 'paper',
      venue: 'paper',
      symbol: 'AAPL',
      side: 'buy',
      type: 'limit',
      qty: i.qty,
      currency: 'USD',
      warnings: [],
      violations: i.qty === '999' ? [{ code: 'risk.max_order_notional', message: 'Order notional exceeds your max.' }] : [],
    });
  if (command === 'equity.curve')
    return ok({
      currency: 'USD',
      everyMs: 60_000,
      points: [
        { ts: Date.UTC(2026, 11, 4, 9), equity: '100000.00', cash: '100000.00', positions: '0.00', complete: true },
        { ts: Date.UTC(2026, 11, 4, 10), equity: '100123.45', cash: '90000.00', positions: '10123.45', complete: false },
      ],
    });
  if (command === 'order.cancel') return fail('order_not_found', `No order ${String(i.id)}.`);
  if (command === 'venues.list') return ok([{ name: 'paper', kind: 'paper', label: 'Paper', state: 'connected', mode: 'paper', detail: '', settings: {}, since: 0 }]);
  if (command === 'secret.set') return ok({ venue: i.venue, field: i.field, set: true });
  if (command === 'order.place')
    return ok({
      id: 'o1',
      clientOrderId: 'c1',
      venue: 'paper',
      symbol: 'BTC/USD',
      side: 'buy',
      type: 'limit',
      qty: i.qty,
      limitPrice: i.limitPrice,
      tif: 'day',
      status: 'accepted',
      filledQty: '0',
      avgFillPrice: '0',
      fees: '0',
    });
  return ok({ command, input });
}

const AUDIT_CSV = 'seq,time_utc,ts,actor,transport,action,venue,ok,detail\r\n1,2023-11-14T22:13:20.000Z,1700000000000,cli,cli,killSwitch.trip,,true,"{""input"":{}}"\r\n';
let halted = false;
function ksStatus(state: string) {
  return { version: 1, state, reason: state === 'running' ? null : 'test', actor: 'cli', trippedAt: null, flatten: false, flattenPending: false, lastReset: null, workingOrders: 0 };
}

let dataDir: string;
let out: string;
let err: string;
let engines: FakeEngine[];
let secretInput: string;

function deps(over: Partial<CliDeps> = {}): CliDeps {
  return {
    io: {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      readSecret: async () => secretInput,
      env: {},
    },
    createEngine: async () => {
      const e = new FakeEngine(engineHandler);
      engines.push(e);
      return Object.assign(e, { info: e.info }) as unknown as Engine;
    },
    secrets: () => new MemorySecretStore(),
    staticDir: dataDir,
    version: 'test',
    waitForShutdown: async () => undefined,
    lockWaitMs: 200,
    ...over,
  };
}

const run = (args: string[], over?: Partial<CliDeps>) => runCli([...args, '--data-dir', dataDir], deps(over));

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-cli-'));
  out = '';
  err = '';
  engines = [];
  secretInput = '';
  halted = false;
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('cli exit codes and output', () => {
  it('runs a command in-process with the cli context, closes the engine and prints JSON', async () => {
    expect(await run(['place', 'paper', 'BTC/USD', 'buy', '0.01', '--type', 'limit', '--limit', '1', '--json'])).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ ok: true, value: { id: 'o1', status: 'accepted', qty: '0.01', limitPrice: '1' } });
    expect(engines).toHaveLength(1);
    expect(engines[0]!.calls[0]).toEqual({
      command: 'order.place',
      input: { venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'limit', qty: '0.01', limitPrice: '1' },
      ctx: { actor: 'cli', transport: 'cli' },
    });
    expect(engines[0]!.closed).toBe(true);
    // The lock is released for the next command.
    expect(fs.existsSync(path.join(dataDir, 'engine.lock'))).toBe(false);
  });

  it('prints a compact table without --json', async () => {
    expect(await run(['venues'])).toBe(0);
    expect(out.split('\n')[0]).toMatch(/^NAME\s+KIND\s+STATE\s+MODE/);
    expect(out).toMatch(/paper\s+paper\s+connected/);
  });

  it('exits 2 with {ok:false,error} for an engine input error', async () => {
    expect(await run(['place', 'paper', 'BTC/USD', 'buy', '-1', '--json'])).toBe(2);
    expect(JSON.parse(out)).toEqual({ ok: false, error: { code: 'invalid_quantity', message: 'Quantity must be greater than 0.' } });
  });

  it('exits 2 for argv errors, as JSON when --json is on the line', async () => {
    expect(await run(['place', 'paper', 'AAPL', 'buy', '1', '--price', '3', '--json'])).toBe(2);
    expect(JSON.parse(out)).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/Unknown flag --price/) } });
    expect(engines).toHaveLength(0);
    out = '';
    expect(await run(['nonsense'])).toBe(2);
    expect(err).toMatch(/^error \[invalid_input\]: Unknown command 'nonsense'/);
  });

  it('preview exits 1 when the order is not allowed (the preview is still printed), 0 when it is', async () => {
    expect(await run(['preview', 'paper', 'AAPL', 'buy', '999', '--type', 'limit', '--limit', '200', '--json'])).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ ok: true, value: { allowed: false, violations: [{ code: 'risk.max_order_notional' }] } });
    out = '';
    expect(await run(['preview', 'paper', 'AAPL', 'buy', '1', '--type', 'limit', '--limit', '200', '--json'])).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ ok: true, value: { allowed: true } });
  });

  it('exits 1 for a non-input failure', async () => {
    expect(await run(['cancel', 'paper', 'nope', '--json'])).toBe(1);
    expect(JSON.parse(out).error.code).toBe('order_not_found');
  });

  it('exits 1 with a message, not a stack, when the engine cannot start', async () => {
    const code = await run(['venues', '--json'], {
      createEngine: async () => {
        throw new Error('database is locked');
      },
    });
    expect(code).toBe(1);
    expect(JSON.parse(out)).toEqual({ ok: false, error: { code: 'internal', message: 'database is locked' } });
  });

  it('refuses an oversized command before it reaches an engine', async () => {
    expect(await run(['instruments', 'paper', 'x'.repeat(70_000), '--json'])).toBe(2);
    expect(JSON.parse(out).error.code).toBe('message_too_large');
    expect(engines).toHaveLength(0);
  });

  it('prints help with exit 0', async () => {
    expect(await run(['--help'])).toBe(0);
    expect(out).toMatch(/Usage: tradeport/);
    expect(out).toMatch(/secret set/);
  });
});

describe('order-safety commands (issue 3)', () => {
  it('mode without --arm exits 2 with the engine’s message; with --arm it goes through', async () => {
    expect(await run(['mode', 'ib', 'live'])).toBe(2);
    expect(err).toMatch(/^error \[invalid_input\]: LIVE on ib .*add --arm in the CLI/);
    expect(engines[0]!.calls[0]).toMatchObject({ command: 'mode.set', input: { venue: 'ib', mode: 'live', arm: false }, ctx: { actor: 'cli' } });
    expect(await run(['mode', 'ib', 'live', '--arm'])).toBe(0);
    expect(out).toBe('ib: SHADOW → LIVE (armed)\n');
  });

  it('kill-switch trips; a place after it exits 1 with code halted; status shows it', async () => {
    expect(await run(['kill-switch', '--reason', 'fat finger'])).toBe(0);
    expect(engines[0]!.calls[0]!.input).toEqual({ mode: 'halted', flatten: false, reason: 'fat finger' });
    expect(out).toMatch(/^kill switch: HALTED/);
    expect(out).toMatch(/cancelled 1 of 2 working order\(s\)/);
    expect(out).toMatch(/not yet cancelled paper o2 \(c2\): still being sent/);
    out = '';
    expect(await run(['place', 'paper', 'BTC/USD', 'buy', '0.01', '--json'])).toBe(1);
    expect(JSON.parse(out).error.code).toBe('halted');
    out = '';
    expect(await run(['kill-switch', 'status'])).toBe(0);
    expect(out).toMatch(/^state\s+HALTED$/m);
    expect(out).toMatch(/^working orders\s+0$/m);
  });

  it('kill-switch reset without --confirm exits 2 before any engine starts', async () => {
    expect(await run(['kill-switch', 'reset'])).toBe(2);
    expect(err).toMatch(/add --confirm/);
    expect(engines).toHaveLength(0);
    expect(await run(['kill-switch', 'reset', '--confirm', '--json'])).toBe(0);
    expect(engines[0]!.calls[0]!.input).toEqual({ confirm: true });
  });

  it('risk show prints key, value and scope; an off limit reads "off"', async () => {
    expect(await run(['risk', 'show'])).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/global/);
    expect(lines[1]).toMatch(/^KEY\s+VALUE\s+SCOPE$/);
    expect(lines[2]).toMatch(/^max_order_qty\s+5\s+global limit$/);
    expect(lines[3]).toMatch(/^max_position_qty\s+off\s+default limit$/);
  });

  it('reconcile prints each report’s changes', async () => {
    expect(await run(['reconcile', 'paper'])).toBe(0);
    expect(engines[0]!.calls[0]!.input).toEqual({ venue: 'paper' });
    expect(out).toMatch(/^#7 paper · 2023-11-14 22:13:20 · manual · ok$/m);
    expect(out).toMatch(/^ {2}fill\s+order X filled 3 @ 101.20$/m);
    expect(out).toMatch(/^ {2}adopted\s+unknown order Z adopted$/m);
  });

  it('audit --csv prints the CSV exactly and nothing else; --json still wraps it', async () => {
    expect(await run(['audit', '--csv', '--action', 'killSwitch'])).toBe(0);
    expect(out).toBe(AUDIT_CSV);
    expect(err).toBe('');
    expect(engines[0]!.calls[0]!.input).toEqual({ action: 'killSwitch' });
    out = '';
    expect(await run(['audit', '--csv', '--json'])).toBe(0);
    expect(JSON.parse(out)).toEqual({ ok: true, value: { csv: AUDIT_CSV, rows: 1 } });
  });

  it('equity prints the curve as a table in UTC, and the API value with --json', async () => {
    expect(await run(['equity', '--since', '2026-12-04'])).toBe(0);
    expect(engines[0]!.calls[0]).toMatchObject({ command: 'equity.curve', input: { sinceTs: Date.UTC(2026, 11, 4) } });
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe('equity in USD, sampled every 60 s while the engine runs; the last point is now');
    expect(lines[1]).toMatch(/^TIME \(UTC\)\s+EQUITY\s+CASH\s+POSITIONS\s+COMPLETE$/);
    expect(lines[2]).toMatch(/^2026-12-04 09:00:00\s+100000\.00\s+100000\.00\s+0\.00\s+yes$/);
    expect(lines[3]).toMatch(/^2026-12-04 10:00:00\s+100123\.45\s+90000\.00\s+10123\.45\s+no \(unpriced left out\)$/);
    out = '';
    expect(await run(['equity', '--json'])).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ ok: true, value: { currency: 'USD', points: [{ equity: '100000.00' }, { equity: '100123.45' }] } });
    expect(await run(['equity', '--since', 'yesterday'])).toBe(2);
  });

  it('help lists the new commands', async () => {
    expect(await run(['--help'])).toBe(0);
    for (const c of ['mode', 'risk show', 'risk set', 'kill-switch', 'kill-switch status', 'kill-switch reset', 'reconcile', 'audit', 'equity']) expect(out).toMatch(new RegExp(`^  ${c}\\s`, 'm'));
  });
});

describe('secrets', () => {
  it('takes the value from stdin, never argv, and never prints it', async () => {
    secretInput = 'sk-live-ABCDEF123456';
    expect(await run(['secret', 'set', 'kraken', 'apiSecret', '--json'])).toBe(0);
    expect(engines[0]!.calls[0]!.input).toEqual({ venue: 'kraken', field: 'apiSecret', value: 'sk-live-ABCDEF123456' });
    expect(out + err).not.toContain('ABCDEF');
    expect(JSON.parse(out)).toEqual({ ok: true, value: { venue: 'kraken', field: 'apiSecret', set: true } });
  });

  it('exits 2 on an empty value and on a value given in argv, echoing neither', async () => {
    secretInput = '';
    expect(await run(['secret', 'set', 'kraken', 'apiSecret'])).toBe(2);
    expect(err).toMatch(/stdin/);
    err = '';
    expect(await run(['secret', 'set', 'kraken', 'apiSecret', 'topsecret-value'])).toBe(2);
    expect(err).toMatch(/stdin/);
    expect(err).not.toContain('topsecret');
    expect(engines).toHaveLength(0);
  });
});

describe('running engine discovery', () => {
  it('talks to a live engine over its bridge instead of opening the data dir', async () => {
    const live = new FakeEngine(engineHandler);
    const server = await startHeadlessServer({ engine: live, port: 0, dataDir });
    try {
      expect(await run(['orders', '--all', '--json'])).toBe(0);
      expect(engines).toHaveLength(0);
      expect(live.calls).toEqual([{ command: 'orders.page', input: { all: true }, ctx: { actor: 'cli', transport: 'bridge' } }]);
      expect(JSON.parse(out)).toEqual({ ok: true, value: { command: 'orders.page', input: { all: true } } });
      out = '';
      expect(await run(['place', 'paper', 'BTC/USD', 'buy', '-1', '--json'])).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('reports a bad token file as unauthorized', async () => {
    const server = await startHeadlessServer({ engine: new FakeEngine(), port: 0, dataDir });
    try {
      fs.writeFileSync(path.join(dataDir, 'bridge-token'), 'wrong');
      expect(await run(['venues', '--json'])).toBe(1);
      expect(JSON.parse(out).error.code).toBe('unauthorized');
    } finally {
      await server.close();
    }
  });

  it('ignores a stale engine.json whose process is gone', async () => {
    fs.writeFileSync(path.join(dataDir, 'engine.json'), JSON.stringify({ pid: 2 ** 22 + 12345, port: 1, startedAt: 0 }));
    expect(await run(['venues', '--json'])).toBe(0);
    expect(engines).toHaveLength(1);
  });

  it('says the data dir is busy when another engine holds it without a bridge', async () => {
    // Another engine (this process stands in for it) holds the OS lock and serves no bridge.
    const held = acquireEngineLock(dataDir);
    try {
      expect(await run(['venues', '--json'])).toBe(1);
      expect(JSON.parse(out).error).toMatchObject({ code: 'engine_busy', message: expect.stringMatching(/already using/) });
    } finally {
      held.release();
    }
  });
});

describe('serve', () => {
  it('starts the bridge, prints the tokenised URL, and cleans up on shutdown', async () => {
    let release!: () => void;
    const stopped = new Promise<void>((r) => (release = r));
    const done = run(['serve', '--port', '0'], { waitForShutdown: () => stopped });
    await until(() => readMarker(dataDir) && out.includes('#token='), { what: 'serve to start and print its URL' });
    const marker = readMarker(dataDir);
    expect(marker?.pid).toBe(process.pid);
    const token = fs.readFileSync(path.join(dataDir, 'bridge-token'), 'utf8').trim();
    expect(out).toContain(`http://127.0.0.1:${marker!.port}/#token=${token}`);
    release();
    expect(await done).toBe(0);
    expect(readMarker(dataDir)).toBeUndefined();
    expect(engines[0]!.closed).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'engine.lock'))).toBe(false);
  });

  it('exits 2 for a bad port or a public host without --allow-remote', async () => {
    expect(await run(['serve', '--port', 'abc'])).toBe(2);
    expect(await run(['serve', '--port', '0', '--host', '0.0.0.0', '--json'])).toBe(2);
    expect(out).toMatch(/allow-remote/);
    expect(fs.existsSync(path.join(dataDir, 'engine.lock'))).toBe(false);
  });
});
