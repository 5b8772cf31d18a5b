/**
 * What the engine does around the kill switch's state machine (risk/kill-switch.ts): announce and
 * audit every change, cancel every working order when it trips (and again at start when it was
 * restored tripped), close positions when a trip asks to flatten, trip it to REDUCING when a fill
 * takes today's loss over the daily limit, and cancel orders that were still being sent during a
 * sweep as soon as their venue acknowledges them.
 */
import type { FlattenResult, KillSwitchResetResult, KillSwitchStatus, KillSwitchSweep, KillSwitchTripResult } from '../api/commands';
import { TradeportError } from '../api/errors';
import type { EngineEvent } from '../api/events';
import type { Decimal } from '../domain/money';
import type { Actor } from '../domain/order';
import type { CallContext } from '../api/engine-api';
import type { Clock } from '../ports/clock';
import type { AuditRepo } from '../store/audit-repo';
import type { OrdersRepo, StoredOrder } from '../store/orders-repo';
import type { VenueManager } from '../venues/venue-manager';
import type { TripMode } from '../domain/kill-switch-state';
import type { ResetInput } from './kill-switch';
import { describeScope } from '../domain/risk-limits';
import type { DailyLossWatch } from './daily-loss-watch';
import { LARGE_SWEEP, settleWithin, startAllYielding } from '../ports/settle-within';
import type { RiskService } from './risk-service';

/**
 * What the kill switch needs of the OMS, declared here so risk never imports oms (oms/ builds on
 * risk): the OrderManager and order entry satisfy these as they are.
 */
export interface KillSwitchOrders {
  cancel(orderId: string, actor: Actor): Promise<StoredOrder>;
}
export interface FlattenTicket {
  readonly venue: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly type: 'market';
  readonly qty: string;
  readonly tif: 'ioc';
}
export type FlattenOrder = (i: FlattenTicket, ctx: CallContext, opts: { readonly flatten: true; readonly route: StoredOrder['route'] }) => Promise<StoredOrder>;

export interface KillSwitchOpsDeps {
  readonly orders: OrdersRepo;
  readonly oms: KillSwitchOrders;
  readonly audit: AuditRepo;
  readonly clock: Clock;
  readonly risk: RiskService;
  /** A venue's routing mode: flattening a real position needs a route that may send real orders. */
  readonly venueModes: Pick<VenueManager, 'modeOf'>;
  /** Order entry (oms/order-entry.ts): flatten orders take the same preview + risk path as any other. */
  readonly placeOrder: FlattenOrder;
  /** Runs work nobody awaits (a trip after a fill, a deferred cancel); see background-tasks.ts. */
  readonly track: (p: Promise<unknown>) => void;
  readonly emit: (e: EngineEvent) => void;
  /** Tells "daily loss near / hit" once a day per scope (risk/daily-loss-watch.ts). */
  readonly dailyLoss?: Pick<DailyLossWatch, 'check' | 'pending'>;
  /** A trip answers after this long even if its sweep is still cancelling (default 1 s); the rest reports by events. */
  readonly answerWithinMs?: number;
}

export class KillSwitchOps {
  /**
   * Orders the kill switch's sweep could not cancel because their submit had not been answered
   * yet (pending_submit / unknown). Each is cancelled as soon as the venue says it is working.
   */
  private readonly cancelWhenWorking = new Set<string>();

  constructor(private readonly d: KillSwitchOpsDeps) {
    const { audit, emit } = d;
    d.risk.killSwitch.onChange((c) => {
      audit.append({
        ts: c.at,
        actor: c.actor,
        transport: 'internal',
        action: `killSwitch.${c.kind}`,
        venue: null,
        ok: true,
        detail: { from: c.from, to: c.to, reason: c.reason, flatten: c.snapshot.flatten },
      });
      emit({ type: 'killSwitch', state: this.status() });
      emit({
        type: 'notice',
        level: c.to === 'running' ? 'info' : 'warn',
        ts: c.at,
        message: c.to === 'running' ? `Kill switch reset by ${c.actor}: trading resumes.` : `Kill switch ${c.to.toUpperCase()}${c.reason ? `: ${c.reason}` : ''}`,
      });
    });
  }

  private get ks() {
    return this.d.risk.killSwitch;
  }

  status(): KillSwitchStatus {
    return { ...this.ks.snapshot(), workingOrders: this.d.orders.workingCount() };
  }

