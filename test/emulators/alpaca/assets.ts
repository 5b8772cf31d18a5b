/** The emulator's asset list and its starting quotes (`/v2/assets`, market data). */

export interface AlpacaAsset {
  readonly id: string;
  readonly class: 'us_equity' | 'crypto';
  readonly exchange: string;
  readonly symbol: string;
  readonly name: string;
  readonly status: 'active' | 'inactive';
  readonly tradable: boolean;
  readonly marginable: boolean;
  readonly maintenance_margin_requirement: number;
  readonly margin_requirement_long: string;
  readonly margin_requirement_short: string;
  readonly shortable: boolean;
  readonly easy_to_borrow: boolean;
  readonly borrow_status?: string;
  readonly fractionable: boolean;
  readonly attributes: readonly string[];
  readonly min_order_size?: string;
  readonly min_trade_increment?: string;
  readonly price_increment?: string;
}

const equity = (n: number, symbol: string, name: string, exchange: string, extra: Partial<AlpacaAsset> = {}): AlpacaAsset => ({
  id: `b0b6dd9d-8b9b-48a9-ba46-b9d54906e${String(n).padStart(3, '0')}`,
  class: 'us_equity',
  exchange,
  symbol,
  name,
  status: 'active',
  tradable: true,
  marginable: true,
  maintenance_margin_requirement: 30,
  margin_requirement_long: '50',
  margin_requirement_short: '50',
  shortable: true,
  easy_to_borrow: true,
  borrow_status: 'easy_to_borrow',
  fractionable: true,
  attributes: ['fractional_eh_enabled', 'has_options'],
  ...extra,
});

const crypto = (n: number, symbol: string, name: string, minSize: string, inc: string, px: string): AlpacaAsset => ({
  id: `c150e086-1e75-44e6-9c2c-093bb1e93${String(n).padStart(3, '0')}`,
  class: 'crypto',
  exchange: 'CRYPTO',
  symbol,
  name,
  status: 'active',
  tradable: true,
  marginable: false,
  maintenance_margin_requirement: 100,
  margin_requirement_long: '100',
  margin_requirement_short: '100',
  shortable: false,
  easy_to_borrow: false,
  fractionable: true,
  attributes: [],
  min_order_size: minSize,
  min_trade_increment: inc,
  price_increment: px,
});

export const ASSETS: readonly AlpacaAsset[] = [
  equity(1, 'AAPL', 'Apple Inc. Common Stock', 'NASDAQ'),
  equity(2, 'MSFT', 'Microsoft Corporation Common Stock', 'NASDAQ'),
  equity(3, 'SPY', 'SPDR S&P 500 ETF Trust', 'ARCA', { attributes: ['has_options'] }),
  equity(4, 'GME', 'GameStop Corp. Class A Common Stock', 'NYSE', { fractionable: false, easy_to_borrow: false, borrow_status: 'hard_to_borrow', attributes: [] }),
  crypto(1, 'BTC/USD', 'Bitcoin  / US Dollar', '0.0001', '0.000000001', '1'),
  crypto(2, 'ETH/USD', 'Ethereum  / US Dollar', '0.001', '0.000000001', '0.1'),
];

/** Starting bid / ask / size per symbol; the fill model moves them. */
export const START_QUOTES: Readonly<Record<string, { bid: string; ask: string; size: string }>> = {
  AAPL: { bid: '189.99', ask: '190.01', size: '300' },
  MSFT: { bid: '409.95', ask: '410.05', size: '200' },
  SPY: { bid: '589.98', ask: '590.02', size: '500' },
  GME: { bid: '24.99', ask: '25.01', size: '400' },
  'BTC/USD': { bid: '91000', ask: '91010', size: '2' },
  'ETH/USD': { bid: '3200.0', ask: '3200.6', size: '20' },
};
