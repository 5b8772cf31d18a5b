/**
 * One planner decision: the planner hears an event, and what it intends is journaled — its new
 * state and numbered steps, each with its deterministic client order id, in one transaction —
 * before any of it is sent. A quote that changes only the planner's memory (a rolling high) is
 * kept in memory and written with the next decision that matters. Inside a group
 * (runner-core.ts) the transaction is a savepoint of the group's, and the sends wait for its commit.
 */
import type { PlannedOrder, StrategyEvent } from './planner';
import { ACTIVE, type RunnerCore } from './runner-core';
import { toTicket } from './strategy-market';
import type { Commit } from './strategy-store';
import { stepClientOrderId, type StepRow, type StrategyRow } from './strategy-types';

export function decide(c: RunnerCore, row: StrategyRow, ev: StrategyEvent, heard: Pick<Commit, 'fill' | 'stepOutcome'> = {}): void {
  const { planner, params, common } = c.parse(row);
  const r = planner.next(params, c.dirty.has(row.id) ? c.dirty.get(row.id) : row.state, ev);
  const now = c.now();
  if (ev.type === 'quote' && r.orders.length === 0 && r.done === undefined && !r.cancels?.length) {
    c.dirty.set(row.id, r.state);
    return;
  }
  // Orders are planned only while the plan lives; a stopped or finished one still accounts its fills.
  const live = ACTIVE.has(row.status);
  const max = planner.maxOrders(params);
  let orders: readonly PlannedOrder[] = live ? r.orders : [];
  if (max !== undefined && row.nextStep - 1 + orders.length > max) orders = orders.slice(0, Math.max(0, max - (row.nextStep - 1)));
  const inst = c.instruments.get(row.id);
  const steps: StepRow[] = orders.map((o, i) => {
    const step = row.nextStep + i;
    const clientOrderId = stepClientOrderId(row.id, step);
    const ticket = toTicket(o, inst, row.venue, row.symbol, clientOrderId, common);
    return { strategyId: row.id, step, clientOrderId, tag: o.tag, ticket: o.ocaGroup ? { ...ticket, ocaGroup: `${row.id}-${o.ocaGroup}` } : ticket, status: 'journaled', orderId: null, error: null };
  });
  const done = r.done !== undefined && live ? { status: 'done' as const, reason: r.done } : undefined;
  c.rows.delete(row.id);
  const wrote = c.d.store.commit({ id: row.id, state: r.state, nextStep: row.nextStep + steps.length, wakeAt: r.wakeAt ?? null, steps, ...heard, ...(done ? { status: done } : {}), now });
  if (!wrote) return;
  c.dirty.delete(row.id);
  if (done) {
    c.parts.disarm(row.id);
    c.d.emit({ type: 'notice', level: 'info', ts: now, message: `Strategy ${row.id} (${row.kind} ${row.symbol} on ${row.venue}) is done: ${r.done}.` });
  }
  // Sent (and cancelled) only once this decision is durable: after the group it is part of commits.
  const triggered = ev.type === 'quote' || ev.type === 'timer' || ev.type === 'start';
  const cancels = (r.cancels ?? []).flatMap((tag) => c.d.store.openSteps(row.id).filter((x) => x.tag === tag));
  if (cancels.length > 0) c.afterCommit(() => cancels.forEach((s) => c.track(c.parts.cancelStep(s))), triggered);
  if (steps.length > 0) c.afterCommit(() => c.parts.flush(row.id), triggered);
  else if (!done && (ev.type === 'start' || ev.type === 'timer')) c.parts.arm(row.id);
}