  /**
   * Restored tripped at start: a crash may have cut the last sweep short, and orders may have been
   * placed elsewhere since. Sweeps again, resumes an unfinished flatten, and re-announces the state.
   */
  async resumeAfterRestart(): Promise<void> {
    if (this.ks.state === 'running') return;
    await this.cancelSweep('system');
    if (this.ks.snapshot().flattenPending) await this.flattenAll('system');
    this.d.emit({ type: 'killSwitch', state: this.status() });
  }

  /** Every OMS event passes here: an order the sweep is waiting for is cancelled once it is working. */
  onOrderEvent(e: EngineEvent): void {
    if (e.type !== 'order' || !this.cancelWhenWorking.has(e.order.id)) return;
    const st = e.order.status;
    if (st === 'submitted' || st === 'accepted' || st === 'partially_filled') {
      this.cancelWhenWorking.delete(e.order.id);
      // After the OMS finished this transition, not inside it.
      this.d.track(Promise.resolve().then(() => this.d.oms.cancel(e.order.id, 'system')));
    } else if (st !== 'pending_submit' && st !== 'unknown') this.cancelWhenWorking.delete(e.order.id);
  }

  /** After every fill: today's loss at or over the daily limit trips the kill switch to REDUCING. */
  checkDailyLoss(venue: string, instrumentId: string): void {
    const { risk } = this.d;
    const l = risk.limits(venue, instrumentId).dailyLossLimit;
    const scope = describeScope(l.scope);
    const running = this.ks.state === 'running';
    // Today's P&L reads the journal: worked out only while it can trip the switch or tell an alert.
    if (!running && !this.d.dailyLoss?.pending(scope, l.value, risk.dayStart())) return;
    const r = risk.dailyLossBreached(venue, instrumentId);
    this.d.dailyLoss?.check({ venue, scope, limit: l.value, pnl: r.realized.plus(r.unrealized), currency: risk.accountCurrency, dayStart: risk.dayStart() });
    if (!running || !r.breached) return;
    const reason = `Daily loss limit reached: today's P&L is ${r.realized.plus(r.unrealized).toDecimalPlaces(2).toFixed()} ${risk.accountCurrency} (limit ${l.value?.toFixed() ?? 'off'}, ${describeScope(l.scope)}).`;
    this.d.track(this.trip('reducing', false, reason, 'system'));
  }

  async trip(mode: TripMode, flatten: boolean, reason: string, actor: Actor): Promise<KillSwitchTripResult> {
    const r = this.ks.trip({ mode, flatten, reason, actor });
    if (!r.ok) throw new TradeportError(r.error.code, r.error.message);
    // Sweep even when the state did not change: a trip is also "make sure nothing is working".
    // Trading is halted already; a large sweep answers at once and reports the rest as events.
    const progress = new SweepProgress();
    const work = this.cancelSweep(actor, progress).then(async (sweep) => ({ sweep, flat: this.ks.snapshot().flattenPending ? await this.flattenAll(actor) : [] }));
    const done = await settleWithin(work, this.d.orders.workingCount() > LARGE_SWEEP ? 0 : (this.d.answerWithinMs ?? 1000));
    if (done) return { status: this.status(), changed: r.value.changed, ...(r.value.note ? { note: r.value.note } : {}), sweep: done.sweep, flatten: done.flat };
    this.d.track(work);
    const sweep = progress.snapshot();
    return { status: this.status(), changed: r.value.changed, ...(r.value.note ? { note: r.value.note } : {}), sweep, flatten: [] };
  }

  reset(input: ResetInput): KillSwitchResetResult {
    const r = this.ks.reset(input);
    if (!r.ok) throw new TradeportError(r.error.code, r.error.message);
    // Trading resumes: an order the last sweep was waiting for is no longer to be cancelled.
    this.cancelWhenWorking.clear();
    return { status: this.status(), changed: r.value.changed, ...(r.value.note ? { note: r.value.note } : {}) };
  }

