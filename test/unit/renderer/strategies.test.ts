import { describe, expect, it } from 'vitest';
import type { StrategyView } from '../../../src-main/engine/api/commands';
import {
  formParams,
  KIND_FORMS,
  previewPlan,
  progressText,
  rowActions,
  simulationRefusals,
  simulationRows,
  simulationSummary,
  stateText,
} from '../../../src-renderer/src/features/strategies/strategies-model';
import type { StrategySimulation } from '../../../src-main/engine/api/strategy-simulation';
import { plannerFor } from '../../../src-main/engine/strategies/kinds';

const view = (state: StrategyView['state'], extra: Partial<StrategyView> = {}): StrategyView => ({
  id: 'S1',
  kind: 'dca',
  venue: 'paper',
  symbol: 'BTC/USD',
  params: {},
  state,
  reason: null,
  ordersSent: 2,
  maxOrders: 5,
  fills: 2,
  bought: '0.02',
  sold: '0',
  fees: '4',
  pnl: '-5',
  createdAt: 0,
  updatedAt: 0,
  ...extra,
});

describe('strategies panel model', () => {
  it('every form field is a parameter the kind accepts (the forms follow the planners)', () => {
    for (const [kind, form] of Object.entries(KIND_FORMS)) {
      const raw = Object.fromEntries(form.fields.filter((f) => f.key !== 'sessions').map((f) => [f.key, 'x']));
      // Only unknown parameters are refused by name before anything else; a bad value is refused by its own rule.
      expect(() => plannerFor(kind).parse(raw)).not.toThrow(/unknown parameter/);
    }
  });

  it('sends the filled-in fields only, trimmed', () => {
    expect(formParams('dca', { qty: ' 0.01 ', every: '1h', below: '', other: 'x' })).toEqual({ qty: '0.01', every: '1h' });
  });

  it('previews a DCA with its cost and its bound', () => {
    expect(previewPlan('dca', { qty: '0.01', every: '1h', maxTotal: '0.05' }, '100000')).toEqual(['Limit-at-ask buy of 0.01 ≈ 1000.00 every 1h.', 'At most 5 buys (0.05 in all ≈ 5000.00).']);
    expect(previewPlan('dca', { every: '1h' }, '1')).toEqual([]);
  });

  it('previews a grid: levels, the buys below the market and the profit per grid', () => {
    expect(previewPlan('grid', { low: '100', high: '200', levels: '5', qty: '2' }, '160')).toEqual([
      'Levels 100 · 125 · 150 · 175 · 200.',
      'Rests 3 buys of 2 below the market (750.00 held in orders).',
      'Profit per grid: 50.00 · 50.00 · 50.00 · 50.00 (before fees).',
    ]);
  });

  it('previews a TWAP and a dip', () => {
    expect(previewPlan('twap', { qty: '12', duration: '2h', slices: '12' }, undefined)[0]).toBe('Buys 12 in 12 slices of 1, one every 10 market minute(s).');
    expect(previewPlan('dip', { qty: '1', drop: '3', window: '4h', takeProfit: '2', stop: '1' }, '50')[0]).toBe('Buys 1 ≈ 50.00 when the price is 3 % below its high of the last 4h.');
  });

  it('reads states as a trader says them and offers the right buttons', () => {
    expect(stateText(view('paused_market'))).toBe('paused: market closed');
    expect(stateText(view('stopped_kill'))).toBe('stopped by the kill switch');
    expect(rowActions(view('stopped_kill'))).toEqual({ pause: false, resume: true, stop: true });
    expect(rowActions(view('running'))).toEqual({ pause: true, resume: false, stop: true });
    expect(rowActions(view('done'))).toEqual({ pause: false, resume: false, stop: false });
    expect(progressText(view('running'))).toBe('2/5 orders · 2 fills');
  });

  it('shows the simulated orders: UTC time, side, quantity (or money), price, and a summary that says nothing was placed', () => {
    const from = Date.UTC(2026, 0, 5, 15, 0);
    const order = (step: number, h: number, price: string, extra: Record<string, string> = {}) => ({
      ts: from + h * 3_600_000,
      step,
      tag: `buy ${step}`,
      side: 'buy' as const,
      type: 'limit' as const,
      qty: '0.5',
      price,
      status: 'filled',
      ...extra,
    });
    const sim: StrategySimulation = {
      venue: 'paper',
      symbol: 'BTC/USD',
      kind: 'dca',
      hours: 3,
      seed: 's',
      from,
      to: from + 3 * 3_600_000,
      currency: 'USD',
      startPrice: '100',
      endPrice: '80',
      orders: [order(1, 0, '100'), order(2, 1, '100'), order(3, 2, '80'), order(4, 3, '80')],
      fills: [],
      bought: '1.5',
      sold: '0',
      spent: '140',
      received: '0',
      fees: '0.14',
      held: '1.5',
      avgCost: '93.33333333',
      realizedPnl: '-0.14',
      unrealizedPnl: '-20',
      pnl: '-20.14',
      maxDrawdown: '20.14',
      steps: 4,
      refused: [],
      done: null,
    };
    expect(simulationRows(sim)).toEqual([
      { key: '1', time: '2026-01-05 15:00', side: 'buy', qty: '0.5', price: '100', tag: 'buy 1' },
      { key: '2', time: '2026-01-05 16:00', side: 'buy', qty: '0.5', price: '100', tag: 'buy 2' },
      { key: '3', time: '2026-01-05 17:00', side: 'buy', qty: '0.5', price: '80', tag: 'buy 3' },
      { key: '4', time: '2026-01-05 18:00', side: 'buy', qty: '0.5', price: '80', tag: 'buy 4' },
    ]);
    expect(simulationSummary(sim)).toBe(
      "4 orders over 3 h from 100: bought 1.5 for 140.00, sold 0 for 0.00, fees ≈ 0.14; P&L -20.14 USD (realized -0.14, unrealized -20), max drawdown 20.14. Simulated on Paper's prices: nothing was placed.",
    );
    // No refusals: no list.
    expect(simulationRefusals(sim)).toBeUndefined();
    const refused = simulationRefusals({
      ...sim,
      refused: [
        { ts: from + 3_600_000, step: 5, tag: 'buy 5', side: 'buy', qty: '0.5', price: '90', reason: 'This order needs 45.09 USD of buying power; you have 10.00 USD. Reduce the quantity.' },
        { ts: from + 7_200_000, step: 6, tag: 'buy 6', side: 'buy', qty: '0', notional: '50', price: null, reason: 'max order notional 40 USD' },
      ],
    });
    expect(refused).toEqual({
      heading: '2 orders refused (never placed): the live run would meet these too.',
      rows: [
        { key: '5', time: '2026-01-05 16:00', side: 'buy', qty: '0.5', price: '90', reason: 'This order needs 45.09 USD of buying power; you have 10.00 USD. Reduce the quantity.' },
        { key: '6', time: '2026-01-05 17:00', side: 'buy', qty: '50 of money', price: 'market', reason: 'max order notional 40 USD' },
      ],
    });
    expect(simulationSummary({ ...sim, refused: [{ ts: from, step: 5, tag: 'b', side: 'buy', qty: '1', price: '1', reason: 'r' }] })).toMatch(/^4 orders \(1 refused\) over 3 h from 100: /);
    expect(simulationRefusals({ ...sim, refused: sim.refused.concat([{ ts: from, step: 1, tag: 'b', side: 'sell', qty: '1', price: '1', reason: 'r' }]) })!.heading).toBe(
      '1 order refused (never placed): the live run would meet this too.',
    );
    const market = simulationRows({ ...sim, orders: [order(1, 0, '100', { type: 'market', qty: '0', notional: '50' }), order(2, 2, '80', { type: 'market', qty: '0', notional: '50' })] });
    expect(market.map((r) => [r.time, r.qty, r.price])).toEqual([
      ['2026-01-05 15:00', '50 of money', '≈ 100'],
      ['2026-01-05 17:00', '50 of money', '≈ 80'],
    ]);
  });
});
