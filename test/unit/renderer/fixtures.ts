import type { QuoteView, Snapshot } from '../../../src-main/engine/api/commands';
import type { Instrument } from '../../../src-main/engine/domain/instrument';
import type { Fill, Order, Position } from '../../../src-main/engine/domain/order';

export function quote(instrumentId: string, bid: string, ts: number, ask?: string): QuoteView {
  return { instrumentId, venue: 'paper', symbol: instrumentId.split(':')[1]!, bid, ask: ask ?? bid, ts };
}

export function order(p: Partial<Order> & { id: string }): Order {
  return {
    clientOrderId: `c-${p.id}`,
    venue: 'paper',
    instrumentId: 'paper:AAPL',
    symbol: 'AAPL',
    side: 'buy',
    type: 'limit',
    qty: '10',
    limitPrice: '100',
    tif: 'day',
    status: 'accepted',
    filledQty: '0',
    avgFillPrice: '0',
    fees: '0',
    source: 'user',
    createdAt: 1,
    updatedAt: 1,
    ...p,
  };
}

export function fill(id: string, orderId: string, ts: number): Fill {
  return {
    id,
    orderId,
    clientOrderId: `c-${orderId}`,
    venue: 'paper',
    venueFillId: `v-${id}`,
    instrumentId: 'paper:AAPL',
    symbol: 'AAPL',
    side: 'buy',
    qty: '1',
    price: '100',
    fee: '0.2',
    feeCurrency: 'USD',
    liquidity: 'taker',
    ts,
  };
}

export function position(p: Partial<Position> & { instrumentId: string }): Position {
  return { venue: 'paper', symbol: p.instrumentId.split(':')[1]!, qty: '10', avgPrice: '100', realizedPnl: '0', ...p };
}

export function instrument(p: Partial<Instrument> = {}): Instrument {
  return {
    id: 'paper:AAPL',
    venue: 'paper',
    venueSymbol: 'AAPL',
    symbol: 'AAPL',
    assetClass: 'equity',
    description: 'Apple Inc.',
    base: 'AAPL',
    quote: 'USD',
    tickSize: '0.01',
    lotSize: '1',
    minQty: '1',
    minNotional: '1',
    multiplier: '1',
    fractional: false,
    session: 'us_equity',
    ...p,
  };
}

export function snapshot(p: Partial<Snapshot> = {}): Snapshot {
  return {
    info: { version: '0.1.0', dataDir: '/tmp/x', pid: 1, startedAt: 0 },
    venues: [{ name: 'paper', kind: 'paper', label: 'Paper', state: 'connected', mode: 'paper', detail: '', settings: {}, since: 0 }],
    orders: [],
    fills: [],
    positions: [],
    balances: [],
    quotes: [],
    ...p,
  };
}
