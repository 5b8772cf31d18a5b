/**
 * The kill switch: a small state machine the OMS consults before every order.
 *
 *   running ──trip(halted)──▶ halted      no new orders at all
 *   running ──trip(reducing)─▶ reducing   only orders that shrink a position
 *   reducing ──trip(halted)──▶ halted     tightening is always allowed
 *   halted | reducing ──reset({confirm:true})──▶ running
 *
 * Loosening (halted → reducing) is not a trip: it takes a confirmed reset and a new trip, so a
 * second click or a strategy can never weaken a halt by accident. Cancelling every working order
 * on every venue is the OMS's job; it does it on each `trip` change, and on start when the
 * restored state is not `running` (a crash may have interrupted the cancel sweep).
 *
 * The state is plain JSON so the engine can persist it on every change and restore it after a
 * restart. State that cannot be read restores as `halted`: failing closed is the only safe reading
 * of "we do not know whether the trader stopped trading".
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../api/errors';
import type { HaltState, KillSwitchSnapshot, TripMode } from '../domain/kill-switch-state';
import type { Clock } from '../ports/clock';

export type KillSwitchChangeKind = 'trip' | 'escalate' | 'flatten' | 'flatten_done' | 'reset';

export interface KillSwitchChange {
  readonly kind: KillSwitchChangeKind;
  readonly from: HaltState;
  readonly to: HaltState;
  readonly actor: string;
  readonly reason: string | null;
  readonly at: number;
  readonly snapshot: KillSwitchSnapshot;
}

export type KillSwitchListener = (change: KillSwitchChange) => void;

export interface TripInput {
  readonly reason: string;
  readonly mode: TripMode;
  readonly actor: string;
  readonly flatten?: boolean;
}

export interface ResetInput {
  /** Must be literally `true`; the UI sets it after its confirm dialog, the CLI from `--confirm`. */
  readonly confirm: boolean;
  readonly actor: string;
  readonly note?: string;
}

export interface KillSwitchOutcome {
  readonly changed: boolean;
  readonly snapshot: KillSwitchSnapshot;
  /** Why nothing changed, for the trader ("already halted"). */
  readonly note?: string;
}

export const RUNNING: KillSwitchSnapshot = Object.freeze({
  version: 1,
  state: 'running',
  reason: null,
  actor: null,
  trippedAt: null,
  flatten: false,
  flattenPending: false,
  lastReset: null,
});

export const killSwitchSnapshotSchema = z
  .object({
    version: z.literal(1),
    state: z.enum(['running', 'halted', 'reducing']),
    reason: z.string().max(1000).nullable(),
    actor: z.string().max(200).nullable(),
    trippedAt: z.number().int().nonnegative().nullable(),
    flatten: z.boolean(),
    flattenPending: z.boolean(),
    lastReset: z
      .object({ actor: z.string().max(200), at: z.number().int().nonnegative(), note: z.string().max(1000).nullable() })
      .strict()
      .nullable(),
  })
  .strict();

export const KILL_SWITCH_UNREADABLE_REASON = 'Kill switch state could not be read at start-up, so trading stays halted. Check open orders and positions, then reset the kill switch.';

export interface KillSwitchOptions {
  readonly clock: Clock;
  readonly initial?: KillSwitchSnapshot;
  /** A listener that throws must not undo or block a trip; its error is handed here instead. */
  readonly onListenerError?: (err: unknown) => void;
}

export class KillSwitch {
  private snap: KillSwitchSnapshot;
  private readonly clock: Clock;
  private readonly listeners = new Set<KillSwitchListener>();
  private readonly onListenerError: (err: unknown) => void;

  constructor(opts: KillSwitchOptions) {
    this.clock = opts.clock;
    this.snap = opts.initial ?? RUNNING;
    this.onListenerError = opts.onListenerError ?? (() => undefined);
  }

  /** Restores persisted state. Anything unreadable comes back halted, never running. */
  static fromJSON(raw: unknown, opts: Omit<KillSwitchOptions, 'initial'>): KillSwitch {
    return new KillSwitch({ ...opts, initial: KillSwitch.parse(raw, opts.clock.now()) });
  }

  static parse(raw: unknown, now: number): KillSwitchSnapshot {
    let value = raw;
    if (typeof raw === 'string') {
      try {
        value = JSON.parse(raw) as unknown;
      } catch {
        value = undefined;
      }
    }
    const parsed = killSwitchSnapshotSchema.safeParse(value);
    if (parsed.success && consistent(parsed.data)) return Object.freeze(parsed.data);
    return Object.freeze({ ...RUNNING, state: 'halted', reason: KILL_SWITCH_UNREADABLE_REASON, actor: 'system', trippedAt: now });
  }

