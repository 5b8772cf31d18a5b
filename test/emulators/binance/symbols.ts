/** The emulator's symbols and Binance's filter rules (filters.md: PRICE_FILTER, LOT_SIZE, NOTIONAL). */
import Decimal from 'decimal.js';

export interface SymbolSpec {
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly tickSize: string;
  readonly stepSize: string;
  readonly stepDecimals: number;
  readonly minQty: string;
  readonly minNotional: string;
  readonly bid: string;
  readonly ask: string;
}

export const SYMBOLS: readonly SymbolSpec[] = [
  { symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', tickSize: '0.01', stepSize: '0.00001', stepDecimals: 5, minQty: '0.00001', minNotional: '5', bid: '60000', ask: '60000.01' },
  { symbol: 'ETHUSDT', base: 'ETH', quote: 'USDT', tickSize: '0.01', stepSize: '0.0001', stepDecimals: 4, minQty: '0.0001', minNotional: '5', bid: '3000', ask: '3000.01' },
];

const f8 = (v: string): string => new Decimal(v).toFixed(8);

export function symbolInfo(s: SymbolSpec): unknown {
  return {
    symbol: s.symbol,
    status: 'TRADING',
    baseAsset: s.base,
    baseAssetPrecision: 8,
    quoteAsset: s.quote,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'],
    icebergAllowed: true,
    ocoAllowed: true,
    otoAllowed: true,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    cancelReplaceAllowed: true,
    amendAllowed: true,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: f8(s.tickSize), maxPrice: '1000000.00000000', tickSize: f8(s.tickSize) },
      { filterType: 'LOT_SIZE', minQty: f8(s.minQty), maxQty: '9000.00000000', stepSize: f8(s.stepSize) },
      { filterType: 'NOTIONAL', minNotional: f8(s.minNotional), applyMinToMarket: true, maxNotional: '9000000.00000000', applyMaxToMarket: false, avgPriceMins: 5 },
      { filterType: 'MAX_NUM_ORDER_AMENDS', maxNumOrderAmends: 10 },
    ],
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
    allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
  };
}

/** Binance's words for the first filter an order fails (-1013 "Filter failure: …"), or undefined. */
export function filterFailure(s: SymbolSpec, qty: string, price: string | null, refPrice: string): string | undefined {
  if (price !== null && !new Decimal(price).mod(s.tickSize).isZero()) return 'Filter failure: PRICE_FILTER';
  const q = new Decimal(qty);
  if (q.lt(s.minQty) || !q.mod(s.stepSize).isZero()) return 'Filter failure: LOT_SIZE';
  if (q.mul(refPrice).lt(s.minNotional)) return 'Filter failure: NOTIONAL';
  return undefined;
}
