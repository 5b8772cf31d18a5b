/** Binance's error body `{code, msg}` (rest-api.md "Error codes"). */
import type { KitResponse } from '../kit';

export type BinanceAnswer = KitResponse;

export function binanceError(status: number, code: number, msg: string): BinanceAnswer {
  return { status, body: { code, msg } };
}

export const ok = (body: unknown): BinanceAnswer => ({ status: 200, body });
