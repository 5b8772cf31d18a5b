/**
 * Whether the engine can write its journal right now. Any write that fails because the disk is
 * full or the file is read-only is reported here (dispatcher, Paper's periodic saves, order
 * bookkeeping); the trader hears of it once (a notice and a `storage` event the status bar shows),
 * new orders are refused while it lasts, and a small probe write notices when writes work again.
 */
import { TradeportError } from '../api/errors';
import type { EngineEvent, StorageStatus } from '../api/events';
import type { Clock } from '../ports/clock';
import { storageMessage, storageProblemOf, type StorageProblem } from './storage-errors';

export interface StorageHealthDeps {
  readonly clock: Clock;
  readonly emit: (e: EngineEvent) => void;
  /** A tiny write that succeeds only when the journal takes writes again. */
  readonly probe: () => void;
  /** Writes work again: reconcile, so any order whose outcome was unclear is resolved. */
  readonly onRecovered: () => void;
  /** While writes fail, how often to probe (default 5 s; 0: only when an order is attempted). */
  readonly probeEveryMs?: number;
}

export class StorageHealth {
  private problem: StorageProblem | undefined;
  private since = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly d: StorageHealthDeps) {}

  status(): StorageStatus {
    return this.problem ? { state: this.problem, message: storageMessage(this.problem), since: this.since } : { state: 'ok', message: 'Writes work.', since: this.since };
  }

  /** Called with any error from a write; returns true when it was a storage failure (and is now reported). */
  report(err: unknown): boolean {
    const p = storageProblemOf(err);
    if (!p) return false;
    if (this.problem === p) return true;
    this.problem = p;
    this.since = this.d.clock.now();
    const s = this.status();
    this.d.emit({ type: 'notice', level: 'error', ts: this.since, message: s.message });
    this.d.emit({ type: 'storage', storage: s });
    this.startProbing();
    return true;
  }

  /** Refuses a new order while writes fail (after one probe, so recovery is noticed at once). */
  assertWritable(): void {
    if (!this.problem) return;
    if (this.tryProbe()) return;
    throw new TradeportError(this.problem === 'full' ? 'disk_full' : this.problem === 'read_only' ? 'storage_read_only' : 'storage_failed', `${storageMessage(this.problem)} The order was not sent.`);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private startProbing(): void {
    const every = this.d.probeEveryMs ?? 5_000;
    if (this.timer || every <= 0) return;
    this.timer = setInterval(() => this.tryProbe(), every);
    this.timer.unref?.();
  }

  private tryProbe(): boolean {
    try {
      this.d.probe();
    } catch (err) {
      if (!storageProblemOf(err)) throw err;
      return false;
    }
    this.stop();
    this.problem = undefined;
    this.since = this.d.clock.now();
    this.d.emit({ type: 'notice', level: 'info', ts: this.since, message: 'Writes to the journal work again; new orders are accepted. Orders whose outcome was unclear are being reconciled.' });
    this.d.emit({ type: 'storage', storage: this.status() });
    this.d.onRecovered();
    return true;
  }
}
