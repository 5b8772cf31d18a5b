/**
 * Composition root (filled in by the engine work; this signature is the contract transports use).
 */
import type { EngineApi } from './api/engine-api';
import type { EngineInfo } from './api/commands';
import type { Clock } from './ports/clock';
import type { SecretStore } from './ports/secrets';

export interface EngineConfig {
  readonly dataDir: string;
  readonly secrets: SecretStore;
  readonly clock?: Clock;
  /** Seed for the Paper price source (deterministic sessions in tests). */
  readonly paperSeed?: number;
  /** Paper price-source tick interval in ms (default 250). 0 disables the timer (tests step by hand). */
  readonly paperTickMs?: number;
  readonly version?: string;
}

export interface Engine extends EngineApi {
  readonly info: EngineInfo;
  close(): Promise<void>;
}

export declare function createEngine(config: EngineConfig): Promise<Engine>;
