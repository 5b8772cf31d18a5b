/** What Binance spot carries: the engine refuses anything else before journaling. */
import type { OrderCapabilities } from '../../domain/order-capabilities';

export const BINANCE_CAPABILITIES: OrderCapabilities = {
  orderTypes: ['market', 'limit', 'stop', 'stop_limit'],
  // Spot has GTC, IOC and FOK only (no DAY, no GTD).
  tifs: ['gtc', 'ioc', 'fok'],
  extendedHours: false,
  // Entry + exits as one OTOCO (or OTO) order list (binance-otoco.ts).
  brackets: true,
  oca: false,
  // An OCO exit pair is one order list (POST /api/v3/orderList/oco, binance-oco.ts).
  ocoExits: true,
  postOnly: true,
  reduceOnly: false,
  notional: true,
};
