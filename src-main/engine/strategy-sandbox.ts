/**
 * Sandbox engines for `strategy simulate`: a fresh engine in a temporary data dir, on a manual
 * clock, whose Paper venue takes the trader's Paper settings (cash, fees, 24/7) with the
 * simulation's price seed. The strategy runs there through the same runner, API, risk checks and
 * matching as for real; the sandbox and its files are gone when it closes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Engine, EngineConfig } from './engine';
import { ManualClock } from './ports/clock';
import { MemorySecretStore } from './ports/secrets';
import type { SandboxFactory } from './strategies/strategy-simulate';
import type { PaperVenue } from './venues/paper';

export function strategySandboxes(create: (c: EngineConfig) => Promise<Engine>, paperSettings: () => Readonly<Record<string, string>> | undefined): SandboxFactory {
  return async ({ from, seed, tickMs }) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-strategy-sim-'));
    const clock = new ManualClock(from);
    const engine = await create({ dataDir: dir, secrets: new MemorySecretStore(), clock, paperSeed: seed, paperTickMs: 0, backups: { everyMs: 0 }, strategyQuoteMaxAgeMs: tickMs }).catch(
      (err: unknown) => {
        fs.rmSync(dir, { recursive: true, force: true });
        throw err;
      },
    );
    const close = async () => {
      await engine.close();
      fs.rmSync(dir, { recursive: true, force: true });
    };
    // The simulation's seed, not the trader's, drives the prices.
    const { seed: _ignored, ...settings } = paperSettings() ?? {};
    if (Object.keys(settings).length > 0) {
      const r = await engine.callRaw('venue.set', { name: 'paper', settings });
      if (!r.ok) {
        await close();
        throw new Error(`the simulation's Paper venue did not take the Paper settings: ${r.error.message}`);
      }
    }
    // Prices move once a tick: the last quote is the current price until the next one, for the runner and for risk alike.
    const age = await engine.callRaw('risk.set', { key: 'max_quote_age_ms', value: String(tickMs) });
    if (!age.ok) {
      await close();
      throw new Error(`the simulation's engine did not take its quote age: ${age.error.message}`);
    }
    const paper = () => engine.internals.venues.get('paper') as PaperVenue;
    return {
      call: (command, input, ctx) => engine.callRaw(command, input, ctx),
      subscribe: (fn) => engine.subscribe(fn),
      now: () => clock.now(),
      advanceTo: async (ms) => {
        await clock.advanceAsync(Math.max(0, ms - clock.now()));
        await engine.internals.idle();
      },
      instrument: (symbol) => paper().instrument(symbol),
      setPrice: (id, price) => paper().setPrice(id, price),
      tick: () => paper().tick(),
      idle: () => engine.internals.idle(),
      close,
    };
  };
}
