/**
 * Tradeport symbols ⇄ ccxt unified symbols, both ways, without loading ccxt.
 *
 * ccxt writes derivatives as `BASE/QUOTE:SETTLE[-YYMMDD[-STRIKE-C|P]]`; ours drops the settle
 * currency when it equals the quote (linear contracts) and names a perpetual `PERP`:
 *
 * | market                     | ccxt                          | Tradeport                   |
 * |----------------------------|-------------------------------|-----------------------------|
 * | spot                       | `BTC/USDT`                    | `BTC/USDT`                  |
 * | linear perpetual           | `BTC/USDT:USDT`               | `BTC/USDT:PERP`             |
 * | linear dated future        | `BTC/USDT:USDT-250328`        | `BTC/USDT:250328`           |
 * | linear option              | `BTC/USDT:USDT-250328-60000-C`| `BTC/USDT:250328-60000-C`   |
 * | inverse perpetual          | `BTC/USD:BTC`                 | `BTC/USD:BTC-PERP`          |
 * | inverse dated future       | `BTC/USD:BTC-250328`          | `BTC/USD:BTC-250328`        |
 */

const PAIR = /^([A-Z0-9]+)\/([A-Z0-9]+)$/;
const EXPIRY = /^\d{6}$/;
const OPTION_TAIL = /^\d{6}-[0-9.]+-[CP]$/;

export class SymbolFormatError extends Error {}

function split(symbol: string): { pair: string; base: string; quote: string; tail: string | undefined } {
  const colon = symbol.indexOf(':');
  const pair = colon < 0 ? symbol : symbol.slice(0, colon);
  const m = PAIR.exec(pair);
  if (!m) throw new SymbolFormatError(`"${symbol}" is not a symbol of the form BASE/QUOTE[:…] (e.g. BTC/USDT, BTC/USDT:PERP)`);
  return { pair, base: m[1]!, quote: m[2]!, tail: colon < 0 ? undefined : symbol.slice(colon + 1) };
}

/** ccxt unified symbol → ours. */
export function toOurSymbol(ccxtSymbol: string): string {
  const { pair, quote, tail } = split(ccxtSymbol);
  if (tail === undefined) return pair;
  const dash = tail.indexOf('-');
  const settle = dash < 0 ? tail : tail.slice(0, dash);
  const rest = dash < 0 ? undefined : tail.slice(dash + 1);
  if (settle === quote) return `${pair}:${rest ?? 'PERP'}`;
  return `${pair}:${settle}-${rest ?? 'PERP'}`;
}

/** Our symbol → ccxt unified symbol; throws a SymbolFormatError a trader can act on. */
export function toCcxtSymbol(ours: string): string {
  const { pair, quote, tail } = split(ours);
  if (tail === undefined) return pair;
  const dash = tail.indexOf('-');
  const head = dash < 0 ? tail : tail.slice(0, dash);
  const inverse = /^[A-Z][A-Z0-9]*$/.test(head) && head !== 'PERP';
  const settle = inverse ? head : quote;
  const rest = inverse ? (dash < 0 ? '' : tail.slice(dash + 1)) : tail;
  if (rest === 'PERP') return `${pair}:${settle}`;
  if (EXPIRY.test(rest) || OPTION_TAIL.test(rest)) return `${pair}:${settle}-${rest}`;
  throw new SymbolFormatError(
    `"${ours}": after ':' write PERP (perpetual), YYMMDD (dated future) or YYMMDD-STRIKE-C|P (option), prefixed by the settle currency when it differs from the quote (e.g. BTC/USD:BTC-PERP)`,
  );
}
