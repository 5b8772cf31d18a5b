/**
 * What the ticket offers for the chosen venue and instrument: only what the venue can carry now
 * (its capabilities for its current mode, from the engine) and what makes sense for the order —
 * no GTC market order, no OPG or extended hours for crypto. Pure, so it is tested without a DOM;
 * the engine still refuses anything else with its own message.
 */
import type { Instrument } from '../../../../src-main/engine/domain/instrument';
import type { OrderCapabilities } from '../../../../src-main/engine/domain/order-capabilities';
import { ORDER_TYPES, TIFS, type OrderType, type TimeInForce } from '../../../../src-main/engine/domain/order';
import type { TicketForm } from './validation';

export interface TicketOffers {
  readonly orderTypes: readonly OrderType[];
  readonly tifs: readonly TimeInForce[];
  readonly extendedHours: boolean;
  readonly brackets: boolean;
  /** An OCO exit pair (limit take-profit + stop-loss), carried as one order or as an OCA group. */
  readonly oco: boolean;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  /** A "$ amount" (notional) mode instead of a quantity. */
  readonly notional: boolean;
}

const DERIVATIVES = new Set<Instrument['assetClass']>(['perpetual', 'future', 'option']);

/** Opening auctions and extended sessions exist for US stocks and ETFs; unknown instrument: not ruled out. */
const hasSessions = (inst: Instrument | undefined): boolean => !inst || inst.assetClass === 'equity' || inst.assetClass === 'etf';

/** `caps` undefined: an engine that does not say (older build) — offer everything, the engine decides. */
export function ticketOffers(caps: OrderCapabilities | undefined, type: OrderType, inst: Instrument | undefined): TicketOffers {
  const orderTypes = caps ? ORDER_TYPES.filter((t) => caps.orderTypes.includes(t)) : ORDER_TYPES;
  const tifs = TIFS.filter((t) => {
    if (caps && !caps.tifs.includes(t)) return false;
    if (t === 'gtc' && type === 'market') return false;
    if (t === 'opg' || t === 'cls') return (type === 'market' || type === 'limit') && hasSessions(inst);
    return true;
  });
  return {
    orderTypes,
    tifs,
    extendedHours: (caps?.extendedHours ?? true) && type !== 'market' && hasSessions(inst),
    brackets: (caps?.brackets ?? true) && type !== 'trailing_stop',
    oco: (caps ? caps.ocoExits === true || caps.oca : true) && type === 'limit',
    postOnly: (caps?.postOnly ?? true) && type === 'limit',
    reduceOnly: (caps?.reduceOnly ?? true) && (!inst || DERIVATIVES.has(inst.assetClass)),
    notional: (caps?.notional ?? true) && type === 'market',
  };
}

/**
 * The edit that brings the ticket back within what is offered (after a venue, mode, instrument or
 * type change), or undefined when it already is. A choice that went away falls back to the plain
 * one (limit, DAY, regular hours, no bracket), never to something riskier.
 */
export function fitToOffers(form: TicketForm, offers: TicketOffers): Partial<TicketForm> | undefined {
  const patch: { -readonly [K in keyof TicketForm]?: TicketForm[K] } = {};
  if (!offers.orderTypes.includes(form.type)) patch.type = offers.orderTypes.includes('limit') ? 'limit' : (offers.orderTypes[0] ?? form.type);
  if (!offers.tifs.includes(form.tif)) patch.tif = offers.tifs.includes('day') ? 'day' : (offers.tifs[0] ?? form.tif);
  if (form.extendedHours && !offers.extendedHours) patch.extendedHours = false;
  if (form.bracket && !offers.brackets) patch.bracket = false;
  if (form.oco && !offers.oco) patch.oco = false;
  if (form.postOnly && !offers.postOnly) patch.postOnly = false;
  if (form.reduceOnly && !offers.reduceOnly) patch.reduceOnly = false;
  if (form.amountMode && !offers.notional) patch.amountMode = false;
  return Object.keys(patch).length > 0 ? patch : undefined;
}
