/**
 * The kill switch's state as the contract shows it (the machine itself is risk/kill-switch.ts).
 * Here so the API, which the renderer shares, names it without importing the risk layer.
 */
export type HaltState = 'running' | 'halted' | 'reducing';
export type TripMode = 'halted' | 'reducing';

export interface KillSwitchSnapshot {
  readonly version: 1;
  readonly state: HaltState;
  /** Why it was last tripped or tightened; null while running. */
  readonly reason: string | null;
  readonly actor: string | null;
  /** When it left `running`; kept across escalation so the UI can say "halted since 10:32". */
  readonly trippedAt: number | null;
  /** The trip asked to close positions with marketable orders. */
  readonly flatten: boolean;
  /** Flatten asked for and not yet reported done by the OMS; survives a restart so it resumes. */
  readonly flattenPending: boolean;
  readonly lastReset: { readonly actor: string; readonly at: number; readonly note: string | null } | null;
}
