/**
 * What pre-trade risk needs of a multi-leg order (an option vertical): the spread's own quote,
 * combined from its legs' quotes (so the price collar and staleness judge the net price against
 * the net market, not against one leg), and its most possible loss per spread (see
 * domain/order-legs verticalMaxLoss: the debit paid, or the strike width less the credit).
 */
import { Decimal, toStr } from '../domain/money';
import type { Quote } from '../domain/order';
import { legsQuote, optionTermsOf, verticalMaxLoss, verticalWidth, type OptionTerms } from '../domain/order-legs';
import type { NormalizedTicket } from '../domain/order-validation';
import type { VenueConnector } from '../venues/venue-port';

export interface SpreadRisk {
  /** Undefined while a leg has no quote. */
  readonly quote: Quote | undefined;
  /** Undefined when a leg's strike is unknown (the limits then judge the net price). */
  readonly maxLossPerUnit: string | undefined;
}

export function spreadRisk(conn: Pick<VenueConnector, 'quote' | 'instrument'>, t: NormalizedTicket): SpreadRisk {
  const legs = t.legs!;
  const quotes = legs.map((l) => conn.quote(l.instrumentId));
  const both = legsQuote(t.side, legs, (id) => conn.quote(id));
  const quote: Quote | undefined = quotes.every((q) => q !== undefined) ? { instrumentId: legs[0]!.instrumentId, ...both, ts: Math.min(...quotes.map((q) => q!.ts)) } : undefined;
  const options = legs.map((l) => {
    const inst = conn.instrument(l.instrumentId);
    return inst ? optionTermsOf(inst) : null;
  });
  const known = options.every((o): o is OptionTerms => o !== null) && t.limitPrice !== undefined;
  const maxLossPerUnit = known ? toStr(verticalMaxLoss(t.side, new Decimal(t.limitPrice!), verticalWidth(options.map((option) => ({ option }))))) : undefined;
  return { quote, maxLossPerUnit };
}
