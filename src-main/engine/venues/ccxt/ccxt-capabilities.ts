/**
 * What an exchange can carry, from ccxt's own description of it: `has` (which unified methods it
 * implements) and `features` (per market type: trigger prices, time-in-force flags…). The union
 * over the market types it lists: the engine refuses anything outside it before journaling, and
 * ccxt-mapping refuses per market what only another type allows (reduce-only on spot). GTD where
 * the exchange's expiry parameter is documented, notional where ccxt creates market orders by cost
 * (ccxt-order-terms.ts).
 */
import type { OrderCapabilities } from '../../domain/order-capabilities';
import type { OrderType, TimeInForce } from '../../domain/order';
import { gtdSupported, notionalSides } from './ccxt-order-terms';

type Flags = Readonly<Record<string, unknown>>;

/** Every `createOrder` feature block ccxt lists: spot, and swap / future by linear and inverse. */
function createOrderBlocks(features: Flags | undefined): { spot: Flags[]; contract: Flags[] } {
  const spot: Flags[] = [];
  const contract: Flags[] = [];
  const block = (x: unknown): Flags | undefined => {
    const c = x && typeof x === 'object' ? (x as Flags)['createOrder'] : undefined;
    return c && typeof c === 'object' ? (c as Flags) : undefined;
  };
  const s = block(features?.['spot']);
  if (s) spot.push(s);
  for (const kind of ['swap', 'future']) {
    const k = features?.[kind];
    if (!k || typeof k !== 'object') continue;
    for (const sub of ['linear', 'inverse']) {
      const b = block((k as Flags)[sub]);
      if (b) contract.push(b);
    }
  }
  return { spot, contract };
}

/** `contracts`: the venue's loaded markets include derivatives (where some exchanges' GTD applies). */
export function ccxtCapabilities(has: Flags, features: Flags | undefined, exchange = '', contracts = false): OrderCapabilities {
  const { spot, contract } = createOrderBlocks(features);
  const all = [...spot, ...contract];
  const tif = (k: string): boolean => all.some((b) => (b['timeInForce'] as Flags | undefined)?.[k] === true);
  const trigger = all.some((b) => b['triggerPrice'] === true);
  const orderTypes: OrderType[] = has['createOrder'] === false ? [] : ['market', 'limit', ...(trigger ? (['stop', 'stop_limit'] as const) : [])];
  const tifs: TimeInForce[] = ['gtc', ...(tif('IOC') ? (['ioc'] as const) : []), ...(tif('FOK') ? (['fok'] as const) : []), ...(gtdSupported(exchange, contracts) ? (['gtd'] as const) : [])];
  return {
    orderTypes,
    tifs,
    extendedHours: false,
    brackets: false,
    oca: false,
    postOnly: tif('PO'),
    reduceOnly: contract.length > 0,
    notional: spot.length > 0 && notionalSides(has).length > 0,
  };
}
