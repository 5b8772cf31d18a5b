/**
 * Cost per order as the number of open orders grows: placing one order (preview, risk, journal,
 * Paper buying power) and the kill switch's sweep, at 100 / 1,000 / 5,000 open orders on the Paper
 * venue, each as a ratio to the 100 case (goal: flat, ≤ 1.5×). Also the time the kill switch takes
 * to answer (trading is halted at once; a large sweep goes on in the background).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine, type Engine } from '../src-main/engine/engine';
import { ManualClock } from '../src-main/engine/ports/clock';
import { MemorySecretStore } from '../src-main/engine/ports/secrets';

const SIZES = [100, 1000, 5000];
const PLACES = 200;
const T0 = Date.UTC(2026, 10, 18, 15, 0, 0);
const ticket = { venue: 'bench', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '1', limitPrice: '220', tif: 'gtc' } as const;

async function must(engine: Engine, command: Parameters<Engine['callRaw']>[0], input: unknown): Promise<unknown> {
  const r = await engine.callRaw(command, input);
  if (!r.ok) throw new Error(`${command}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function measure(open: number): Promise<{ placeMs: number; sweepMsPerOrder: number; answerMs: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-bench-open-'));
  const engine = await createEngine({ dataDir: dir, secrets: new MemorySecretStore(), clock: new ManualClock(T0), paperSeed: 7, paperTickMs: 0, backups: { everyMs: 0 } });
  try {
    await must(engine, 'venue.add', { kind: 'paper', name: 'bench', settings: { startingCash: '100000000000', market24x7: 'true' } });
    for (const key of ['max_orders_per_minute', 'max_open_orders', 'max_position_qty', 'max_position_notional', 'max_concentration_pct']) await must(engine, 'risk.set', { key, value: 'off' });
    for (let i = 0; i < open; i++) await must(engine, 'order.place', ticket);
    process.stderr.write(`  ${open} open: seeded\n`);
    const times: number[] = [];
    for (let i = 0; i < PLACES; i++) {
      const t = performance.now();
      await must(engine, 'order.place', ticket);
      times.push(performance.now() - t);
    }
    const total = open + PLACES;
    const t0 = performance.now();
    await must(engine, 'killSwitch.trip', { reason: 'bench' });
    const answerMs = performance.now() - t0;
    await engine.internals.idle();
    const sweepMs = performance.now() - t0;
    if (engine.internals.orders.workingCount() !== 0) throw new Error('the sweep left working orders');
    return { placeMs: median(times), sweepMsPerOrder: sweepMs / total, answerMs };
  } finally {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const r: Record<number, { placeMs: number; sweepMsPerOrder: number; answerMs: number }> = {};
  // Warm-up (JIT, SQLite page cache): the first engine of a process is slower whatever its size.
  await measure(SIZES[0]!);
  for (const n of SIZES) r[n] = await measure(n);
  const base = r[SIZES[0]!]!;
  const round = (x: number, d = 3) => Number(x.toFixed(d));
  const out: Record<string, unknown> = { bench: 'open_orders' };
  for (const n of SIZES) {
    out[`place_ms_median_${n}`] = round(r[n]!.placeMs);
    out[`sweep_ms_per_order_${n}`] = round(r[n]!.sweepMsPerOrder);
    out[`kill_switch_answer_ms_${n}`] = round(r[n]!.answerMs, 1);
  }
  for (const n of SIZES.slice(1)) {
    out[`place_ratio_${n}_vs_100`] = round(r[n]!.placeMs / base.placeMs, 2);
    out[`sweep_ratio_${n}_vs_100`] = round(r[n]!.sweepMsPerOrder / base.sweepMsPerOrder, 2);
  }
  return out;
}
