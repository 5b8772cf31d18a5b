/**
 * An engine on a fresh temp data dir, as the engine-level tests build it: an in-memory secret
 * store, a deterministic Paper venue stepped by hand (seed 7, no tick timer) and a ManualClock at
 * a time US equities trade. `restart()` is a Tradeport restart on the same data dir; `close()`
 * closes the engine and removes the dir.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine, type Engine, type EngineConfig } from '../../src-main/engine/engine';
import { ManualClock, type Clock } from '../../src-main/engine/ports/clock';
import { MemorySecretStore } from '../../src-main/engine/ports/secrets';
import { until } from './until';

/** Wednesday 2026-11-18 15:00 UTC = 10:00 New York: US equities are in session. */
export const T0 = Date.UTC(2026, 10, 18, 15, 0, 0);

export type EngineRigOptions<C extends Clock> = Partial<Omit<EngineConfig, 'dataDir' | 'clock'>> & {
  readonly clock?: C;
  /** Temp dir name prefix, so a leftover dir says which test made it. */
  readonly prefix?: string;
  /** An existing data dir to use instead of a fresh one. */
  readonly dir?: string;
  /** Leave the data dir in place on close (a test that reopens it later). */
  readonly keepDir?: boolean;
};

export interface EngineRig<C extends Clock = ManualClock> {
  readonly dir: string;
  readonly clock: C;
  readonly secrets: EngineConfig['secrets'];
  engine: Engine;
  /** A new engine on the same data dir, secrets and clock; the current one must be closed already. */
  startEngine(): Promise<Engine>;
  /** Closes the engine and starts a new one on the same data dir (a Tradeport restart). */
  restart(): Promise<Engine>;
  readonly until: typeof until;
  close(): Promise<void>;
}

export async function engineRig(opts?: EngineRigOptions<ManualClock>): Promise<EngineRig<ManualClock>>;
export async function engineRig<C extends Clock>(opts: EngineRigOptions<C> & { readonly clock: C }): Promise<EngineRig<C>>;
export async function engineRig(opts: EngineRigOptions<Clock> = {}): Promise<EngineRig<Clock>> {
  const { clock = new ManualClock(T0), prefix = 'tp-engine-', dir: givenDir, keepDir = false, ...config } = opts;
  const dir = givenDir ?? fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const secrets = config.secrets ?? new MemorySecretStore();
  const startEngine = () => createEngine({ paperSeed: 7, paperTickMs: 0, ...config, dataDir: dir, secrets, clock });
  let engine: Engine;
  try {
    engine = await startEngine();
  } catch (e) {
    if (!givenDir && !keepDir) fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const rig: EngineRig<Clock> = {
    dir,
    clock,
    secrets,
    engine,
    startEngine,
    async restart() {
      await rig.engine.close();
      rig.engine = await startEngine();
      return rig.engine;
    },
    until,
    async close() {
      await rig.engine.close();
      if (!keepDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return rig;
}
