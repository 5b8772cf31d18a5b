/**
 * Exact scaled integers for hot paths. A price is held as an integer count of ticks and a
 * quantity as an integer count of lots; both are plain JS numbers kept within
 * Number.MAX_SAFE_INTEGER, so arithmetic on them is exact and costs a machine add.
 *
 * Conversion to and from Decimal happens only at the edges (order entry, fills, display).
 */
import { Decimal } from './money';

export interface Scale {
  /** Price increment, e.g. "0.01". */
  readonly tick: Decimal;
  /** Quantity increment, e.g. "0.0001". */
  readonly lot: Decimal;
}

export function toTicks(price: Decimal, scale: Scale): number {
  const t = price.div(scale.tick);
  if (!t.isInteger()) throw new RangeError(`price ${price.toFixed()} is not a multiple of tick ${scale.tick.toFixed()}`);
  const n = t.toNumber();
  if (!Number.isSafeInteger(n)) throw new RangeError(`price ${price.toFixed()} is out of range`);
  return n;
}

export function toLots(qty: Decimal, scale: Scale): number {
  const l = qty.div(scale.lot);
  if (!l.isInteger()) throw new RangeError(`quantity ${qty.toFixed()} is not a multiple of lot ${scale.lot.toFixed()}`);
  const n = l.toNumber();
  if (!Number.isSafeInteger(n)) throw new RangeError(`quantity ${qty.toFixed()} is out of range`);
  return n;
}

export function fromTicks(ticks: number, scale: Scale): Decimal {
  return scale.tick.mul(ticks);
}

export function fromLots(lots: number, scale: Scale): Decimal {
  return scale.lot.mul(lots);
}
