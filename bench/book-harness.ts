/**
 * What every order-book bench shares: best-of timing (one warm-up pass, then TIMED passes, each
 * after an untimed `prepare`), message rates per wall and CPU second, the book digest the runner
 * compares across cases (ours, ours via JSON, ccxt must end on the same book), and the shape of a
 * ccxt book.
 */
import { createHash } from 'node:crypto';
import { timePass } from './cpu-clock';

const TIMED = 2;

export interface BestSeconds {
  readonly wall: number;
  readonly cpu: number;
}

/** Best wall and CPU seconds of TIMED passes after one warm-up pass; `prepare` runs before each pass, untimed. */
export async function bestSeconds(pass: () => void, prepare: () => void | Promise<void> = () => undefined): Promise<BestSeconds> {
  let wall = Infinity;
  let cpu = Infinity;
  for (let i = 0; i <= TIMED; i++) {
    await prepare();
    const t = await timePass(pass);
    if (i === 0) continue;
    wall = Math.min(wall, t.wallNs / 1e9);
    cpu = Math.min(cpu, t.cpuNs / 1e9);
  }
  return { wall, cpu };
}

/** Messages per second of wall time and per second of CPU time. */
export function rates(n: number, secs: BestSeconds): { msgs_per_s: number; msgs_per_cpu_s: number } {
  return { msgs_per_s: Math.round(n / secs.wall), msgs_per_cpu_s: Math.round(n / secs.cpu) };
}

export type Levels = ReadonlyArray<readonly [number, number]>;

/** The final book, every level of both sides as the numbers its prices and quantities denote, hashed. */
export function bookDigest(bids: Levels, asks: Levels): string {
  if (bids.length === 0) throw new Error('empty book');
  return createHash('sha256')
    .update(JSON.stringify([bids, asks]))
    .digest('hex')
    .slice(0, 16);
}

/** Our book's levels ({price, qty} decimal strings) as numbers, for the digest. */
export const numericLevels = (ls: ReadonlyArray<{ price: string; qty: string }>): Levels => ls.map((l) => [Number(l.price), Number(l.qty)] as const);

/** A ccxt order book as its handlers leave it (floats). */
export interface CcxtBook {
  bids: [number, number][];
  asks: [number, number][];
}

/** The digest of a ccxt book. */
export const ccxtDigest = (b: CcxtBook): string =>
  bookDigest(
    b.bids.map((l) => [l[0], l[1]] as const),
    b.asks.map((l) => [l[0], l[1]] as const),
  );
