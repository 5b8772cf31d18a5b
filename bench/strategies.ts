/**
 * The engine's cost per quote with 200 running strategies on Paper (grids and buy-the-dips, which
 * read every quote) against the same engine with none, in CPU time; and the latency from the tick
 * that triggers a step to its order event. Paper runs 24/7 (market24x7) and is ticked by hand: one
 * tick quotes all 13 instruments, so TICKS ticks offer 13 × TICKS quotes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine, type Engine } from '../src-main/engine/engine';
import { Decimal } from '../src-main/engine/domain/money';
import { ManualClock } from '../src-main/engine/ports/clock';
import { MemorySecretStore } from '../src-main/engine/ports/secrets';
import type { PaperVenue } from '../src-main/engine/venues/paper';
import { timePass } from './cpu-clock';

const T0 = Date.UTC(2026, 10, 18, 15, 0, 0);
const TICKS = 2000;
const STRATEGIES = 200;
const TRIGGERS = 50;

async function must(engine: Engine, command: string, input: unknown): Promise<unknown> {
  const r = await engine.callRaw(command, input);
  if (!r.ok) throw new Error(`${command}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

async function withEngine<T>(strategies: number, body: (engine: Engine, paper: PaperVenue, clock: ManualClock) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-bench-strat-'));
  const clock = new ManualClock(T0);
  const engine = await createEngine({ dataDir: dir, secrets: new MemorySecretStore(), clock, paperSeed: 7, paperTickMs: 0, backups: { everyMs: 0 } });
  try {
    await must(engine, 'venue.set', { name: 'paper', settings: { market24x7: 'true', startingCash: '100000000000' } });
    for (const key of ['max_orders_per_minute', 'max_open_orders', 'max_position_qty', 'max_position_notional', 'max_concentration_pct']) await must(engine, 'risk.set', { key, value: 'off' });
    const paper = engine.internals.venues.get('paper') as PaperVenue;
    paper.tick();
    const symbols = ['BTC/USD', 'ETH/USD', 'SOL/USD', 'AAPL'];
    for (let i = 0; i < strategies; i++) {
      const symbol = symbols[i % symbols.length]!;
      const q = (await must(engine, 'quote.get', { venue: 'paper', symbol })) as { bid: string };
      const mid = new Decimal(q.bid);
      // Half grids around the market (wide, so they rest and stay), half dips far from triggering.
      const params =
        i % 2 === 0
          ? { low: mid.mul(0.5).toFixed(2), high: mid.mul(1.5).toFixed(2), levels: '5', qty: symbol === 'AAPL' ? '1' : '0.001', stopAtBounds: 'false' }
          : { qty: symbol === 'AAPL' ? '1' : '0.001', drop: '40', window: '1h', takeProfit: '1', stop: '1' };
      await must(engine, 'strategy.add', { kind: i % 2 === 0 ? 'grid' : 'dip', venue: 'paper', symbol, params });
    }
    await engine.internals.idle();
    return await body(engine, paper, clock);
  } finally {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function quoteCost(strategies: number): Promise<Record<string, number>> {
  return withEngine(strategies, async (engine, paper, clock) => {
    let quotes = 0;
    const off = engine.subscribe((e) => void (e.type === 'quote' && quotes++));
    const t = await timePass(async () => {
      for (let i = 0; i < TICKS; i++) {
        clock.advance(1);
        paper.tick();
      }
      await engine.internals.idle();
    });
    off();
    return { quotes, cpu_us_per_quote: t.cpuNs / 1000 / quotes, wall_us_per_quote: t.wallNs / 1000 / quotes };
  });
}

/** Tick → order latency of a triggered step: a dip whose threshold the next tick crosses, beside `strategies` others (0: its peer). */
async function triggerLatency(strategies: number): Promise<Record<string, number>> {
  return withEngine(strategies, async (engine, paper, clock) => {
    const lat: number[] = [];
    for (let i = 0; i < TRIGGERS; i++) {
      const q = (await must(engine, 'quote.get', { venue: 'paper', symbol: 'ETH/USD' })) as { bid: string };
      const v = (await must(engine, 'strategy.add', { kind: 'dip', venue: 'paper', symbol: 'ETH/USD', params: { qty: '0.001', drop: '1', window: '1h', takeProfit: '50', stop: '50' } })) as {
        id: string;
      };
      await engine.internals.idle();
      let at = 0;
      const seen = new Promise<void>((resolve) => {
        const off = engine.subscribe((e) => {
          if (e.type === 'order' && e.order.clientOrderId.startsWith(`${v.id}-`)) {
            at = performance.now();
            off();
            resolve();
          }
        });
      });
      paper.source.setMid('paper:ETH-USD', new Decimal(q.bid).mul(0.9));
      clock.advance(1);
      const t0 = performance.now();
      paper.tick();
      await seen;
      lat.push(at - t0);
      await must(engine, 'strategy.stop', { id: v.id, cancelOrders: true });
      paper.source.setMid('paper:ETH-USD', new Decimal(q.bid));
      clock.advance(1);
      paper.tick();
      await engine.internals.idle();
    }
    lat.sort((a, b) => a - b);
    return { trigger_ms_p50: lat[Math.floor(lat.length / 2)]!, trigger_ms_p99: lat[Math.min(lat.length - 1, Math.floor(lat.length * 0.99))]! };
  });
}

export const cases = {
  none: async () => ({ ...(await quoteCost(0)), ...(await triggerLatency(0)) }),
  with200: async () => ({ ...(await quoteCost(STRATEGIES)), ...(await triggerLatency(STRATEGIES)) }),
};
