/**
 * Sandbox engines for `strategy simulate`: a fresh engine in a temporary data dir, on a manual
 * clock, whose Paper venue takes the trader's Paper settings (fees, 24/7) with the simulation's
 * price seed. The strategy runs there through the same runner, API, risk checks and matching as
 * for real; the sandbox and its files are gone when it closes.
 *
 * So that a simulation refuses what the live run would refuse, the sandbox also takes the live
 * run's guards (`LiveGuards`): the trader's risk limits (global, the live venue's as Paper's, the
 * live instrument's as its Paper twin's) and, as Paper's starting cash, the live venue's buying
 * power now (what the buying-power guard of the live venue checks against). Only the quote age is
 * the sandbox's own: its prices move once a simulated tick. Settlement (T+1) is not modelled by
 * Paper: a cash account's good-faith and free-riding checks are the live venue's alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Engine, EngineConfig } from './engine';
import { FIELD_OF_KEY, RISK_LIMIT_KEYS, type RiskConfig, type RiskLimits } from './domain/risk-limits';
import { Decimal } from './domain/money';
import { ManualClock } from './ports/clock';
import { MemorySecretStore } from './ports/secrets';
import type { LiveGuards, SandboxFactory } from './strategies/strategy-simulate';
import type { PaperVenue } from './venues/paper';

interface SandboxRiskSet {
  readonly key: string;
  readonly value: string;
  readonly venue?: string;
  readonly symbol?: string;
}

/** The `risk.set` calls that give the sandbox's Paper venue the live run's limits (the quote age is the tick's). */
function sandboxRiskSets(risk: RiskConfig | undefined, live: Pick<LiveGuards, 'venue' | 'instrumentId' | 'symbol'> | undefined, tickMs: number): SandboxRiskSet[] {
  const sets = (limits: RiskLimits | undefined, scope: { venue?: string; symbol?: string }): SandboxRiskSet[] =>
    RISK_LIMIT_KEYS.filter((k) => k !== 'max_quote_age_ms' && limits?.[FIELD_OF_KEY[k]] !== undefined).map((key) => ({ key, value: limits![FIELD_OF_KEY[key]]!, ...scope }));
  return [
    ...sets(risk?.global, {}),
    ...(live ? sets(risk?.venues[live.venue], { venue: 'paper' }) : []),
    ...(live ? sets(risk?.instruments[live.venue]?.[live.instrumentId], { venue: 'paper', symbol: live.symbol }) : []),
    { key: 'max_quote_age_ms', value: String(tickMs) },
  ];
}

export function strategySandboxes(create: (c: EngineConfig) => Promise<Engine>, paperSettings: () => Readonly<Record<string, string>> | undefined): SandboxFactory {
  return async ({ from, seed, tickMs, live }) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-strategy-sim-'));
    const clock = new ManualClock(from);
    // The simulation's seed, not the trader's, drives the prices; the cash is what the live venue could spend now.
    const { seed: _ignored, ...settings } = paperSettings() ?? {};
    const cash: Record<string, string> = live?.buyingPower ? { startingCash: Decimal.max(0, live.buyingPower).toFixed() } : {};
    const config: EngineConfig = {
      dataDir: dir,
      secrets: new MemorySecretStore(),
      clock,
      paperSeed: seed,
      paperTickMs: 0,
      paperSettings: { ...settings, ...cash },
      backups: { everyMs: 0 },
      // The simulation reads no equity curve: a sample a simulated minute was 1,440 snapshots a day written for nothing.
      equityEveryMs: 86_400_000,
      strategyQuoteMaxAgeMs: tickMs,
    };
    const engine = await create(config).catch((err: unknown) => {
      fs.rmSync(dir, { recursive: true, force: true });
      throw err;
    });
    const close = async () => {
      await engine.close();
      fs.rmSync(dir, { recursive: true, force: true });
    };
    // Prices move once a tick: the last quote is the current price until the next one, for the runner and for risk alike.
    for (const set of sandboxRiskSets(live?.risk, live, tickMs)) {
      const r = await engine.callRaw('risk.set', set);
      if (!r.ok) {
        await close();
        throw new Error(`the simulation's engine did not take your risk limit ${set.key}=${set.value}: ${r.error.message}`);
      }
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
