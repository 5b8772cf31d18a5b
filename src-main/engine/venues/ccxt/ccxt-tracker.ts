/**
 * What the poller remembers between rounds: our working orders (by client id, with their market
 * and the last report sent, so only changes are reported) and the executions already reported.
 */
import type { VenueOrderReport } from '../venue-port';
import { SeenIds } from '../seen-ids';

export class CcxtTracker {
  private readonly working = new Map<string, { symbol: string; key: string }>();
  private readonly fills = new SeenIds();
  /** The newest execution time reported, to ask only for later ones. */
  lastFillTs = 0;

  watch(cid: string, symbol: string): void {
    if (!this.working.has(cid)) this.working.set(cid, { symbol, key: '' });
  }

  forget(cid: string): void {
    this.working.delete(cid);
  }

  symbols(): string[] {
    return [...new Set([...this.working.values()].map((w) => w.symbol))];
  }

  workingOn(symbol: string): string[] {
    return [...this.working.entries()].filter(([, w]) => w.symbol === symbol).map(([cid]) => cid);
  }

  /** True when `r` differs from the last report for its order (and remembers it). */
  changed(r: VenueOrderReport): boolean {
    const w = this.working.get(r.clientOrderId);
    const key = `${r.status}|${r.filledQty}|${r.qty ?? ''}|${r.limitPrice ?? ''}|${r.stopPrice ?? ''}`;
    if (w?.key === key) return false;
    if (w) w.key = key;
    return true;
  }

  /** True the first time an execution id is seen. */
  newFill(id: string, ts: number): boolean {
    if (!this.fills.add(id)) return false;
    if (ts > this.lastFillTs) this.lastFillTs = ts;
    return true;
  }
}
