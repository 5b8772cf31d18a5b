import { describe, expect, it } from 'vitest';
import { formatResult } from '../../../src-main/headless/format';
import type { Position } from '../../../src-main/engine/domain/order';

const spot: Position = { venue: 'paper', instrumentId: 'paper:AAPL', symbol: 'AAPL', qty: '10', avgPrice: '100', realizedPnl: '0' };
const perp: Position = { venue: 'byb', instrumentId: 'byb:BTC/USDT:PERP', symbol: 'BTC/USDT:PERP', qty: '0.01', avgPrice: '100000', realizedPnl: '0', liquidationPrice: '90000', leverage: '10' };

describe('CLI positions', () => {
  it('shows liquidation price and leverage columns when a position has them', () => {
    const out = formatResult('positions.list', [spot, perp]);
    const [head, first, second] = out.trimEnd().split('\n');
    expect(head).toMatch(/REALIZED\s+LIQ PRICE\s+LEVERAGE$/);
    expect(first).toMatch(/^paper\s+AAPL\s+10\s+100\s+-\s+-\s+0\s+-\s+-$/);
    // Leverage reads as the desk shows it (one shared column definition, domain/position-risk.ts).
    expect(second).toMatch(/\s90000\s+10×$/);
  });

  it('leaves them out when no position has them', () => {
    expect(formatResult('positions.list', [spot])).not.toMatch(/LIQ PRICE|LEVERAGE/);
  });
});
