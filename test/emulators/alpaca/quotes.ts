/** Moving quotes per symbol: a seeded random walk the fill model matches against. */
import Decimal from 'decimal.js';
import { ASSETS, START_QUOTES } from './assets';

export interface EmuQuote {
  bid: string;
  ask: string;
  size: string;
  last: string;
  ts: number;
}

export class Quotes {
  private readonly q = new Map<string, EmuQuote>();
  private seed: number;

  constructor(
    private readonly now: () => number,
    seed = 7,
  ) {
    this.seed = seed;
    for (const [s, v] of Object.entries(START_QUOTES)) this.q.set(s, { ...v, last: new Decimal(v.bid).plus(v.ask).div(2).toString(), ts: now() });
  }

  get(symbol: string): EmuQuote {
    const q = this.q.get(symbol);
    if (!q) throw new Error(`no quote for ${symbol}`);
    return q;
  }

  mid(symbol: string): Decimal {
    const q = this.get(symbol);
    return new Decimal(q.bid).plus(q.ask).div(2);
  }

  set(symbol: string, bid: string, ask: string, size?: string, last?: string): EmuQuote {
    const prev = this.get(symbol);
    const next = { bid: new Decimal(bid).toString(), ask: new Decimal(ask).toString(), size: size ?? prev.size, last: last ?? new Decimal(bid).plus(ask).div(2).toString(), ts: this.now() };
    this.q.set(symbol, next);
    return next;
  }

  /** One step of the walk for every symbol: ±1 tick, deterministic for a seed. */
  move(): string[] {
    const moved: string[] = [];
    for (const a of ASSETS) {
      const q = this.q.get(a.symbol);
      if (!q) continue;
      const tick = new Decimal(a.price_increment ?? '0.01');
      const dir = this.rand() < 0.5 ? -1 : 1;
      const d = tick.mul(dir);
      this.set(a.symbol, new Decimal(q.bid).plus(d).toString(), new Decimal(q.ask).plus(d).toString());
      moved.push(a.symbol);
    }
    return moved;
  }

  symbols(): string[] {
    return [...this.q.keys()];
  }

  private rand(): number {
    // mulberry32
    let t = (this.seed += 0x6d2b79f5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
