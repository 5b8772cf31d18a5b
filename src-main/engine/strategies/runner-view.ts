/** A strategy as the trader sees it: its state (a running one whose market is closed shows as paused by the market), progress and money. */
import type { StrategyView } from '../api/commands';
import { Decimal } from '../domain/money';
import type { RunnerCore } from './runner-core';
import { mayTrade } from './strategy-market';
import { strategyMoney } from './strategy-pnl';
import type { StrategyRow } from './strategy-types';

export function strategyView(c: RunnerCore, row: StrategyRow): StrategyView {
  const { planner, params, common } = c.parse(row);
  const inst = c.instruments.get(row.id);
  const marketClosed = row.status === 'running' && inst !== undefined && !mayTrade(inst, common, c.now());
  const fills = c.d.store.fills(row.id);
  const t = c.touches.get(`${row.venue}|${row.symbol}`);
  const mark = t?.bid && t.ask ? new Decimal(t.bid).plus(t.ask).div(2).toFixed() : t?.last;
  const sent = c.d.store.steps(row.id).filter((s) => s.status === 'sent' || s.status === 'ended').length;
  return {
    id: row.id,
    kind: row.kind,
    venue: row.venue,
    symbol: row.symbol,
    params: row.params,
    state: marketClosed ? 'paused_market' : row.status,
    reason: marketClosed ? 'its market is closed' : row.reason,
    ordersSent: sent,
    maxOrders: planner.maxOrders(params) ?? null,
    fills: fills.length,
    ...strategyMoney(fills, mark),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
