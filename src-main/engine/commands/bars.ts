/**
 * `market.bars`: a venue's price history for the chart (the port's optional `bars`), as exact
 * decimal strings with UTC times. Venue-neutral: a venue without bars is refused with the reason,
 * and the chart then starts from live quotes alone.
 */
import type { CommandHandlers } from '../api/engine-api';
import { TradeportError } from '../api/errors';
import { BAR_INTERVALS } from '../domain/bar';
import { toStr } from '../domain/money';
import { findInstrumentOnDemand } from '../venues/market-views';
import type { VenueManager } from '../venues/venue-manager';

export interface BarsCommandsDeps {
  readonly venues: Pick<VenueManager, 'get' | 'require'>;
}

export function barsCommands(d: BarsCommandsDeps): Pick<CommandHandlers, 'market.bars'> {
  return {
    'market.bars': async (i) => {
      const conn = d.venues.require(i.venue);
      if (!conn.bars) throw new TradeportError('invalid_input', `${i.venue} offers no price history; its chart starts from live quotes.`);
      const inst = await findInstrumentOnDemand(d.venues, i.venue, i.symbol);
      const bars = await conn.bars(inst.id, BAR_INTERVALS[i.interval], i.sinceTs, i.limit);
      return {
        venue: i.venue,
        symbol: inst.symbol,
        instrumentId: inst.id,
        interval: i.interval,
        bars: bars.map((b) => ({ ts: b.ts, open: toStr(b.open), high: toStr(b.high), low: toStr(b.low), close: toStr(b.close), volume: toStr(b.volume) })),
      };
    },
  };
}
