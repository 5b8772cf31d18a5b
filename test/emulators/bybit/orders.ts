/**
 * Bybit v5 order book-keeping: orders keyed by orderId, looked up by orderLinkId too, with the
 * field names and enums of `GET /v5/order/realtime` (https://bybit-exchange.github.io/docs/v5/order/open-order).
 */
import Decimal from 'decimal.js';

export type BybitOrderStatus = 'New' | 'PartiallyFilled' | 'Filled' | 'Cancelled' | 'Rejected';

export interface BybitOrder {
  category: string;
  orderId: string;
  orderLinkId: string;
  symbol: string;
  side: 'Buy' | 'Sell';
  orderType: 'Limit' | 'Market';
  price: string;
  qty: string;
  timeInForce: string;
  orderStatus: BybitOrderStatus;
  cumExecQty: string;
  cumExecValue: string;
  cumExecFee: string;
  avgPrice: string;
  leavesQty: string;
  reduceOnly: boolean;
  positionIdx: number;
  createdTime: string;
  updatedTime: string;
}

export interface BybitExecution {
  category: string;
  symbol: string;
  orderId: string;
  orderLinkId: string;
  side: 'Buy' | 'Sell';
  orderType: string;
  execId: string;
  execPrice: string;
  execQty: string;
  execValue: string;
  execFee: string;
  feeCurrency: string;
  execType: 'Trade';
  isMaker: boolean;
  execTime: string;
}

export const isOpen = (o: BybitOrder): boolean => o.orderStatus === 'New' || o.orderStatus === 'PartiallyFilled';

/** Applies a fill of `qty` at `price` to `o` and returns the execution row. */
export function applyFill(o: BybitOrder, qty: string, price: string, execId: string, now: number): BybitExecution {
  const q = Decimal.min(new Decimal(qty), new Decimal(o.leavesQty));
  const value = q.mul(price);
  const fee = value.mul('0.001');
  const cum = new Decimal(o.cumExecQty).plus(q);
  const cumValue = new Decimal(o.cumExecValue).plus(value);
  o.cumExecQty = cum.toString();
  o.cumExecValue = cumValue.toString();
  o.cumExecFee = new Decimal(o.cumExecFee).plus(fee).toString();
  o.avgPrice = cum.isZero() ? '' : cumValue.div(cum).toString();
  o.leavesQty = new Decimal(o.qty).minus(cum).toString();
  o.orderStatus = new Decimal(o.leavesQty).isZero() ? 'Filled' : 'PartiallyFilled';
  o.updatedTime = String(now);
  return {
    category: o.category,
    symbol: o.symbol,
    orderId: o.orderId,
    orderLinkId: o.orderLinkId,
    side: o.side,
    orderType: o.orderType,
    execId,
    execPrice: price,
    execQty: q.toString(),
    execValue: value.toString(),
    execFee: fee.toString(),
    feeCurrency: 'USDT',
    execType: 'Trade',
    isMaker: o.orderType === 'Limit',
    execTime: String(now),
  };
}
