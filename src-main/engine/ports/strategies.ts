/**
 * The engine's view of the strategy runner. No strategy exists yet; this is the hook the network
 * kit needs from them: when a venue's circuit breaker opens, the engine pauses that venue's
 * running strategies through it, and when the breaker closes it resumes exactly the ones it
 * paused (BreakerPauseTracker). A strategy runner implements this and is passed to the engine
 * as `EngineConfig.strategies`; when the user pauses, resumes or stops a strategy by hand it calls
 * `engine.internals.health.userActed(id)` so the breaker never overrides the user.
 */
export interface StrategyRegistry {
  /** Ids of the strategies currently running (not paused, not stopped) on `venue`. */
  running(venue: string): readonly string[];
  pause(id: string, reason: string): void;
  resume(id: string, reason: string): void;
}

/** The registry until strategies land: nothing runs, so nothing is paused. */
export const noStrategies: StrategyRegistry = {
  running: () => [],
  pause: () => undefined,
  resume: () => undefined,
};
