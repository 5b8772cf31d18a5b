import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../../src-main/engine/domain/instrument';
import { positionsFrom } from '../../../src-main/engine/venues/ccxt/ccxt-account';

const perp = { id: 'byb:BTC/USDT:PERP', symbol: 'BTC/USDT:PERP' } as Instrument;
const find = (s: string) => (s === 'BTC/USDT:USDT' ? perp : undefined);

describe('ccxt positions → ours', () => {
  it('carries the liquidation price and leverage ccxt reports, as exact decimals', () => {
    const [p] = positionsFrom('byb', [{ symbol: 'BTC/USDT:USDT', side: 'short', contracts: 0.01, entryPrice: 100000, liquidationPrice: 110000.5, leverage: 12.5 }], find);
    expect(p).toMatchObject({ qty: '-0.01', avgPrice: '100000', liquidationPrice: '110000.5', leverage: '12.5' });
  });

  it('leaves them out where the exchange reports none (absent, or 0 for "no liquidation price")', () => {
    const [p] = positionsFrom('byb', [{ symbol: 'BTC/USDT:USDT', side: 'long', contracts: 1, entryPrice: 100, liquidationPrice: 0 }], find);
    expect(p).not.toHaveProperty('liquidationPrice');
    expect(p).not.toHaveProperty('leverage');
  });
});
