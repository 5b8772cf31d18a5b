/**
 * The unified preview: the venue's own estimate (price model, fees, buying power, native preview)
 * plus the engine's local checks, which run for every venue. `order.place` runs the same code,
 * so a preview that says "allowed" and a place that refuses can only differ if the market moved.
 */
import type { OrderTicket, Preview, PreviewIssue } from '../api/commands';
import { TradeportError } from '../api/errors';
import type { Instrument } from '../domain/instrument';
import { Decimal, parseDecimal } from '../domain/money';
import { checkTicket, isBracket, isOco, type NormalizedTicket } from '../domain/order-validation';
import { bracketPreviewLegs } from './brackets';
import { legsQuote } from '../domain/order-legs';
import { ocoPreviewLegs } from './oco';
import { formatNewYorkTime, sessionState } from '../market/sessions';
import type { Clock } from '../ports/clock';
import type { VenueConnector, VenuePreview } from '../venues/venue-port';

/** Validates a ticket against its instrument or throws the specific input error. */
export function resolveTicket(t: OrderTicket & { tif: NonNullable<OrderTicket['tif']> }, inst: Instrument, now?: number): { inst: Instrument; ticket: NormalizedTicket } {
  const r = checkTicket(
    {
      side: t.side,
      type: t.type,
      qty: t.qty,
      limitPrice: t.limitPrice,
      stopPrice: t.stopPrice,
      tif: t.tif,
      trailAmount: t.trailAmount,
      trailPercent: t.trailPercent,
      ...(t.extendedHours !== undefined ? { extendedHours: t.extendedHours } : {}),
      ocaGroup: t.ocaGroup,
      takeProfit: t.takeProfit,
      stopLoss: t.stopLoss,
      ...(t.oco !== undefined ? { oco: t.oco } : {}),
      expireAt: t.expireAt,
      ...(t.postOnly !== undefined ? { postOnly: t.postOnly } : {}),
      ...(t.reduceOnly !== undefined ? { reduceOnly: t.reduceOnly } : {}),
      notional: t.notional,
    },
    inst,
    now,
  );
  if (!r.ok) throw new TradeportError(r.problem.code, r.problem.message, { field: r.problem.field });
  return { inst, ticket: r.ticket };
}

export interface PreviewInput {
  readonly venue: string;
  readonly connector: VenueConnector;
  readonly instrument: Instrument;
  readonly ticket: NormalizedTicket;
  readonly route: Preview['route'];
  readonly clock: Clock;
  /** The venue as the trader knows it ("Coinbase"), for messages; defaults to the venue name. */
  readonly venueLabel?: string;
  /** A spread's market, when the caller already combined its legs' quotes (else combined here). */
  readonly spread?: { readonly quote: { readonly bid?: string | undefined; readonly ask?: string | undefined } | undefined } | undefined;
}

