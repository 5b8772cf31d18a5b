/**
 * Work the engine starts from event handlers rather than from a command (kill-switch trips after a
 * fill, deferred cancels, reconciliations after a reconnect). Nobody awaits such a promise, so a
 * failure is turned into an error notice here instead of becoming an unhandled rejection, and
 * `internals.idle()` / close() can wait for whatever is still running.
 */
import type { EngineEvent } from './api/events';
import type { Clock } from './ports/clock';

export class BackgroundTasks {
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly d: { readonly emit: (e: EngineEvent) => void; readonly clock: Clock }) {}

  track(p: Promise<unknown>): void {
    const q = p.catch((err: unknown) => this.d.emit({ type: 'notice', level: 'error', ts: this.d.clock.now(), message: `Background task failed: ${(err as Error).message ?? String(err)}` }));
    this.running.add(q);
    void q.finally(() => this.running.delete(q));
  }

  get size(): number {
    return this.running.size;
  }

  /** The tasks running now (a snapshot: tasks they start are seen by the next call). */
  pending(): Promise<unknown>[] {
    return [...this.running];
  }
}
