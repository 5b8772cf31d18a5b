/**
 * Brackets as Binance order lists (rest-api.md "New Order list - OTOCO" and "- OTO"): the entry
 * is the list's working order (`working*`, LIMIT or LIMIT_MAKER only), its exits the pending
 * orders Binance places only once the entry has FILLED:
 * - take-profit and stop-loss → POST /api/v3/orderList/otoco, the pair as `pendingAbove*` /
 *   `pendingBelow*` under the same rules (and the same mapping, binance-oco.ts) as an OCO exit pair;
 * - one exit only → POST /api/v3/orderList/oto with it as `pending*`.
 * Every leg carries our client id (`workingClientOrderId`, `pending…ClientOrderId`), so a lost
 * answer is resolved by looking each leg up by it; the list is `bkt-<entry client id>`. Each leg
 * passes Binance's filters before anything is sent. Pure: no I/O.
 */
import type { Instrument } from '../../domain/instrument';
import type { Order } from '../../domain/order';
import { VenueRejectedError } from '../venue-port';
import type { SymbolFilters } from './binance-instruments';
import { orderParams } from './binance-mapping';
import { ocoParams } from './binance-oco';

export type ListKind = 'oco' | 'oto' | 'otoco';

const reject = (m: string): never => {
  throw new VenueRejectedError(`Binance: ${m}`, 'binance_rule');
};

/** The list's client id: the entry's, prefixed (Binance allows 36 characters). */
const bracketListCid = (parent: Pick<Order, 'clientOrderId'>): string => `bkt-${parent.clientOrderId}`;

/** `<prefix><Name>` for each of a single order's parameters that a list leg carries. */
function asLeg(prefix: string, wire: Record<string, string>, clientOrderId: string): Record<string, string> {
  const out: Record<string, string> = { [`${prefix}ClientOrderId`]: clientOrderId };
  const names: Record<string, string> = { type: 'Type', side: 'Side', price: 'Price', stopPrice: 'StopPrice', quantity: 'Quantity', timeInForce: 'TimeInForce' };
  for (const [k, name] of Object.entries(names)) if (wire[k] !== undefined) out[`${prefix}${name}`] = wire[k];
  return out;
}

/** An OCO pair's above/below parameters as an OTOCO's pending pair (`above…` → `pendingAbove…`). */
function pendingPair(oco: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { pendingSide: oco['side']!, pendingQuantity: oco['quantity']! };
  for (const [k, v] of Object.entries(oco)) {
    if (k.startsWith('above')) out[`pendingAbove${k.slice(5)}`] = v;
    else if (k.startsWith('below')) out[`pendingBelow${k.slice(5)}`] = v;
  }
  return out;
}

/** The list to send for a bracket (entry + take-profit and/or stop-loss) and its parameters. */
export function bracketParams(inst: Instrument, f: SymbolFilters | undefined, parent: Order, children: readonly Order[]): { kind: ListKind; params: Record<string, string> } {
  if (parent.type !== 'limit' || parent.limitPrice === undefined)
    reject('a bracket is one OTOCO order list, whose entry must be a limit (LIMIT or LIMIT_MAKER) order: give the entry a limit price, or place a market entry first and then its OCO exit pair.');
  const tp = children.find((c) => c.leg === 'take_profit');
  const sl = children.find((c) => c.leg === 'stop_loss');
  if (children.length === 0 || children.length > 2 || children.length !== Number(!!tp) + Number(!!sl)) reject('a bracket has one take-profit and/or one stop-loss.');
  for (const c of children) if (c.tif !== 'gtc') reject(`bracket exits rest until one of them fills: send the bracket as GTC (not ${c.tif.toUpperCase()}).`);
  const common = { symbol: inst.venueSymbol, listClientOrderId: bracketListCid(parent), ...asLeg('working', orderParams(inst, f, parent), parent.clientOrderId) };
  if (tp && sl) return { kind: 'otoco', params: { ...common, ...pendingPair(ocoParams(inst, f, tp, sl)), newOrderRespType: 'RESULT' } };
  const only = (tp ?? sl)!;
  return { kind: 'oto', params: { ...common, ...asLeg('pending', orderParams(inst, f, only), only.clientOrderId), newOrderRespType: 'RESULT' } };
}
