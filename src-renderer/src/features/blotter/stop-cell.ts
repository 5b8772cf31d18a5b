/**
 * The working-orders Stop column. A trailing stop's stop moves with the market at the venue, so
 * its cell shows where the stop is now (the order's `trailStop`, from the venue's last report),
 * marked with the direction it ratchets: a sell stop only moves up (↑), a buy stop only down (↓).
 * Other orders show their fixed stop price, unmarked.
 */
import type { Order } from '../../../../src-main/engine/domain/order';
import { formatPrice } from '../../components/format';

export interface StopCell {
  /** The price to show; undefined shows a dash. */
  readonly value: string | undefined;
  /** '' for a fixed stop; ↑ / ↓ for a trailing stop. */
  readonly marker: string;
  /** Hover text explaining a trailing stop's value. */
  readonly title: string | undefined;
}

export type StopCellOrder = Pick<Order, 'type' | 'side' | 'stopPrice' | 'trailStop' | 'trailAmount' | 'trailPercent'>;

export function stopCell(o: StopCellOrder): StopCell {
  if (o.type !== 'trailing_stop') return { value: o.stopPrice, marker: '', title: undefined };
  const marker = o.side === 'sell' ? '↑' : '↓';
  const trail = o.trailAmount !== undefined ? `trail ${o.trailAmount}` : o.trailPercent !== undefined ? `trail ${o.trailPercent} %` : 'trailing';
  // Before the venue's first report, an initial stop the trader gave (IB's trailStopPrice) is the best there is.
  const value = o.trailStop ?? o.stopPrice;
  const moves = o.side === 'sell' ? 'moves up as the market rises' : 'moves down as the market falls';
  const title = value === undefined ? `Trailing stop (${trail}): the venue has not reported its stop yet.` : `Trailing stop (${trail}): the stop now, as the venue last reported it; it ${moves}.`;
  return { value, marker, title };
}

/** The cell as text (what the table shows), e.g. "101.49 ↑". */
export function stopCellText(o: StopCellOrder, tickSize?: string): string {
  const c = stopCell(o);
  const price = formatPrice(c.value, tickSize);
  return c.marker ? `${price} ${c.marker}` : price;
}
