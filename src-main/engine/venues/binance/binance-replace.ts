/**
 * Replace on Binance without ever letting the order fill past the total the trader asked for.
 *
 * Binance has no "modify": `order/cancelReplace` cancels the working order and places a
 * brand-new one with exactly the quantity sent — it does not subtract what the cancelled order had
 * executed, so the new quantity must be the REMAINING one (the new total minus everything our
 * order has executed so far, on this Binance order and on the earlier ones of its chain). A fill
 * that reaches the matching engine between our read of the order and Binance's cancel would make
 * that figure stale and the order overfill. So each path closes that race with a documented rule:
 *
 * 1. Quantity lowered, nothing else changed, symbol `amendAllowed`: `PUT order/amend/keepPriority`
 *    sets this Binance order's own quantity in place (keeps the queue priority). The matching
 *    engine counts what already executed inside that quantity, so no race can overfill it (at or
 *    below what executed, Binance ends the order).
 * 2. Order still NEW (nothing executed when read): `cancelReplace` (STOP_ON_FAILURE) with
 *    `cancelRestrictions=ONLY_NEW`. Binance cancels only if the order is still NEW, i.e. nothing
 *    executed, so the remaining quantity we sent is exact. If a fill raced in, the cancel is
 *    refused, nothing is placed (NOT_ATTEMPTED), and we go on with path 3 from a fresh read.
 * 3. Order PARTIALLY_FILLED: no restriction pins the executed quantity, so the cancel comes first
 *    (DELETE order); its answer carries the final `executedQty`, and only then is the new order
 *    placed with what is really left. Two requests instead of one, but never an overfill. If
 *    nothing is left, or Binance refuses the new order, the order stays cancelled and the engine
 *    is told so (never "works on unchanged").
 *
 * A replacement carries `<our id>.rN`; what the earlier orders of the chain executed is stored
 * with it before it is sent (`ChainPrior`), so every report of it gives the order's totals.
 */
import type { Instrument } from '../../domain/instrument';
import type { Order } from '../../domain/order';
import { Decimal, toStr } from '../../domain/money';
import { HttpError } from '../../net/http-client';
import type { ReplaceChanges, VenueOrderReport } from '../venue-port';
import { VenueRejectedError } from '../venue-port';
import type { SymbolFilters } from './binance-instruments';
import { orderParams, replacementCid, type WireOrder } from './binance-mapping';
import type { ChainPrior, BinanceOrderSymbols } from './binance-order-symbols';
import type { BinanceRest } from './binance-rest';

export interface ReplaceRun {
  readonly rest: BinanceRest;
  readonly symbols: BinanceOrderSymbols;
  readonly inst: Instrument;
  readonly filters: SymbolFilters | undefined;
  readonly symbol: string;
  /** The replace ended the order with no successor (cancelled at Binance): tell the engine. */
  readonly ended: (o: WireOrder) => void;
}

const OPEN = new Set(['NEW', 'PARTIALLY_FILLED', 'PENDING_NEW']);

const refuse = (m: string, code = 'binance_rule'): never => {
  throw new VenueRejectedError(`Binance: ${m}`, code);
};

/** The Binance order now carrying our order after the replace, and what earlier orders of the chain executed. */
export async function replaceOnBinance(run: ReplaceRun, order: Order, changes: ReplaceChanges): Promise<{ wire: WireOrder; prior: ChainPrior }> {
  const { rest, symbols, symbol } = run;
  // Binance: replacing (or cancelling) one order of a list cancels the whole list — a take-profit
  // change would silently drop its stop-loss. Refused before anything is sent.
  const inList = (): never =>
    refuse(
      `this order is one leg of an order list (${order.leg ?? 'OCO / OTO'}), and changing it at Binance cancels the whole list; cancel the list and place it again with the new terms.`,
      'unsupported_order',
    );
  if (order.leg || order.ocaGroup) inList();
  const cur = symbols.current(order.clientOrderId);
  const now = await rest.order(symbol, cur);
  // A bracket's entry is the working order of an OTO list (not marked as a leg here).
  if (typeof now['orderListId'] === 'number' && now['orderListId'] >= 0) inList();
  const prior = symbols.prior(cur);
  const total = new Decimal(changes.qty ?? order.qty);
  const filled = prior.filled.plus(now.executedQty);
  if (!OPEN.has(now.status)) refuse(`the order is ${now.status} at Binance (${toStr(filled)} filled); there is nothing left to replace.`);
  if (total.lte(filled)) refuse(`${toStr(filled)} of this order already filled, so a total of ${toStr(total)} leaves nothing to replace; cancel it instead.`);
  const terms = (qty: Decimal): Order => ({
    ...order,
    clientOrderId: replacementCid(cur),
    qty: toStr(qty),
    ...(changes.limitPrice !== undefined ? { limitPrice: changes.limitPrice } : {}),
    ...(changes.stopPrice !== undefined ? { stopPrice: changes.stopPrice } : {}),
  });
  // Checked before anything is sent: a bad price or size never costs the trader the order.
  orderParams(run.inst, run.filters, terms(total.minus(filled)));

  const quantityOnly = changes.limitPrice === undefined && changes.stopPrice === undefined;
  if (quantityOnly && total.lt(order.qty) && run.filters?.amendAllowed) {
    return { wire: await rest.amend(symbol, cur, toStr(total.minus(prior.filled))), prior };
  }
  if (now.status === 'NEW') {
    const placed = await replaceNew(run, cur, prior, terms(total.minus(prior.filled)));
    if (placed) return { wire: placed, prior };
  }
  return cancelThenPlace(run, cur, prior, total, terms);
}

