/**
 * An option chain as a venue lists it for one underlying: expiries, each with its strikes, each
 * with the call and/or put instrument the venue trades. Built by a venue's `optionChain` (port),
 * shown by the ticket's chain picker (expiry → strike → call/put).
 */
import type { DecimalString } from './money';

export interface OptionChainStrike {
  /** Canonical decimal string, e.g. "150" or "152.5". */
  readonly strike: DecimalString;
  /** Instrument id of the call, when the venue lists one (e.g. `tastytrade:AAPL  260320C00150000`). */
  readonly call?: string;
  /** Instrument id of the put, when the venue lists one. */
  readonly put?: string;
}

export interface OptionChainExpiry {
  /** yyyymmdd (UTC calendar date of the expiration). */
  readonly expiry: string;
  /** Days to expiration as the venue reports it, when it does. */
  readonly daysToExpiry?: number;
  /** Ascending by strike. */
  readonly strikes: readonly OptionChainStrike[];
}

export interface OptionChain {
  readonly venue: string;
  /** Display symbol of the underlying (`AAPL`). */
  readonly underlying: string;
  /** Contract multiplier shared by the chain's options (100 for US equity options). */
  readonly multiplier: DecimalString;
  /** Ascending by expiry. */
  readonly expiries: readonly OptionChainExpiry[];
}
