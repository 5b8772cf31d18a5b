/**
 * Group commit: the writes of one burst of work (a venue's tick reporting dozens of fills, the
 * strategy decisions of one event-loop turn) go into ONE SQLite transaction, so the burst costs one
 * fsync (synchronous=FULL) instead of one per write. A write that opens its own transaction inside
 * the group becomes a savepoint of it.
 *
 * What must not happen before the group is durable — events to subscribers, orders and cancels
 * sent to a venue — waits for the commit (`afterCommit`), in the order it was asked for. If the
 * group rolls back, that deferred work is dropped (nothing it announced exists) and the rollback
 * hooks rebuild what the process keeps in memory from the rows (indexes, the lot ledger).
 *
 * Groups do not nest: `run` inside an open group joins it (its writes in a savepoint, its
 * deferred work after the outer commit).
 */
import type { Db } from './db';

export class GroupCommit {
  /** The open group's deferred work; null when no group is open. */
  private deferred: (() => void)[] | null = null;
  private readonly rollbackHooks: (() => void)[] = [];

  constructor(
    private readonly db: Db,
    /** A deferred step or a rollback hook threw: told here, the others still run. */
    private readonly onProblem: (err: unknown) => void = () => undefined,
  ) {}

  /** Whether a group is open (work asked for now waits for its commit). */
  get open(): boolean {
    return this.deferred !== null;
  }

  /** Runs `fn` in one transaction (or in a savepoint of the open group), then what it deferred. A throw rolls all of it back. */
  run<T>(fn: () => T): T {
    if (this.deferred) return this.guarded(fn);
    const deferred: (() => void)[] = (this.deferred = []);
    let out: T;
    try {
      out = this.guarded(fn);
    } finally {
      this.deferred = null;
    }
    for (const f of deferred) this.safely(f);
    return out;
  }

  /** Runs `fn` once the open group has committed; at once when none is open. */
  afterCommit(fn: () => void): void {
    if (this.deferred) this.deferred.push(fn);
    else fn();
  }

  /** Memory derived from rows a rolled-back group (or savepoint) wrote is rebuilt by `hook`. */
  onRollback(hook: () => void): void {
    this.rollbackHooks.push(hook);
  }

  private guarded<T>(fn: () => T): T {
    const mark = this.deferred?.length ?? 0;
    try {
      return this.db.transaction(fn)();
    } catch (err) {
      // A rolled-back savepoint drops only what it deferred itself; the group goes on.
      if (this.deferred) this.deferred.length = mark;
      for (const h of this.rollbackHooks) this.safely(h);
      throw err;
    }
  }

  private safely(f: () => void): void {
    try {
      f();
    } catch (err) {
      this.onProblem(err);
    }
  }
}
