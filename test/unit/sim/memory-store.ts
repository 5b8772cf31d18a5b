/** A SimStore in memory: the simulator works on any store, not only Paper's SQLite tables. */
import type { SimFillRow, SimOrderRow, SimPositionRow, SimStore } from '../../../src-main/engine/sim/sim-store';

export class MemorySimStore implements SimStore {
  private orders = new Map<string, SimOrderRow>();
  private fills: SimFillRow[] = [];
  private cash = new Map<string, string>();
  private pos = new Map<string, SimPositionRow>();
  private state = new Map<string, string>();
  onOrderSaved: (o: SimOrderRow) => void = () => undefined;
  onRollback: () => void = () => undefined;

  transaction<T>(fn: () => T): T {
    const saved = { orders: new Map([...this.orders].map(([k, v]) => [k, { ...v }])), fills: [...this.fills], cash: new Map(this.cash), pos: new Map(this.pos), state: new Map(this.state) };
    try {
      return fn();
    } catch (err) {
      Object.assign(this, saved);
      this.onRollback();
      throw err;
    }
  }
  saveOrder(o: SimOrderRow): void {
    this.orders.set(o.venueOrderId, { ...o });
    this.onOrderSaved(o);
  }
  orderByVenueId(id: string): SimOrderRow | undefined {
    const o = this.orders.get(id);
    return o && { ...o };
  }
  orderByClientId(id: string): SimOrderRow | undefined {
    const o = [...this.orders.values()].find((r) => r.clientOrderId === id);
    return o && { ...o };
  }
  openOrders(): SimOrderRow[] {
    return [...this.orders.values()].filter((o) => o.status === 'accepted' || o.status === 'partially_filled').map((o) => ({ ...o }));
  }
  insertFill(f: SimFillRow): boolean {
    if (this.fills.some((x) => x.fillId === f.fillId)) return false;
    this.fills.push(f);
    return true;
  }
  fillsSince(ts: number): SimFillRow[] {
    return this.fills.filter((f) => f.ts >= ts);
  }
  balances(): Map<string, string> {
    return new Map(this.cash);
  }
  saveBalance(asset: string, total: string): void {
    this.cash.set(asset, total);
  }
  positions(): Map<string, SimPositionRow> {
    return new Map([...this.pos].map(([k, v]) => [k, { ...v }]));
  }
  savePosition(p: SimPositionRow): void {
    this.pos.set(p.instrumentId, { ...p });
  }
  deletePosition(instrumentId: string): void {
    this.pos.delete(instrumentId);
  }
  getState<T>(key: string): T | undefined {
    const v = this.state.get(key);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }
  setState(key: string, value: unknown): void {
    this.state.set(key, JSON.stringify(value));
  }
}
