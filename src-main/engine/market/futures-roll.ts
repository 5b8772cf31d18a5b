/** Futures expiry arithmetic and the roll alert every futures venue shows in its preview. */
import type { Instrument } from '../domain/instrument';

/** Days from `now` to a yyyymmdd expiry (UTC dates), negative once past. */
export function daysToExpiry(expiry: string, now: number): number {
  const t = Date.UTC(Number(expiry.slice(0, 4)), Number(expiry.slice(4, 6)) - 1, Number(expiry.slice(6, 8)));
  const today = new Date(now);
  const d0 = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Math.round((t - d0) / 86_400_000);
}

/**
 * A futures roll alert: the contract expires within `days` days. Names the next listed expiry of
 * the same root when the cache knows one, so the trader knows where to roll.
 */
export function rollAlert(inst: Instrument, now: number, days: number, known: readonly Instrument[]): string | undefined {
  if (inst.assetClass !== 'future' || !inst.expiry) return undefined;
  const left = daysToExpiry(inst.expiry, now);
  if (left > days) return undefined;
  const next = known.filter((i) => i.assetClass === 'future' && i.base === inst.base && i.expiry !== undefined && i.expiry > inst.expiry!).sort((a, b) => a.expiry!.localeCompare(b.expiry!))[0];
  const when = left < 0 ? 'has expired' : left === 0 ? 'expires today' : `expires in ${left} day${left === 1 ? '' : 's'}`;
  return `${inst.symbol} ${when}${next ? `: roll to ${next.symbol}` : ''}.`;
}