  /** Cancels every working order on every venue and route. Orders still being sent are cancelled once acknowledged. */
  async cancelSweep(actor: Actor, progress = new SweepProgress()): Promise<KillSwitchSweep> {
    const { orders, oms, audit, clock, emit } = this.d;
    const working = orders.list({ workingOnly: true, limit: 100_000 });
    progress.requested = working.length;
    const report = (finished: boolean) => emit({ type: 'cancelProgress', op: 'killSwitch', total: progress.requested, done: progress.answered, failed: progress.failed.length, finished });
    await startAllYielding(working, async (o) => {
      if (o.status === 'pending_submit' || o.status === 'unknown') {
        this.cancelWhenWorking.add(o.id);
        progress.fail({ orderId: o.id, clientOrderId: o.clientOrderId, venue: o.venue, message: `still being sent (${o.status}); it is cancelled as soon as the venue acknowledges it` });
      } else if (o.status === 'pending_cancel') {
        progress.answered++;
      } else {
        try {
          const after = await oms.cancel(o.id, actor);
          if (after.status === 'cancelled' || after.status === 'pending_cancel') progress.cancelled++;
          progress.answered++;
        } catch (err) {
          progress.fail({ orderId: o.id, clientOrderId: o.clientOrderId, venue: o.venue, message: (err as Error).message });
        }
      }
      // A few events per sweep, not one per order: enough for a progress bar.
      if (progress.answered % PROGRESS_EVERY === 0) report(false);
    });
    const sweep = progress.snapshot();
    report(true);
    audit.append({ ts: clock.now(), actor, transport: 'internal', action: 'killSwitch.sweep', venue: null, ok: sweep.failed.length === 0, detail: { ...sweep } });
    if (working.length >= PROGRESS_EVERY)
      emit({
        type: 'notice',
        level: sweep.failed.length ? 'warn' : 'info',
        ts: clock.now(),
        message: `Kill switch sweep done: cancelled ${sweep.cancelled} of ${sweep.requested} working order(s)${sweep.failed.length ? `; ${sweep.failed.length} not yet` : ''}.`,
      });
    return sweep;
  }

  /**
   * Closes positions with marketable orders. A real position is closed only where real orders are
   * allowed (LIVE/CANARY or Paper): flattening must not be the way a SHADOW venue first goes live.
   */
  async flattenAll(actor: Actor): Promise<FlattenResult[]> {
    const { risk, venueModes, audit, clock } = this.d;
    const out: FlattenResult[] = [];
    for (const e of risk.exposures()) {
      const parts: Array<{ qty: Decimal; route: StoredOrder['route'] | null; why?: string }> = [];
      const mode = venueModes.modeOf(e.venue).mode;
      if (!e.venueQty.isZero()) {
        parts.push(
          mode === 'paper'
            ? { qty: e.venueQty, route: 'paper' }
            : mode === 'live' || mode === 'canary'
              ? { qty: e.venueQty, route: 'live' }
              : { qty: e.venueQty, route: null, why: `${e.venue} is in SHADOW mode; close this real position at the venue or arm LIVE first` },
        );
      }
      if (!e.shadowQty.isZero()) parts.push({ qty: e.shadowQty, route: 'shadow' });
      for (const p of parts) {
        const side = p.qty.isNeg() ? 'buy' : 'sell';
        const qty = p.qty.abs().toFixed();
        if (!p.route) {
          out.push({ venue: e.venue, symbol: e.symbol, side, qty, message: p.why! });
          continue;
        }
        try {
          const o = await this.d.placeOrder({ venue: e.venue, symbol: e.instrumentId, side, type: 'market', qty, tif: 'ioc' }, { actor, transport: 'internal' }, { flatten: true, route: p.route });
          out.push({ venue: e.venue, symbol: e.symbol, side, qty, orderId: o.id });
        } catch (err) {
          out.push({ venue: e.venue, symbol: e.symbol, side, qty, message: (err as Error).message });
        }
      }
    }
    audit.append({ ts: clock.now(), actor, transport: 'internal', action: 'killSwitch.flatten', venue: null, ok: out.every((r) => r.orderId), detail: { orders: out } });
    this.ks.flattenCompleted(actor);
    return out;
  }
}

const PROGRESS_EVERY = 100;

/** Where a sweep is: what a trip answers when the sweep is still running. */
export class SweepProgress {
  requested = 0;
  cancelled = 0;
  /** Orders whose cancel has been answered (cancelled, already cancelling, or failed). */
  answered = 0;
  readonly failed: KillSwitchSweep['failed'][number][] = [];

  fail(f: KillSwitchSweep['failed'][number]): void {
    this.failed.push(f);
    this.answered++;
  }

  snapshot(): KillSwitchSweep {
    const pending = this.requested - this.answered;
    return { requested: this.requested, cancelled: this.cancelled, failed: [...this.failed], ...(pending > 0 ? { pending } : {}) };
  }
}