/** Path 2: one cancelReplace that Binance carries out only while nothing has executed; undefined when a fill got there first. */
async function replaceNew(run: ReplaceRun, cur: string, prior: ChainPrior, o: Order): Promise<WireOrder | undefined> {
  const params = { ...orderParams(run.inst, run.filters, o), cancelOrigClientOrderId: cur, cancelRestrictions: 'ONLY_NEW' };
  run.symbols.remember(o.clientOrderId, run.symbol, prior);
  try {
    return (await run.rest.cancelReplace(params)).newOrderResponse;
  } catch (e) {
    // A 4xx (cancel or new order refused) placed nothing under the new id; anything else may have.
    if (!(e instanceof HttpError && e.failure === 'rejected')) throw e;
    run.symbols.forget(o.clientOrderId);
    if (e.details?.['venueCode'] === '-2022' && /cancel restrictions/i.test(e.message)) return undefined;
    // -2021: Binance cancelled the order but refused the new one.
    if (e.details?.['venueCode'] === '-2021') await endedOrder(run, cur);
    throw e;
  }
}

/** Path 3: cancel, read the final executed quantity from Binance's answer, then place what is left. */
async function cancelThenPlace(run: ReplaceRun, cur: string, prior: ChainPrior, total: Decimal, terms: (qty: Decimal) => Order): Promise<{ wire: WireOrder; prior: ChainPrior }> {
  const { rest, symbols, symbol } = run;
  const next = replacementCid(cur);
  // Known before the cancel: the cancelled report of `cur` is then not the end of our order.
  symbols.remember(next, symbol);
  let gone: WireOrder;
  try {
    gone = await rest.cancel(symbol, cur);
  } catch (e) {
    symbols.forget(next);
    throw e;
  }
  const done: ChainPrior = { filled: prior.filled.plus(gone.executedQty), quote: prior.quote.plus(gone.cummulativeQuoteQty) };
  const left = total.minus(done.filled);
  const stop = (why: string, code?: string): never => {
    symbols.forget(next);
    run.ended(gone);
    return refuse(`${why} The order is cancelled (${toStr(done.filled)} filled); nothing else was placed.`, code);
  };
  if (left.lte(0)) stop(`${toStr(done.filled)} had filled by the time Binance cancelled the order, which meets the new total of ${toStr(total)}.`);
  symbols.setPrior(next, done);
  let params: Record<string, string> = {};
  try {
    params = orderParams(run.inst, run.filters, terms(left));
  } catch (e) {
    stop(`the ${toStr(left)} left after the cancel cannot be placed (${(e as Error).message}).`);
  }
  try {
    return { wire: await rest.submit(params), prior: done };
  } catch (e) {
    if (e instanceof HttpError && e.failure === 'rejected') stop(`Binance refused the replacement for the ${toStr(left)} left: ${e.message}.`, String(e.details?.['venueCode'] ?? 'binance_rule'));
    throw e;
  }
}

async function endedOrder(run: ReplaceRun, cur: string): Promise<void> {
  const o = await run.rest.order(run.symbol, cur).catch(() => undefined);
  if (o) run.ended(o);
}

/** A report of one Binance order of a replace chain, as our order's totals (quantity, filled, average price). */
export function chainTotals(r: VenueOrderReport, prior: ChainPrior, linkQuote: string | undefined): VenueOrderReport {
  if (prior.filled.lte(0)) return r;
  const filled = prior.filled.plus(r.filledQty);
  const quote = prior.quote.plus(linkQuote ?? new Decimal(r.avgFillPrice || 0).mul(r.filledQty));
  return {
    ...r,
    filledQty: toStr(filled),
    avgFillPrice: toStr(quote.div(filled)),
    ...(r.qty !== undefined ? { qty: toStr(prior.filled.plus(r.qty)) } : {}),
  };
}
