/** TWS error codes as they concern an order: which are only warnings, and the cancel confirmation. */

/** Error codes that are warnings about an order, not its rejection. */
const ORDER_WARNINGS = new Set([399, 404, 2109, 2137, 2148]);

export const isWarning = (code: number): boolean => ORDER_WARNINGS.has(code) || (code >= 2100 && code < 2200);

/** 202 "Order Canceled": TWS reports a confirmed cancel through its error channel. */
export const CANCELLED = 202;

export const DEGRADED_MESSAGE = 'TWS has lost its connection to Interactive Brokers; new orders are paused until it is restored. Your working orders stay at IB.';
