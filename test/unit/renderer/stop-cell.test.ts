import { describe, expect, it } from 'vitest';
import { stopCell, stopCellText } from '../../../src-renderer/src/features/blotter/stop-cell';

describe('working orders: the Stop column', () => {
  it('shows a trailing stop where its stop is now, marked with the way it ratchets', () => {
    expect(stopCellText({ type: 'trailing_stop', side: 'sell', trailAmount: '0.5', trailStop: '101.49' }, '0.01')).toBe('101.49 ↑');
    expect(stopCellText({ type: 'trailing_stop', side: 'buy', trailPercent: '1.5', trailStop: '205.3' }, '0.01')).toBe('205.30 ↓');
    expect(stopCell({ type: 'trailing_stop', side: 'sell', trailAmount: '0.5', trailStop: '101.49' }).title).toBe(
      'Trailing stop (trail 0.5): the stop now, as the venue last reported it; it moves up as the market rises.',
    );
  });
  it('before the venue reports one: the initial stop if given, else a dash, still marked', () => {
    expect(stopCellText({ type: 'trailing_stop', side: 'sell', trailAmount: '2', stopPrice: '195' }, '0.01')).toBe('195.00 ↑');
    expect(stopCellText({ type: 'trailing_stop', side: 'sell', trailPercent: '2' }, '0.01')).toBe('— ↑');
    expect(stopCell({ type: 'trailing_stop', side: 'sell', trailPercent: '2' }).title).toMatch(/has not reported its stop yet/);
  });
  it('other orders show their fixed stop price, unmarked', () => {
    expect(stopCellText({ type: 'stop', side: 'sell', stopPrice: '95' }, '0.01')).toBe('95.00');
    expect(stopCellText({ type: 'stop_limit', side: 'buy', stopPrice: '105.5' }, '0.01')).toBe('105.50');
    expect(stopCellText({ type: 'limit', side: 'buy' }, '0.01')).toBe('—');
    expect(stopCell({ type: 'stop', side: 'sell', stopPrice: '95', trailStop: '96' }).value).toBe('95');
  });
});
