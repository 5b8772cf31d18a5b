/** The runner's reads of the engine: a touch and an instrument, through the same API a trader's screen uses. */
import { TradeportError } from '../api/errors';
import type { Instrument } from '../domain/instrument';
import type { Touch } from './planner';
import type { RunnerCore } from './runner-core';
import type { StrategyRow } from './strategy-types';

export function touchOf(q: Touch): Touch {
  return { ...(q.bid ? { bid: q.bid } : {}), ...(q.ask ? { ask: q.ask } : {}), ...(q.last ? { last: q.last } : {}) };
}

export async function quoteOf(c: RunnerCore, venue: string, symbol: string): Promise<{ touch: Touch; ts: number } | undefined> {
  const r = await c.d.call('quote.get', { venue, symbol });
  if (!r.ok) return undefined;
  const q = r.value as Touch & { ts: number };
  return { touch: touchOf(q), ts: q.ts };
}

export async function findInstrument(c: RunnerCore, venue: string, symbol: string): Promise<Instrument> {
  const r = await c.d.call('instruments.search', { venue, query: symbol, limit: 50 });
  if (!r.ok) throw new TradeportError(r.error.code, r.error.message);
  const want = symbol.trim().toUpperCase();
  const inst = (r.value as Instrument[]).find((i) => i.symbol.toUpperCase() === want || i.id.toUpperCase() === want);
  if (!inst) throw new TradeportError('unknown_instrument', `${venue} lists no instrument "${symbol}"; find its symbol with: tradeport instruments ${venue} ${symbol}`);
  return inst;
}

export async function instrumentOf(c: RunnerCore, row: StrategyRow): Promise<Instrument> {
  const known = c.instruments.get(row.id);
  if (known) return known;
  const inst = await findInstrument(c, row.venue, row.symbol);
  c.instruments.set(row.id, inst);
  return inst;
}
