/**
 * `instrument.optionChain`: the option chain a venue lists for one underlying (expiries → strikes →
 * call / put instrument ids), for the ticket's chain picker and `tradeport chain`. Venue-neutral:
 * any connector that implements the port's `optionChain` answers; the others are refused with
 * the reason.
 */
import { TradeportError } from '../api/errors';
import type { CommandHandlers } from '../api/engine-api';
import type { VenueManager } from '../venues/venue-manager';

export interface OptionChainCommandsDeps {
  readonly venues: Pick<VenueManager, 'require'>;
}

export function optionChainCommands(d: OptionChainCommandsDeps): Pick<CommandHandlers, 'instrument.optionChain'> {
  return {
    'instrument.optionChain': async (i) => {
      const conn = d.venues.require(i.venue);
      if (!conn.optionChain) throw new TradeportError('invalid_input', `${i.venue} lists no options; pick a venue that trades options for an option chain.`);
      const chain = await conn.optionChain(i.underlying);
      if (chain.expiries.length === 0) throw new TradeportError('unknown_instrument', `${i.venue} lists no options on ${i.underlying}.`);
      return chain;
    },
  };
}
