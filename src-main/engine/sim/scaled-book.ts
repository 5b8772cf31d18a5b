/**
 * A real venue's displayed book in ticks and lots, as the matching engine takes it. A venue
 * without depth gives only its top of book (quote with sizes); a side without a size is left out
 * rather than guessed, so a simulated market order never fills against liquidity nobody showed.
 */
import type { Instrument } from '../domain/instrument';
import { Decimal } from '../domain/money';
import type { BookSnapshot, Quote } from '../domain/order';
import type { ScaledBook, ScaledLevel } from './matching-engine';

/**
 * The book to match against, or undefined when the venue shows neither depth nor a quote.
 * `version` must be new for every fresh look at the venue: resting orders match a version once.
 */
export function scaledBookOf(inst: Instrument, snap: BookSnapshot | undefined, quote: Quote | undefined, version: number): ScaledBook | undefined {
  const tick = new Decimal(inst.tickSize);
  const lot = new Decimal(inst.lotSize);
  const toLevel = (price: string, qty: string, side: 'bid' | 'ask'): ScaledLevel | undefined => {
    const p = new Decimal(price).div(tick);
    // A price between ticks is rounded away from the touch: the simulation never gets a better price than shown.
    const ticks = (side === 'bid' ? p.floor() : p.ceil()).toNumber();
    const lots = new Decimal(qty).div(lot).floor().toNumber();
    return ticks > 0 && lots > 0 && Number.isSafeInteger(ticks) && Number.isSafeInteger(lots) ? [ticks, lots] : undefined;
  };
  const levels = (xs: Array<[string, string]>, side: 'bid' | 'ask') => xs.map(([p, q]) => toLevel(p, q, side)).filter((l): l is ScaledLevel => l !== undefined);
  let bids: ScaledLevel[] = [];
  let asks: ScaledLevel[] = [];
  if (snap && (snap.bids.length > 0 || snap.asks.length > 0)) {
    bids = levels(
      snap.bids.map((l) => [l.price, l.qty]),
      'bid',
    );
    asks = levels(
      snap.asks.map((l) => [l.price, l.qty]),
      'ask',
    );
  } else {
    if (!quote) return undefined;
    if (quote.bid && quote.bidSize) bids = levels([[quote.bid, quote.bidSize]], 'bid');
    if (quote.ask && quote.askSize) asks = levels([[quote.ask, quote.askSize]], 'ask');
  }
  return { bids, asks, version };
}
