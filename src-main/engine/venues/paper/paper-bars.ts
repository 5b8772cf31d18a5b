/**
 * Paper's own price history: one-minute bars of the prices it quotes (the last trade, else the mid),
 * kept in memory for the last two days per instrument, from when the engine started. Larger
 * intervals are built from the minutes. Volume is the rise in the quote's day volume over the bar.
 * Per quote the cost is a string comparison unless the price moved (then one Decimal).
 */
import type { Bar } from '../../domain/bar';
import { Decimal } from '../../domain/money';
import type { Quote } from '../../domain/order';

const MINUTE_MS = 60_000;
/** Two days of minutes per instrument. */
const PAPER_BAR_MINUTES = 2 * 1440;

interface Minute {
  readonly ts: number;
  readonly open: Decimal;
  high: Decimal;
  low: Decimal;
  close: Decimal;
  closeText: string;
  /** The day volume when the bar opened and now (undefined: the quote carries none). */
  readonly volFrom: string | undefined;
  volTo: string | undefined;
}

const priceOf = (q: Quote): string | undefined => q.last ?? (q.bid !== undefined && q.ask !== undefined ? new Decimal(q.bid).plus(q.ask).div(2).toFixed() : (q.bid ?? q.ask));

function volumeOf(m: Minute): Decimal {
  if (m.volFrom === undefined || m.volTo === undefined) return new Decimal(0);
  const d = new Decimal(m.volTo).minus(m.volFrom);
  // The day volume starts again at a new session: the bar's volume is what the new day has.
  return d.isNegative() ? new Decimal(m.volTo) : d;
}

export class PaperBars {
  private readonly minutes = new Map<string, Minute[]>();

  /** A quote Paper published. */
  record(q: Quote): void {
    const text = priceOf(q);
    if (text === undefined) return;
    const ts = q.ts - (q.ts % MINUTE_MS);
    let list = this.minutes.get(q.instrumentId);
    if (!list) this.minutes.set(q.instrumentId, (list = []));
    const cur = list[list.length - 1];
    if (cur && cur.ts === ts) {
      cur.volTo = q.volume ?? cur.volTo;
      if (text === cur.closeText) return;
      const p = new Decimal(text);
      if (p.gt(cur.high)) cur.high = p;
      if (p.lt(cur.low)) cur.low = p;
      cur.close = p;
      cur.closeText = text;
      return;
    }
    if (cur && ts < cur.ts) return;
    const p = new Decimal(text);
    // A new bar's volume counts from the previous bar's end, so no trade between two quotes is lost.
    list.push({ ts, open: p, high: p, low: p, close: p, closeText: text, volFrom: cur?.volTo ?? q.volume, volTo: q.volume });
    if (list.length > PAPER_BAR_MINUTES) list.splice(0, list.length - PAPER_BAR_MINUTES);
  }

  /** Bars of `intervalSec` (a whole number of minutes), oldest first, the open one last. */
  bars(instrumentId: string, intervalSec: number, sinceMs: number | undefined, limit: number): Bar[] {
    const step = Math.max(1, Math.round(intervalSec / 60)) * MINUTE_MS;
    const out: Bar[] = [];
    for (const m of this.minutes.get(instrumentId) ?? []) {
      const ts = m.ts - (m.ts % step);
      if (sinceMs !== undefined && ts < sinceMs - (sinceMs % step)) continue;
      const last = out[out.length - 1];
      if (last && last.ts === ts)
        out[out.length - 1] = { ts, open: last.open, high: Decimal.max(last.high, m.high), low: Decimal.min(last.low, m.low), close: m.close, volume: last.volume.plus(volumeOf(m)) };
      else out.push({ ts, open: m.open, high: m.high, low: m.low, close: m.close, volume: volumeOf(m) });
    }
    return sinceMs === undefined ? out.slice(-limit) : out.slice(0, limit);
  }
}
