/**
 * Alpaca reports no positions or cash on the trade stream, so after a fill they are read from
 * REST. One read at a time: a burst of partial fills costs one or two reads, not one each.
 */
import type { Instrument } from '../../domain/instrument';
import type { Balance, Position } from '../../domain/order';
import type { WirePosition } from './alpaca-rest';

export interface HoldingsSink {
  position(p: Position): void;
  balance(b: Balance): void;
}

export class AlpacaHoldingsRefresh {
  /** Instruments filled since the last read. */
  private readonly filled = new Set<string>();
  private reading = false;

  constructor(
    private readonly read: () => Promise<{ positions: Position[]; balances: Balance[] }>,
    /** A position Alpaca no longer lists: flat. */
    private readonly flat: (instrumentId: string) => Position,
    private readonly sink: () => HoldingsSink | undefined,
    private readonly warn: (line: string) => void,
  ) {}

  filledIn(instrumentId: string): void {
    this.filled.add(instrumentId);
    if (!this.reading) void this.drain();
  }

  private async drain(): Promise<void> {
    this.reading = true;
    try {
      while (this.filled.size > 0 && this.sink()) {
        const ids = [...this.filled];
        this.filled.clear();
        const { positions, balances } = await this.read();
        for (const id of ids) this.sink()?.position(positions.find((p) => p.instrumentId === id) ?? this.flat(id));
        for (const b of balances) this.sink()?.balance(b);
      }
    } catch (e) {
      // The next reconcile brings them; the fill itself is already recorded.
      this.filled.clear();
      this.warn(`positions after a fill could not be read: ${(e as Error).message}`);
    } finally {
      this.reading = false;
    }
  }
}

/** Alpaca's positions as ours; one in a symbol we do not list is left out. */
export function positionsFrom(venue: string, wire: readonly WirePosition[], find: (symbol: string) => Instrument | undefined): Position[] {
  return wire.flatMap((p) => {
    const inst = find(p.symbol);
    if (!inst) return [];
    return [
      {
        venue,
        instrumentId: inst.id,
        symbol: inst.symbol,
        qty: p.qty,
        avgPrice: p.avg_entry_price,
        ...(p.current_price ? { mark: p.current_price } : {}),
        ...(p.unrealized_pl ? { unrealizedPnl: p.unrealized_pl } : {}),
        realizedPnl: '0',
      },
    ];
  });
}

/** A position Alpaca no longer lists, reported flat so the blotter drops it. */
export function flatPosition(venue: string, instrumentId: string, symbol: string): Position {
  return { venue, instrumentId, symbol, qty: '0', avgPrice: '0', realizedPnl: '0' };
}
