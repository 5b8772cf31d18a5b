/**
 * The ticket's vertical spread, as data. Offered for venues that carry multi-leg orders once an
 * option is picked from the chain: the trader picks the other strike (same expiry, same call or
 * put). The side buttons trade the picked option; the second leg goes the other way. Whether the
 * spread is a net debit (the order buys) or a net credit (it sells) follows from the strikes
 * (domain/order-legs verticalSide), and the limit price is the net price per spread.
 */
import type { OrderCapabilities } from '../../../../src-main/engine/domain/order-capabilities';
import type { Instrument } from '../../../../src-main/engine/domain/instrument';
import type { OptionChain } from '../../../../src-main/engine/domain/option-chain';
import type { Side } from '../../../../src-main/engine/domain/order';
import { legsQuote, optionTermsOf, optionTermsOfSymbol, verticalSide, type LegQuote } from '../../../../src-main/engine/domain/order-legs';
import type { ChainPick } from './chain-model';

/** The vertical's second option: the instrument id and its display symbol. */
export interface SecondLeg {
  readonly id: string;
  readonly symbol: string;
}

export interface OtherStrike {
  readonly strike: string;
  readonly id: string;
}

/** A vertical can be built when the venue carries multi-leg orders and the ticket holds an option. */
export function offersVertical(caps: Pick<OrderCapabilities, 'multiLeg'> | undefined, inst: Instrument | undefined): boolean {
  return caps?.multiLeg === true && inst?.assetClass === 'option';
}

/** The strikes the second leg may take: the picked expiry and right, any other strike the chain lists. */
export function otherStrikes(chain: OptionChain, pick: ChainPick): OtherStrike[] {
  if (!pick.expiry || !pick.strike || !pick.right) return [];
  const right = pick.right;
  const exp = chain.expiries.find((e) => e.expiry === pick.expiry);
  return (exp?.strikes ?? []).filter((s) => s.strike !== pick.strike && s[right] !== undefined).map((s) => ({ strike: s.strike, id: s[right]! }));
}

export interface VerticalOrder {
  /** `buy` = a net debit, `sell` = a net credit. */
  readonly side: Side;
  readonly legs: readonly [{ symbol: string; side: Side }, { symbol: string; side: Side }];
  /** What the limit price means, in the trader's words. */
  readonly net: 'Net debit' | 'Net credit';
}

const other = (s: Side): Side => (s === 'buy' ? 'sell' : 'buy');

/** The ticket's vertical, when it has a second leg that makes one with the picked option: one answer for the strip, the Place label, the preview and the order sent. */
export function ticketVertical(form: { readonly side: Side; readonly leg2?: SecondLeg | undefined }, inst: Instrument | undefined): VerticalOrder | undefined {
  return form.leg2 && inst ? verticalOrder(form.side, inst, form.leg2) : undefined;
}

/** The order a vertical sends: the picked option on the ticket's side, the second leg the other way; undefined when the two do not make a vertical. */
export function verticalOrder(legSide: Side, first: Instrument, second: SecondLeg): VerticalOrder | undefined {
  const a = optionTermsOf(first);
  const b = optionTermsOfSymbol(second.symbol);
  if (!a || !b || a.expiry !== b.expiry || a.right !== b.right || a.underlying !== b.underlying || a.strike === b.strike) return undefined;
  const side = verticalSide([
    { side: legSide, option: a },
    { side: other(legSide), option: b },
  ]);
  return {
    side,
    legs: [
      { symbol: first.symbol, side: legSide },
      { symbol: second.symbol, side: other(legSide) },
    ],
    net: side === 'buy' ? 'Net debit' : 'Net credit',
  };
}

/** The spread's market (bid / ask of the net price) from the legs' quotes, as the order's side sees it. */
export function verticalMarket(v: VerticalOrder, firstId: string, second: SecondLeg, quoteOf: (id: string) => LegQuote | undefined): { bid?: string; ask?: string } {
  const ids = [firstId, second.id];
  return legsQuote(
    v.side,
    v.legs.map((l, k) => ({ instrumentId: ids[k]!, symbol: l.symbol, side: l.side, ratio: 1 })),
    quoteOf,
  );
}

/** `Buy 2 AAPL:OPT:C:150:20260320 / sell 155 · net debit` */
export function verticalLabel(qty: string, v: VerticalOrder, second: SecondLeg): string {
  const strike = optionTermsOfSymbol(second.symbol)?.strike ?? second.symbol;
  const [a, b] = v.legs;
  return `${a.side === 'buy' ? 'Buy' : 'Sell'} ${qty} ${a.symbol} / ${b.side} ${strike} · ${v.net.toLowerCase()}`.replace(/\s+/g, ' ');
}
