/**
 * The emulator's `GET /0/public/OHLC` (docs.kraken.com, "Get OHLC Data"): bars of its public tape.
 * Every public trade (ours or anyone's, at the time it printed) goes into a one-minute bar; an
 * interval of n minutes (1, 5, 15, 30, 60, 240, 1440, 10080, 21600) groups them. The answer is
 * Kraken's: `{ <pair key>: [[time, open, high, low, close, vwap, volume, count], …], last }`,
 * times in unix seconds, decimals as strings, at most the 720 newest rows with time > `since`, the
 * last row the current (uncommitted) bar; `last` is the newest committed bar's time.
 */
import Decimal from 'decimal.js';

const MINUTES = new Set([1, 5, 15, 30, 60, 240, 1440, 10080, 21600]);
const PRICE_DP = 1;
const QTY_DP = 8;

interface Minute {
  readonly time: number;
  readonly open: Decimal;
  high: Decimal;
  low: Decimal;
  close: Decimal;
  volume: Decimal;
  notional: Decimal;
  count: number;
}

export type OhlcAnswer = { ok: true; rows: (string | number)[][]; last: number } | { ok: false; error: string };

export class KrakenOhlc {
  /** One-minute bars by their start (unix seconds). */
  private readonly minutes = new Map<number, Minute>();

  /** A public trade at `tsMs`. */
  trade(price: string, qty: string, tsMs: number): void {
    const time = Math.floor(tsMs / 60_000) * 60;
    const p = new Decimal(price);
    const q = new Decimal(qty);
    const m = this.minutes.get(time);
    if (!m) {
      this.minutes.set(time, { time, open: p, high: p, low: p, close: p, volume: q, notional: p.mul(q), count: 1 });
      return;
    }
    m.high = Decimal.max(m.high, p);
    m.low = Decimal.min(m.low, p);
    m.close = p;
    m.volume = m.volume.plus(q);
    m.notional = m.notional.plus(p.mul(q));
    m.count++;
  }

  answer(intervalText: string | null, sinceText: string | null): OhlcAnswer {
    const interval = intervalText === null ? 1 : Number(intervalText);
    if (!MINUTES.has(interval)) return { ok: false, error: 'EGeneral:Invalid arguments' };
    const since = sinceText === null ? -1 : Number(sinceText);
    if (!Number.isFinite(since)) return { ok: false, error: 'EGeneral:Invalid arguments:since' };
    const step = interval * 60;
    const bars = new Map<number, Minute>();
    for (const m of [...this.minutes.values()].sort((a, b) => a.time - b.time)) {
      const time = m.time - (m.time % step);
      const b = bars.get(time);
      if (!b) bars.set(time, { ...m, time });
      else
        bars.set(time, {
          time,
          open: b.open,
          high: Decimal.max(b.high, m.high),
          low: Decimal.min(b.low, m.low),
          close: m.close,
          volume: b.volume.plus(m.volume),
          notional: b.notional.plus(m.notional),
          count: b.count + m.count,
        });
    }
    const all = [...bars.values()];
    const rows = all
      .filter((b) => b.time > since)
      .slice(-720)
      .map((b) => [
        b.time,
        b.open.toFixed(PRICE_DP),
        b.high.toFixed(PRICE_DP),
        b.low.toFixed(PRICE_DP),
        b.close.toFixed(PRICE_DP),
        b.volume.isZero() ? '0.0' : b.notional.div(b.volume).toFixed(PRICE_DP),
        b.volume.toFixed(QTY_DP),
        b.count,
      ]);
    const committed = all.length > 1 ? all[all.length - 2]!.time : 0;
    return { ok: true, rows, last: committed };
  }
}
