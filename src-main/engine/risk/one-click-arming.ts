/**
 * One-click trading's armed state, held by the engine: per account (a configured venue: the engine
 * runs one account per venue), for this engine session only, in memory. A ladder click that asks
 * to place at once (`order.place` with `oneClick: true`) is refused unless its account is armed.
 *
 * The trader arms and disarms through `oneClick.arm` (audited by the dispatcher). The engine clears
 * the state by itself, and writes each clear to the audit log with its reason: a kill-switch trip
 * clears every account, a venue that leaves `connected` (or is removed) clears its own. A session
 * ends with the engine, so on start every account still armed (a crash or a kill) gets its closing
 * "disarmed: engine restarted" entry. Which accounts are armed is mirrored in one small engine_state
 * row (`oneClick.armed`), so that start reads a handful of names, never the ever-growing audit log.
 */
import type { OneClickArmed } from '../api/desk-prefs';
import type { EngineEvent } from '../api/events';
import type { AuditRepo } from '../store/audit-repo';
import type { EngineStateRepo } from '../store/kv';

export type DisarmReason = 'engine restarted' | 'kill switch tripped' | 'venue disconnected' | 'venue removed';

export const ONE_CLICK_ARM_ACTION = 'oneClick.arm';
/** The audit action of a disarm the engine made by itself (detail.reason says why). */
export const ONE_CLICK_DISARMED_ACTION = 'oneClick.disarmed';
/** engine_state key: the accounts armed now (JSON array of venue names), kept across a crash. */
export const ONE_CLICK_STATE_KEY = 'oneClick.armed';

/** Venue states in which an armed account stays armed (and may be armed). */
const LIVE_STATES: ReadonlySet<string> = new Set(['connected', 'degraded']);
export const isLiveState = (state: string | undefined): boolean => state !== undefined && LIVE_STATES.has(state);

export interface OneClickArmingDeps {
  readonly audit: Pick<AuditRepo, 'append' | 'list'>;
  readonly state: Pick<EngineStateRepo, 'get' | 'set'>;
  readonly now: () => number;
  readonly emit: (e: EngineEvent) => void;
}

export class OneClickArming {
  private readonly armedAt = new Map<string, number>();
  constructor(private readonly d: OneClickArmingDeps) {}

  isArmed(venue: string): boolean {
    return this.armedAt.has(venue);
  }

  /** The accounts armed now, oldest first. */
  list(): OneClickArmed[] {
    return [...this.armedAt].map(([venue, at]) => ({ venue, armed: true, at }));
  }

  /** The trader armed `venue` (the command checked it may be); the dispatcher audits the command. */
  arm(venue: string): OneClickArmed {
    const at = this.armedAt.get(venue) ?? this.d.now();
    if (!this.armedAt.has(venue)) {
      this.armedAt.set(venue, at);
      this.persist();
    }
    this.d.emit({ type: 'oneClick', venue, armed: true, at });
    return { venue, armed: true, at };
  }

  /** The trader disarmed `venue` (audited by the dispatcher). */
  disarm(venue: string): OneClickArmed {
    const at = this.d.now();
    if (this.armedAt.delete(venue)) {
      this.persist();
      this.d.emit({ type: 'oneClick', venue, armed: false, at });
    }
    return { venue, armed: false, at };
  }

  /** The engine disarms `venue` by itself: audited with the reason, told to every window. */
  clear(venue: string, reason: DisarmReason): void {
    if (!this.armedAt.delete(venue)) return;
    this.persist();
    const at = this.d.now();
    this.auditClear(venue, reason, at);
    this.d.emit({ type: 'oneClick', venue, armed: false, at, reason });
  }

  clearAll(reason: DisarmReason): void {
    for (const venue of [...this.armedAt.keys()]) this.clear(venue, reason);
  }

  /** Kill switch and venue events clear what no longer holds. */
  onEvent(e: EngineEvent): void {
    if (e.type === 'killSwitch' && e.state.state !== 'running') this.clearAll('kill switch tripped');
    else if (e.type === 'venue' && !isLiveState(e.venue.state)) this.clear(e.venue.name, 'venue disconnected');
    else if (e.type === 'venueRemoved') this.clear(e.name, 'venue removed');
  }

  /**
   * At engine start: every account the last session left armed (it stopped while armed) gets its
   * closing entry now. Reads the small `oneClick.armed` state row; only a journal that predates it
   * is read once from the audit log (the last ok one-click entry per account), then never again.
   * Returns the accounts closed.
   */
  closeDangling(): string[] {
    const stored = this.d.state.get<string[]>(ONE_CLICK_STATE_KEY);
    const open = stored ?? this.legacyOpen();
    for (const venue of open) this.auditClear(venue, 'engine restarted', this.d.now());
    if (stored === undefined || open.length > 0) this.persist();
    return open;
  }

  /** A journal written before the state row: its open arms, found once in the audit log. */
  private legacyOpen(): string[] {
    const last = new Map<string, boolean>();
    // Newest first: the first ok entry seen per account is its last word.
    for (const e of this.d.audit.list({ action: 'oneClick.', limit: 100_000 })) {
      if (!e.ok || e.venue === null || last.has(e.venue)) continue;
      if (e.action === ONE_CLICK_ARM_ACTION) last.set(e.venue, (e.detail.input as { armed?: unknown } | undefined)?.armed === true);
      else if (e.action === ONE_CLICK_DISARMED_ACTION) last.set(e.venue, false);
    }
    return [...last].filter(([, armed]) => armed).map(([venue]) => venue);
  }

  private persist(): void {
    this.d.state.set(ONE_CLICK_STATE_KEY, [...this.armedAt.keys()]);
  }

  private auditClear(venue: string, reason: DisarmReason, at: number): void {
    this.d.audit.append({ ts: at, actor: 'engine', transport: 'internal', action: ONE_CLICK_DISARMED_ACTION, venue, ok: true, detail: { reason } });
  }
}
