/**
 * Client order ids: made locally, journaled before sending, unique forever.
 *
 * Format `T` + 9 base-36 chars of ms time + 8 base-36 random chars = 18 chars, [A-Z0-9] only.
 * 18 is Kraken's free-text `cl_ord_id` limit and fits Binance (36), Coinbase, Alpaca (128), IB
 * orderRef and tastytrade. Time first keeps ids sortable; the random tail makes collisions across
 * processes negligible, and the UNIQUE column makes a collision an error rather than a merge.
 */
import type { Clock } from '../ports/clock';
import type { Random } from '../ports/random';

export const CLIENT_ORDER_ID_MAX = 18;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function makeClientOrderId(clock: Clock, random: Random): string {
  const time = clock.now().toString(36).toUpperCase().padStart(9, '0').slice(-9);
  let tail = '';
  for (let i = 0; i < 8; i++) tail += ALPHABET[Math.floor(random.next() * 36)]!;
  return `T${time}${tail}`;
}

/** Caller-supplied ids (CLI `--client-id`, strategies) must fit the strictest venue too. */
export function validateClientOrderId(id: string): string | undefined {
  if (id.length === 0 || id.length > CLIENT_ORDER_ID_MAX) return `A client order id is 1 to ${CLIENT_ORDER_ID_MAX} characters (the limit of the strictest venue Tradeport connects to).`;
  if (!/^[A-Za-z0-9_-]+$/.test(id)) return 'A client order id may hold only letters, digits, "-" and "_".';
  return undefined;
}