  get state(): HaltState {
    return this.snap.state;
  }

  snapshot(): KillSwitchSnapshot {
    return this.snap;
  }

  toJSON(): KillSwitchSnapshot {
    return this.snap;
  }

  /** Whether a new order may be placed: `reduces` is true when it only shrinks an existing position. */
  allows(reduces: boolean): boolean {
    return this.snap.state === 'running' || (this.snap.state === 'reducing' && reduces);
  }

  onChange(listener: KillSwitchListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  trip(input: TripInput): Result<KillSwitchOutcome> {
    const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
    const actor = typeof input.actor === 'string' ? input.actor.trim() : '';
    if (input.mode !== 'halted' && input.mode !== 'reducing') return fail('invalid_input', 'Kill switch mode must be "halted" or "reducing".');
    if (!reason) return fail('invalid_input', 'Say why the kill switch is being tripped (a reason is recorded in the audit log).');
    if (!actor) return fail('invalid_input', 'A kill switch trip needs an actor for the audit log.');
    const flatten = input.flatten === true;
    const from = this.snap.state;
    const now = this.clock.now();

    if (from === 'running') {
      return this.commit('trip', actor, reason, now, {
        ...this.snap,
        state: input.mode,
        reason,
        actor,
        trippedAt: now,
        flatten,
        flattenPending: flatten,
      });
    }
    const escalate = from === 'reducing' && input.mode === 'halted';
    const addFlatten = flatten && !this.snap.flatten;
    if (!escalate && !addFlatten) {
      const note = from === 'halted' && input.mode === 'reducing' ? 'Trading is already halted; reset the kill switch first to allow reducing orders.' : `The kill switch is already ${from}.`;
      return ok({ changed: false, snapshot: this.snap, note });
    }
    return this.commit(escalate ? 'escalate' : 'flatten', actor, reason, now, {
      ...this.snap,
      state: escalate ? 'halted' : from,
      reason,
      actor,
      flatten: this.snap.flatten || flatten,
      flattenPending: this.snap.flattenPending || addFlatten,
    });
  }

  /** The OMS reports that the flatten orders were all sent (or nothing was left to close). */
  flattenCompleted(actor: string): Result<KillSwitchOutcome> {
    if (!this.snap.flattenPending) return ok({ changed: false, snapshot: this.snap, note: 'No flatten is pending.' });
    return this.commit('flatten_done', actor, this.snap.reason, this.clock.now(), { ...this.snap, flattenPending: false });
  }

  reset(input: ResetInput): Result<KillSwitchOutcome> {
    if (input.confirm !== true) {
      return fail('invalid_input', 'Resetting the kill switch resumes trading and needs an explicit confirmation (in the CLI: kill-switch reset --confirm).');
    }
    const actor = typeof input.actor === 'string' ? input.actor.trim() : '';
    if (!actor) return fail('invalid_input', 'A kill switch reset needs an actor for the audit log.');
    if (this.snap.state === 'running') return ok({ changed: false, snapshot: this.snap, note: 'The kill switch is not tripped.' });
    const now = this.clock.now();
    const note = input.note?.trim() ? input.note.trim().slice(0, 1000) : null;
    return this.commit('reset', actor, note, now, { ...RUNNING, lastReset: { actor, at: now, note } });
  }

  private commit(kind: KillSwitchChangeKind, actor: string, reason: string | null, at: number, next: KillSwitchSnapshot): Result<KillSwitchOutcome> {
    const from = this.snap.state;
    this.snap = Object.freeze(next);
    const change: KillSwitchChange = { kind, from, to: next.state, actor, reason, at, snapshot: this.snap };
    for (const l of [...this.listeners]) {
      try {
        l(change);
      } catch (err) {
        this.onListenerError(err);
      }
    }
    return ok({ changed: true, snapshot: this.snap });
  }
}

/** Rejects shapes the machine can never produce, so a hand-edited file cannot restore nonsense. */
function consistent(s: KillSwitchSnapshot): boolean {
  if (s.state === 'running') return s.reason === null && s.trippedAt === null && !s.flatten && !s.flattenPending;
  return s.reason !== null && s.trippedAt !== null && (s.flatten || !s.flattenPending);
}
