/**
 * Accounting a strategy's fills and ends, from the events as they come and, after a restart or a
 * missed event, from the order journal (recovery): each fill is heard once (the store ignores a
 * fill it already has), and a step hears its order ended once, after all its fills.
 */
import type { Fill } from '../domain/order';
import { Decimal } from '../domain/money';
import { isTerminal } from '../domain/order';
import type { StrategyEvent } from './planner';
import type { RunnerCore, RunnerParts } from './runner-core';

export class StepAccounting implements Pick<RunnerParts, 'onFill' | 'checkEnded' | 'catchUp'> {
  constructor(private readonly c: RunnerCore) {}

  onFill(f: Fill, thenCheckEnd: boolean): void {
    const c = this.c;
    const step = c.d.store.stepByClientId(f.clientOrderId);
    if (!step) return;
    const row = c.row(step.strategyId);
    const ev: StrategyEvent = { type: 'fill', now: f.ts, tag: step.tag, side: f.side, qty: f.qty, price: f.price, fee: f.fee };
    c.parts.decide(row, ev, { fill: { fillId: f.id, step: step.step, side: f.side, qty: f.qty, price: f.price, fee: f.fee, ts: f.ts } });
    if (thenCheckEnd) this.checkEnded(f.clientOrderId);
  }

  /** A step whose order is final hears so once, after all its fills (taken from the journal if the events were missed). */
  checkEnded(clientOrderId: string): void {
    const c = this.c;
    const step = c.d.store.stepByClientId(clientOrderId);
    if (!step || (step.status !== 'sent' && step.status !== 'journaled')) return;
    const o = c.d.orderByClientId(clientOrderId);
    if (!o || !isTerminal(o.status)) return;
    for (const f of c.d.fillsOfOrder(o.id)) this.onFill(f, false);
    if (new Decimal(c.d.store.stepFilled(step.strategyId, step.step)).lt(o.filledQty)) return;
    if (step.status === 'journaled') c.d.store.stepSent(clientOrderId, o.id);
    const ev: StrategyEvent = { type: 'ended', now: c.now(), tag: step.tag, filledQty: o.filledQty, status: o.status };
    c.parts.decide(c.row(step.strategyId), ev, { stepOutcome: { clientOrderId, status: 'ended' } });
  }

  /** Fills and ends the journal holds that the events of a past run did not deliver. */
  catchUp(id: string): void {
    const c = this.c;
    for (const s of c.d.store.openSteps(id)) {
      const o = c.d.orderByClientId(s.clientOrderId);
      if (!o) continue;
      if (s.status === 'journaled') c.d.store.stepSent(s.clientOrderId, o.id);
      for (const f of c.d.fillsOfOrder(o.id)) this.onFill(f, false);
      this.checkEnded(s.clientOrderId);
    }
  }
}
