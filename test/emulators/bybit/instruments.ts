/**
 * Bybit v5 `GET /v5/market/instruments-info` rows, shaped as the v5 docs show them
 * (https://bybit-exchange.github.io/docs/v5/market/instrument): one spot pair and one USDT linear perpetual.
 */
export type BybitCategory = 'spot' | 'linear' | 'inverse' | 'option';

export const SPOT_INSTRUMENTS = [
  {
    symbol: 'BTCUSDT',
    baseCoin: 'BTC',
    quoteCoin: 'USDT',
    innovation: '0',
    status: 'Trading',
    marginTrading: 'utaOnly',
    lotSizeFilter: { basePrecision: '0.000001', quotePrecision: '0.00000001', minOrderQty: '0.000048', maxOrderQty: '71.73956243', minOrderAmt: '1', maxOrderAmt: '2000000' },
    priceFilter: { tickSize: '0.01' },
  },
];

export const LINEAR_INSTRUMENTS = [
  {
    symbol: 'BTCUSDT',
    contractType: 'LinearPerpetual',
    status: 'Trading',
    baseCoin: 'BTC',
    quoteCoin: 'USDT',
    settleCoin: 'USDT',
    launchTime: '1584230400000',
    deliveryTime: '0',
    deliveryFeeRate: '',
    priceScale: '2',
    leverageFilter: { minLeverage: '1', maxLeverage: '100.00', leverageStep: '0.01' },
    priceFilter: { minPrice: '0.10', maxPrice: '199999.80', tickSize: '0.10' },
    lotSizeFilter: { maxOrderQty: '1190.000', minOrderQty: '0.001', qtyStep: '0.001', postOnlyMaxOrderQty: '1190.000', maxMktOrderQty: '500.000', minNotionalValue: '5' },
    unifiedMarginTrade: true,
    fundingInterval: 480,
    copyTrading: 'both',
  },
];

export function instrumentsFor(category: string): readonly object[] {
  if (category === 'spot') return SPOT_INSTRUMENTS;
  if (category === 'linear') return LINEAR_INSTRUMENTS;
  return [];
}

export function isListed(category: string, symbol: string): boolean {
  return instrumentsFor(category).some((i) => (i as { symbol: string }).symbol === symbol);
}
