import type { OrderCapabilities } from '../../domain/order-capabilities';

/**
 * What Coinbase Advanced Trade carries of the unified order. A bracket's exits are ONE Coinbase
 * order (`trigger_bracket_gtc`), so one leg cannot be cancelled alone (`exitsAsOneOrder`).
 */
export const COINBASE_CAPABILITIES: OrderCapabilities = {
  orderTypes: ['market', 'limit', 'stop_limit'],
  tifs: ['gtc', 'gtd', 'ioc', 'fok'],
  extendedHours: false,
  brackets: true,
  oca: false,
  postOnly: true,
  reduceOnly: false,
  notional: true,
  exitsAsOneOrder: true,
};
