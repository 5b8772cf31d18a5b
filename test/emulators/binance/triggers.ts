/**
 * Stop orders triggering on the emulator's market (rest-api.md "New order", enums.md order types):
 * the market is the last price — the last trade (ours, or one printed with `market-trade`) or the
 * mid after `set-book` moved the book. A STOP_LOSS(_LIMIT) triggers when a BUY's stop is reached
 * from below (last ≥ stop) or a SELL's from above (last ≤ stop); a TAKE_PROFIT(_LIMIT) the other
 * way round. On triggering the order starts working (`isWorking`, `workingTime`) and an order list
 * it belongs to ends (its OCO sibling expires); STOP_LOSS / TAKE_PROFIT then fill at the touch as
 * a MARKET order would, the _LIMIT types fill at the touch when their price is marketable and
 * otherwise rest as limits until a later move makes them so.
 */
import Decimal from 'decimal.js';
import type { BnOrder } from './server';

export interface TriggerHost {
  readonly orders: readonly BnOrder[];
  now(): number;
  lastPrice(symbol: string): string;
  /** The touch an order on `side` meets: the best ask for a BUY, the best bid for a SELL ("0" when that side is empty). */
  touch(symbol: string, side: 'BUY' | 'SELL'): string;
  fill(o: BnOrder, qty: Decimal.Value, price: string): void;
  /** A leg of an order list started working: its list reacts as to an execution. */
  triggered(o: BnOrder): void;
}

const STOPS = new Set(['STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT']);
const open = (o: BnOrder): boolean => o.status === 'NEW' || o.status === 'PARTIALLY_FILLED';

/** True when the last price has reached `o`'s stop in the direction its type and side watch. */
export function fires(o: Pick<BnOrder, 'type' | 'side' | 'stopPrice'>, last: Decimal.Value): boolean {
  const rising = o.type.startsWith('STOP_LOSS') === (o.side === 'BUY');
  return rising ? new Decimal(last).gte(o.stopPrice) : new Decimal(last).lte(o.stopPrice);
}

const marketable = (o: BnOrder, touch: string): boolean => new Decimal(touch).gt(0) && (o.side === 'BUY' ? new Decimal(o.price).gte(touch) : new Decimal(o.price).lte(touch));

export class BinanceTriggers {
  /** True while a pass runs: the fills it makes move the market again, and the same pass looks at the new price. */
  private running = false;

  constructor(private readonly host: TriggerHost) {}

  /** After the market on `symbol` moved: triggers every stop it reached, repeatedly, until nothing more happens. */
  check(symbol: string): void {
    if (this.running) return;
    this.running = true;
    try {
      while (this.step(symbol));
    } finally {
      this.running = false;
    }
  }

  /** One trigger or one fill of a triggered limit; false when there was none to make. */
  private step(symbol: string): boolean {
    const last = this.host.lastPrice(symbol);
    for (const o of this.host.orders) {
      if (o.symbol !== symbol || !open(o) || !STOPS.has(o.type)) continue;
      if (!o.isWorking && fires(o, last)) {
        this.trigger(o);
        return true;
      }
      const touch = this.host.touch(symbol, o.side);
      if (o.isWorking && o.type.endsWith('_LIMIT') && marketable(o, touch)) {
        this.host.fill(o, new Decimal(o.origQty).minus(o.executedQty), touch);
        return true;
      }
    }
    return false;
  }

  private trigger(o: BnOrder): void {
    const now = this.host.now();
    o.isWorking = true;
    o.workingTime = now;
    o.updateTime = now;
    this.host.triggered(o);
    const touch = this.host.touch(o.symbol, o.side);
    if (o.type.endsWith('_LIMIT') ? marketable(o, touch) : new Decimal(touch).gt(0)) this.host.fill(o, new Decimal(o.origQty).minus(o.executedQty), touch);
  }
}
