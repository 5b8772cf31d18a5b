/**
 * When a strategy wakes: one timer per strategy, at its planner's wake time while its market is
 * open to it, else at the next session change (so a closed market pauses it and the open resumes
 * it), and after a passing failure. A wake prices the plan only from a fresh touch.
 */
import type { ApiError } from '../api/errors';
import type { TimerHandle } from '../ports/clock';
import { sends, type RunnerCore, type RunnerParts } from './runner-core';
import { instrumentOf, quoteOf } from './runner-lookup';
import { mayTrade, nextSessionChange } from './strategy-market';

/** A quote older than this is not used to price a step (the engine's default max quote age). */
const FRESH_QUOTE_MS = 10_000;

export class RunnerTimers implements Pick<RunnerParts, 'kick' | 'arm' | 'disarm' | 'later' | 'disarmAll'> {
  private readonly timers = new Map<string, TimerHandle>();

  constructor(private readonly c: RunnerCore) {}

  /** Wakes the strategy now: `start` the first time, else `timer` (after a restart, a resume, a retry). */
  kick(id: string, type: 'start' | 'timer'): void {
    this.disarm(id);
    this.c.track(this.wake(id, type));
  }

  private async wake(id: string, type: 'start' | 'timer'): Promise<void> {
    const c = this.c;
    if (c.closed) return;
    const row0 = c.d.store.get(id);
    if (row0?.status === 'done') return c.parts.flush(id);
    if (!row0 || row0.status !== 'running') return;
    const inst = await instrumentOf(c, row0).catch(() => undefined);
    if (!inst) return this.later(id);
    const q = await quoteOf(c, row0.venue, inst.symbol);
    const row = c.d.store.get(id);
    if (!row || row.status !== 'running' || c.closed) return;
    const open = mayTrade(inst, c.parse(row).common, c.now());
    c.marketOpen(row, open);
    // At an open the first quotes may not be in yet: a plan is never priced from a stale touch.
    if (open && (!q || c.now() - q.ts > (c.d.quoteMaxAgeMs ?? FRESH_QUOTE_MS))) return this.later(id, undefined, c.d.quoteWaitMs ?? 5000);
    const touch = q?.touch;
    if (open) c.parts.flush(id);
    c.parts.decide(row, { type, now: c.now(), ...(touch ? { touch } : {}), open });
  }

  /** One timer per strategy: at its planner's wake time while open, else at the next session change. */
  arm(id: string): void {
    const c = this.c;
    this.disarm(id);
    const row = c.d.store.get(id);
    const inst = c.instruments.get(id);
    if (!row || !sends(row.status) || !inst || c.closed) return;
    const now = c.now();
    const pending = c.d.store.openSteps(id).some((s) => s.status === 'journaled' && !c.sentMarks.has(s.clientOrderId));
    if (row.status === 'done' && !pending) return;
    const change = nextSessionChange(inst, now);
    const open = mayTrade(inst, c.parse(row).common, now);
    const candidates = [change, open ? (row.wakeAt ?? undefined) : undefined, open && pending ? now + (c.d.retryMs ?? 30_000) : undefined].filter((t): t is number => t !== undefined);
    if (candidates.length === 0) return;
    this.set(id, Math.max(Math.min(...candidates), now + 1) - now);
  }

  disarm(id: string): void {
    const h = this.timers.get(id);
    if (h !== undefined) this.c.d.timers.clearTimeout(h);
    this.timers.delete(id);
  }

  disarmAll(): void {
    for (const h of this.timers.values()) this.c.d.timers.clearTimeout(h);
    this.timers.clear();
  }

  /** Something passing (venue down, instrument not yet listed): try again after the retry delay. */
  later(id: string, err?: ApiError, ms = this.c.d.retryMs ?? 30_000): void {
    const c = this.c;
    if (err) c.setStatus(id, c.status(id) ?? 'running', `waiting: ${err.message}`, c.now());
    if (c.status(id) !== 'running' || c.closed) return;
    this.disarm(id);
    this.set(id, ms);
  }

  private set(id: string, ms: number): void {
    this.timers.set(
      id,
      this.c.d.timers.setTimeout(() => {
        this.timers.delete(id);
        this.c.track(this.wake(id, 'timer'));
      }, ms),
    );
  }
}