export async function buildPreview(p: PreviewInput): Promise<Preview> {
  const { instrument: inst, ticket } = p;
  const now = p.clock.now();
  const vp = await p.connector.preview(inst, ticket);
  const warnings: PreviewIssue[] = [...vp.warnings];
  const violations: PreviewIssue[] = [...vp.violations];
  if (p.route === 'shadow') shadowAccountCheck(vp, p.venueLabel ?? p.venue, warnings, violations);
  // A spread's market is its legs' combined (bid and ask of the net price).
  const quote = ticket.legs ? (p.spread ? p.spread.quote : legsQuote(ticket.side, ticket.legs, (id) => p.connector.quote(id))) : p.connector.quote(inst.id);

  const session = p.connector.sessionState?.(inst, now) ?? sessionState(inst.session, now);
  if (!session.open) {
    const opens = session.nextOpen ? ` It opens ${formatNewYorkTime(session.nextOpen)}.` : '';
    if (ticket.tif === 'opg') {
      warnings.push({ code: 'market_closed', message: `${inst.symbol}'s market is closed (${session.reason ?? session.phase}); this opening order goes to the next opening auction.${opens}` });
    } else if (ticket.type === 'market') {
      violations.push({
        code: 'market_closed',
        message: `${inst.symbol}'s market is closed (${session.reason ?? session.phase}); a market order cannot execute now.${opens} Use a limit order to queue for the open.`,
      });
    } else if (ticket.tif === 'ioc' || ticket.tif === 'fok') {
      violations.push({
        code: 'market_closed',
        message: `${inst.symbol}'s market is closed (${session.reason ?? session.phase}); an ${ticket.tif.toUpperCase()} order would expire unfilled.${opens}`,
      });
    } else {
      warnings.push({ code: 'market_closed', message: `${inst.symbol}'s market is closed (${session.reason ?? session.phase}); the order will rest until it opens.${opens}` });
    }
  }
  if (vp.estNotional !== null && new Decimal(inst.minNotional).gt(0) && new Decimal(vp.estNotional).lt(inst.minNotional)) {
    violations.push({
      code: 'notional_below_minimum',
      message: `Order value ${vp.estNotional} ${vp.currency} is below ${inst.symbol}'s minimum of ${inst.minNotional} ${vp.currency}. Increase the quantity.`,
    });
  }
  if (!quote?.bid && !quote?.ask && ticket.type === 'market') {
    violations.push({ code: 'no_quote', message: `There is no quote for ${inst.symbol}; a market order cannot be priced. Use a limit order.` });
  }

  return {
    allowed: violations.length === 0,
    route: p.route,
    venue: p.venue,
    instrumentId: inst.id,
    symbol: inst.symbol,
    side: ticket.side,
    type: ticket.type,
    qty: ticket.qty,
    currency: vp.currency,
    estPrice: vp.estPrice,
    estNotional: vp.estNotional,
    estFee: vp.estFee,
    estTotal: vp.estTotal,
    buyingPowerBefore: vp.buyingPowerBefore,
    buyingPowerAfter: vp.buyingPowerAfter,
    bid: quote?.bid ?? null,
    ask: quote?.ask ?? null,
    warnings,
    violations,
    ts: now,
    ...(isBracket(ticket) ? { legs: bracketPreviewLegs(ticket) } : isOco(ticket) ? { legs: ocoPreviewLegs(ticket) } : {}),
  };
}

/**
 * SHADOW simulates the order, but the trader is rehearsing for the real account, so an order that
 * account could not afford is blocked as LIVE would block it, judged by the real venue's own
 * preview figures: the venue's own `insufficient_funds` is reworded to say it is the real
 * account's; otherwise an order that takes the buying power below zero (and lowers it: a sell that
 * leaves it where it was is not blocked) gets one; a venue that gives no buying power gets a
 * warning that it could not be checked. Working SHADOW orders reserve nothing at the venue, so its
 * figures leave them out: each SHADOW order is judged on its own (an approximation).
 */
export function shadowAccountCheck(vp: VenuePreview, label: string, warnings: PreviewIssue[], violations: PreviewIssue[]): void {
  const real = `your real ${label} account`;
  const tail = 'This SHADOW order is only simulated, but the same order sent LIVE would be refused.';
  let flagged = false;
  for (let i = 0; i < violations.length; i++) {
    const v = violations[i]!;
    if (v.code !== 'insufficient_funds') continue;
    flagged = true;
    violations[i] = { code: v.code, message: `Not enough buying power in ${real}: ${v.message} ${tail}` };
  }
  if (flagged) return;
  const after = vp.buyingPowerAfter === null ? null : parseDecimal(vp.buyingPowerAfter);
  const before = vp.buyingPowerBefore === null ? undefined : parseDecimal(vp.buyingPowerBefore);
  if (after) {
    // Only an order that uses buying power is blocked: one that leaves an already negative figure
    // where it was (or raises it, e.g. a sell) is what the trader needs to get out, as LIVE allows.
    if (after.isNeg() && (!before || after.lt(before))) {
      const from = before ? `from ${vp.buyingPowerBefore} ` : '';
      violations.push({
        code: 'insufficient_funds',
        message: `Not enough buying power in ${real}: it would go ${from}to ${vp.buyingPowerAfter} ${vp.currency} with this order. ${tail} Reduce the quantity.`,
      });
    }
    return;
  }
  warnings.push({
    code: 'shadow.buying_power_unknown',
    message: `${label} did not report buying power for this order, so SHADOW could not check whether ${real} could afford it.`,
  });
}
