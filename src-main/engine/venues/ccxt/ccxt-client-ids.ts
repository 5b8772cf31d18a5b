/**
 * Our client id as the exchange accepts it, computed the same way every time (so a lookup after a
 * lost answer or a restart finds the order without any stored state):
 * - OKX `clOrdId`: letters and digits only, at most 32 (https://www.okx.com/docs-v5/en/#order-book-trading-trade-post-place-order);
 * - Hyperliquid `cloid`: a 128-bit hex string, `0x` + 32 hex digits (https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/exchange-endpoint);
 * - everyone else takes ours as it is (Bybit orderLinkId, Binance newClientOrderId, KuCoin clientOid).
 */
import { createHash } from 'node:crypto';

const ALNUM_32 = new Set(['okx', 'myokx', 'okxus']);
const HEX_128 = new Set(['hyperliquid']);

export function venueClientId(exchange: string, cid: string): string {
  if (ALNUM_32.has(exchange)) return cid.replace(/[^A-Za-z0-9]/g, '').slice(0, 32) || createHash('sha256').update(cid).digest('hex').slice(0, 32);
  if (HEX_128.has(exchange)) return `0x${createHash('sha256').update(cid).digest('hex').slice(0, 32)}`;
  return cid;
}
