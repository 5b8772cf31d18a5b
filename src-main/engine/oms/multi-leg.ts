/**
 * A multi-leg ticket (an option vertical) made whole: its legs resolved to the venue's
 * instruments and checked as a vertical (domain/order-legs.ts), its terms checked for what a
 * spread can carry, and the legs put on the normalized ticket. Every refusal names what to change.
 */
import { TradeportError } from '../api/errors';
import type { OrderLegInput } from '../api/order-legs-schema';
import type { Instrument } from '../domain/instrument';
import { Decimal } from '../domain/money';
import { optionTermsOf, verticalProblem, verticalSide, verticalWidth, type OptionTerms, type OrderLeg } from '../domain/order-legs';
import type { NormalizedTicket } from '../domain/order-validation';

const refuse = (message: string): never => {
  throw new TradeportError('invalid_input', message, { field: 'legs' });
};

/** Ticket terms a spread cannot carry, and why. */
const NOT_ON_A_SPREAD: ReadonlyArray<[keyof NormalizedTicket, string]> = [
  ['takeProfit', 'a take-profit'],
  ['stopLoss', 'a stop-loss'],
  ['oco', 'an OCO exit'],
  ['ocaGroup', 'an OCA group'],
  ['trailAmount', 'a trail'],
  ['trailPercent', 'a trail'],
  ['extendedHours', 'extended hours'],
  ['postOnly', 'post-only'],
  ['reduceOnly', 'reduce-only'],
  ['notional', 'an amount (notional)'],
];

/**
 * `first` is the ticket's own instrument: a spread's symbol names its first leg. `find` resolves
 * a leg's symbol or instrument id on the venue (throws the usual unknown-instrument error).
 */
export async function withLegs(
  ticket: NormalizedTicket,
  first: Instrument,
  legs: readonly Required<OrderLegInput>[] | undefined,
  find: (symbol: string) => Promise<Instrument>,
): Promise<NormalizedTicket> {
  if (!legs) return ticket;
  const insts: Instrument[] = [];
  for (const l of legs) insts.push(await find(l.symbol));
  if (insts[0]!.id !== first.id) refuse(`A spread's symbol is its first leg: the ticket names ${first.symbol} but the first leg is ${insts[0]!.symbol}.`);
  const terms = legs.map((l, k) => ({ symbol: insts[k]!.symbol, side: l.side, ratio: l.ratio, option: optionTermsOf(insts[k]!) }));
  const problem = verticalProblem(terms);
  if (problem) refuse(problem);
  if (legs[0]!.ratio !== 1) refuse(`A vertical's legs trade one for one: set each leg's ratio to 1 and the quantity to the number of spreads (got ratio ${legs[0]!.ratio}).`);
  const options = terms as Array<(typeof terms)[number] & { option: OptionTerms }>;
  checkSpreadTerms(ticket, verticalSide(options), verticalWidth(options));
  const out: OrderLeg[] = legs.map((l, k) => ({ instrumentId: insts[k]!.id, symbol: insts[k]!.symbol, side: l.side, ratio: l.ratio }));
  return { ...ticket, legs: out };
}

function checkSpreadTerms(t: NormalizedTicket, side: 'buy' | 'sell', width: Decimal): void {
  if (t.type !== 'limit') refuse(`A vertical is placed at a net limit price: choose a limit order (not ${t.type.replace('_', '-')}) and set the net debit or credit.`);
  if (t.tif !== 'day' && t.tif !== 'gtc') refuse(`A vertical rests until both legs fill together: use DAY or GTC, not ${t.tif.toUpperCase()}.`);
  for (const [k, what] of NOT_ON_A_SPREAD) if (t[k] !== undefined) refuse(`A vertical cannot carry ${what}: place the spread on its own.`);
  if (t.side !== side) {
    const debit = side === 'buy';
    refuse(`These legs make a ${debit ? 'debit' : 'credit'} spread (the ${debit ? 'bought' : 'sold'} option is worth more): place it as a ${side} — you ${debit ? 'pay' : 'receive'} the net price.`);
  }
  const price = new Decimal(t.limitPrice!);
  if (price.gte(width)) {
    refuse(
      `A vertical between strikes ${width.toFixed()} apart is worth at most ${width.toFixed()}: a net ${side === 'buy' ? 'debit' : 'credit'} of ${price.toFixed()} ${side === 'buy' ? 'can only lose' : 'cannot be had'}. Enter a net price below ${width.toFixed()}.`,
    );
  }
}
