import { describe, expect, it } from 'vitest';
import type { PositionPreview, Preview } from '../../../src-main/engine/api/commands';
import { closingOrder } from '../../../src-main/engine/domain/position-close';
import { canConfirm, closeFlow, closeLine, flattenAllAsk, rowActions, workingFor, type CloseFlow } from '../../../src-renderer/src/features/positions/positions-model';
import { positionRiskColumns } from '../../../src-main/engine/domain/position-risk';
import { order, position } from './fixtures';

const long = position({ venue: 'paper', instrumentId: 'paper:AAPL', symbol: 'AAPL', qty: '10' });
const short = position({ venue: 'ib', instrumentId: 'ib:ES', symbol: 'ES', qty: '-0.3' });
const flat = position({ venue: 'paper', instrumentId: 'paper:MSFT', symbol: 'MSFT', qty: '0' });

function pv(p: Partial<PositionPreview> & { allowed?: boolean } = {}): PositionPreview {
  const { allowed = true, ...rest } = p;
  return {
    action: 'close',
    position: long,
    order: { venue: 'paper', symbol: 'paper:AAPL', side: 'sell', type: 'market', qty: '10', tif: 'day' },
    preview: { allowed, route: 'paper', previewId: 'pv-1', violations: allowed ? [] : [{ code: 'halted', message: 'halted' }], warnings: [] } as unknown as Preview,
    cancels: 0,
    ...rest,
  };
}

describe('closing orders are exact', () => {
  it('close sells a long, buys a short; reverse doubles; flat has none — decimals, never floats', () => {
    expect(closingOrder('10', 'close')).toEqual({ side: 'sell', qty: '10' });
    expect(closingOrder('-0.3', 'close')).toEqual({ side: 'buy', qty: '0.3' });
    expect(closingOrder('-0.1', 'reverse')).toEqual({ side: 'buy', qty: '0.2' });
    expect(closingOrder('0.1', 'reverse')!.qty).toBe('0.2');
    expect(closingOrder('0.000000001', 'flatten')).toEqual({ side: 'sell', qty: '0.000000001' });
    expect(closingOrder('0', 'close')).toBeNull();
  });
});

describe('the positions view', () => {
  it('row actions name the order; flatten says how many working orders it cancels first', () => {
    expect(rowActions(long, 2).map((a) => [a.action, a.title])).toEqual([
      ['close', 'Close AAPL: sell 10 at market (preview first)'],
      ['reverse', 'Reverse AAPL: sell 20 at market (preview first)'],
      ['flatten', 'Flatten AAPL: cancel 2 working orders, then sell 10 at market (preview first)'],
    ]);
    expect(rowActions(flat, 0)).toEqual([]);
  });

  it('counts only working orders of the same instrument on the same venue', () => {
    const orders = {
      a: order({ id: 'a', venue: 'paper', instrumentId: 'paper:AAPL', status: 'accepted' }),
      b: order({ id: 'b', venue: 'paper', instrumentId: 'paper:AAPL', status: 'filled' }),
      c: order({ id: 'c', venue: 'ib', instrumentId: 'paper:AAPL', status: 'accepted' }),
      d: order({ id: 'd', venue: 'paper', instrumentId: 'paper:AAPL', status: 'partially_filled' }),
    };
    expect(workingFor(long, orders)).toBe(2);
  });

  it('the close line states side, size, and the position before and after', () => {
    expect(closeLine(pv())).toBe('Close AAPL on paper: SELL 10 at market (position +10 → 0)');
    expect(closeLine(pv({ action: 'reverse', order: { venue: 'paper', symbol: 'paper:AAPL', side: 'sell', type: 'market', qty: '20', tif: 'day' } }))).toBe(
      'Reverse AAPL on paper: SELL 20 at market (position +10 → -10)',
    );
    expect(closeLine(pv({ action: 'flatten', position: short, order: { venue: 'ib', symbol: 'ib:ES', side: 'buy', type: 'market', qty: '0.3', tif: 'day' }, cancels: 1 }))).toBe(
      'Flatten ES on ib: BUY 0.3 at market after cancelling 1 working order (position -0.3 → 0)',
    );
  });

  it('flatten-all asks with the count and the venues, and sends that count for the engine to hold it to', () => {
    const ask = flattenAllAsk([long, short, flat]);
    expect(ask).toMatchObject({ count: 2, venues: ['ib', 'paper'], input: { expectCount: 2, confirm: true } });
    expect(ask!.question).toBe('Flatten 2 positions on ib, paper? Their working orders are cancelled and each position is closed with a market order.');
    expect(flattenAllAsk([long, short], 'ib')).toMatchObject({ count: 1, venues: ['ib'], input: { venue: 'ib', expectCount: 1 } });
    expect(flattenAllAsk([flat])).toBeNull();
  });
});

describe('the close dialog: preview → confirm → placed', () => {
  it('confirms only an allowed preview, once', () => {
    let s: CloseFlow = { step: 'previewing', action: 'close' };
    expect(canConfirm(s)).toBe(false);
    s = closeFlow(s, { type: 'previewed', pv: pv() });
    expect(canConfirm(s)).toBe(true);
    s = closeFlow(s, { type: 'confirm' });
    expect(s.step).toBe('placing');
    expect(closeFlow(s, { type: 'confirm' })).toBe(s);
    s = closeFlow(s, { type: 'placed', result: { order: { id: 'o1' } as never, cancelled: 0, notCancelled: [] } });
    expect(s.step).toBe('placed');
  });

  it('a blocked preview cannot be confirmed; a refusal keeps the preview and says why', () => {
    const blocked = closeFlow({ step: 'previewing', action: 'close' }, { type: 'previewed', pv: pv({ allowed: false }) });
    expect(canConfirm(blocked)).toBe(false);
    expect(closeFlow(blocked, { type: 'confirm' })).toBe(blocked);
    const refused = closeFlow({ step: 'placing', pv: pv() }, { type: 'failed', code: 'preview_stale', message: 'Preview again' });
    expect(refused).toMatchObject({ step: 'refused', message: 'preview_stale: Preview again', pv: { action: 'close' } });
  });
});

describe('derivative columns (liquidation price, leverage)', () => {
  const perp = position({ venue: 'byb', instrumentId: 'byb:BTC/USDT:PERP', symbol: 'BTC/USDT:PERP', qty: '0.01', liquidationPrice: '90000', leverage: '10' });
  it('each column is shown only when some row has its figure', () => {
    const fields = (ps: Parameters<typeof positionRiskColumns>[0]) => positionRiskColumns(ps).map((c) => c.field);
    expect(fields([long, short])).toEqual([]);
    expect(fields([long, perp])).toEqual(['liquidationPrice', 'leverage']);
    const { leverage: _none, ...noLeverage } = perp;
    expect(fields([long, noLeverage])).toEqual(['liquidationPrice']);
  });
  it('leverage reads as "10×"; a row without one has no figure', () => {
    const [liq, lev] = positionRiskColumns([perp]);
    expect([liq!.shortHeader, liq!.text(perp), lev!.shortHeader, lev!.text(perp), lev!.text(long)]).toEqual(['Liq price', '90000', 'Lev', '10×', undefined]);
  });
});
