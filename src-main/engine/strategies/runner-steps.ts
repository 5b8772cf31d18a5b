/**
 * Sending journaled steps: in step order, one strategy at a time, only while it runs and its market
 * is open to it, through `order.place` as actor `strategy`. A step whose send did not surely happen
 * stays journaled and is sent again with the same client order id, which the engine answers with
 * the order it already made: a restart or a lost answer never doubles a step.
 */
import { CTX, sends, type RunnerCore, type RunnerParts } from './runner-core';
import { inRegularSession, mayTrade } from './strategy-market';
import type { StepRow } from './strategy-types';

/** Send failures that say nothing about the order itself: the step stays journaled and is tried again. */
const PASSING: ReadonlySet<string> = new Set(['venue_unavailable', 'rate_limited', 'timeout', 'engine_busy', 'disk_full', 'storage_read_only', 'storage_failed', 'no_quote', 'internal']);

export class StepSender implements Pick<RunnerParts, 'flush' | 'refused' | 'cancelStep'> {
  private readonly sending = new Map<string, Promise<void>>();
  private readonly inflight = new Set<string>();

  constructor(private readonly c: RunnerCore) {}

  /** Sends the strategy's journaled steps, in order, while it runs and its market is open to it. */
  flush(id: string): void {
    const c = this.c;
    const prev = this.sending.get(id) ?? Promise.resolve();
    const next = prev.then(async () => {
      for (const s of c.d.store.openSteps(id)) {
        if (s.status !== 'journaled' || this.inflight.has(s.clientOrderId) || c.sentMarks.has(s.clientOrderId)) continue;
        const row = c.row(id);
        const inst = c.instruments.get(id);
        if (!sends(row.status) || !inst || !mayTrade(inst, c.parse(row).common, c.now())) return;
        if (s.ticket.type === 'market' && !inRegularSession(inst, c.now())) {
          this.refused(s, 'market orders are sent only in the regular session; outside it the venues take limit orders only');
          continue;
        }
        this.inflight.add(s.clientOrderId);
        try {
          await this.send(s);
        } finally {
          this.inflight.delete(s.clientOrderId);
        }
      }
      if (sends(c.status(id))) c.parts.arm(id);
    });
    const tracked = next.catch((err: unknown) => c.problem(id, err));
    this.sending.set(id, tracked);
    c.track(tracked);
  }

  private async send(s: StepRow): Promise<void> {
    const c = this.c;
    const r = await c.d.call('order.place', s.ticket, CTX(s.strategyId));
    // Whatever the answer, an order the engine journaled under this client id is this step's order.
    const o = c.d.orderByClientId(s.clientOrderId);
    if (o) {
      // Marked with the next group (a restart finds the order by its client id anyway).
      c.markSent(s.clientOrderId, o.id);
      c.enqueue(() => c.parts.checkEnded(s.clientOrderId));
      return;
    }
    if (r.ok) return;
    if (PASSING.has(r.error.code)) return c.parts.later(s.strategyId, r.error);
    this.refused(s, r.error.message);
  }

  refused(s: StepRow, reason: string): void {
    const c = this.c;
    c.parts.decide(c.row(s.strategyId), { type: 'refused', now: c.now(), tag: s.tag, reason }, { stepOutcome: { clientOrderId: s.clientOrderId, status: 'refused', error: reason } });
    c.d.emit({ type: 'notice', level: 'warn', ts: c.now(), message: `Strategy ${s.strategyId}: ${s.tag} (${s.clientOrderId}) was not placed: ${reason}` });
  }

  async cancelStep(s: StepRow): Promise<void> {
    const c = this.c;
    if (!c.d.orderByClientId(s.clientOrderId)) {
      // Never sent: it never will be.
      c.rows.delete(s.strategyId);
      c.d.store.commit({ ...c.keep(s.strategyId), steps: [], stepOutcome: { clientOrderId: s.clientOrderId, status: 'refused', error: 'cancelled before it was sent' }, now: c.now() });
      return;
    }
    const r = await c.d.call('order.cancel', { id: s.clientOrderId, venue: c.row(s.strategyId).venue }, CTX(s.strategyId));
    if (!r.ok && r.error.code !== 'order_not_cancellable') c.problem(s.strategyId, new Error(r.error.message));
  }
}
