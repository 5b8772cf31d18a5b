/**
 * Which Binance symbol each client id we sent (ours, or a replacement's `.rN`) was sent on, written BEFORE the order is sent (so
 * a lookup after a lost answer or a restart knows where to ask) and read back on start. A
 * replacement also keeps what the earlier Binance orders of its chain executed (`prior`): Binance
 * reports each order on its own, our order is the whole chain.
 */
import type Database from 'better-sqlite3';
import { Decimal, toStr } from '../../domain/money';
import { ensureBinanceSchema } from './binance-migrations';

/** Base and quote quantity executed by the earlier Binance orders of a replace chain. */
export interface ChainPrior {
  readonly filled: Decimal;
  readonly quote: Decimal;
}
export const NO_PRIOR: ChainPrior = { filled: new Decimal(0), quote: new Decimal(0) };

interface Row {
  client_id: string;
  symbol: string;
  prior_filled: string;
  prior_quote: string;
}

export class BinanceOrderSymbols {
  private readonly bySid = new Map<string, string>();
  private readonly priors = new Map<string, ChainPrior>();
  private readonly q;

  constructor(
    db: Database.Database,
    private readonly venue: string,
    private readonly now: () => number,
  ) {
    ensureBinanceSchema(db);
    this.q = {
      all: db.prepare<[string], Row>('SELECT client_id, symbol, prior_filled, prior_quote FROM binance_orders WHERE venue = ?'),
      put: db.prepare<[string, string, string, string, string, number]>(
        'INSERT OR IGNORE INTO binance_orders (venue, client_id, symbol, prior_filled, prior_quote, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      prior: db.prepare<[string, string, string, string]>('UPDATE binance_orders SET prior_filled = ?, prior_quote = ? WHERE venue = ? AND client_id = ?'),
      del: db.prepare<[string, string]>('DELETE FROM binance_orders WHERE venue = ? AND client_id = ?'),
    };
    for (const r of this.q.all.all(venue)) {
      this.bySid.set(r.client_id, r.symbol);
      const p = { filled: new Decimal(r.prior_filled), quote: new Decimal(r.prior_quote) };
      if (p.filled.gt(0)) this.priors.set(r.client_id, p);
    }
  }

  remember(clientId: string, symbol: string, prior?: ChainPrior): void {
    if (this.bySid.get(clientId) !== symbol) {
      this.bySid.set(clientId, symbol);
      this.q.put.run(this.venue, clientId, symbol, '0', '0', this.now());
    }
    if (prior) this.setPrior(clientId, prior);
  }

  /** Records (before the replacement is sent) what the earlier orders of its chain executed. */
  setPrior(clientId: string, prior: ChainPrior): void {
    this.priors.set(clientId, prior);
    this.q.prior.run(toStr(prior.filled), toStr(prior.quote), this.venue, clientId);
  }

  prior(clientId: string): ChainPrior {
    return this.priors.get(clientId) ?? NO_PRIOR;
  }

  /** The venue client id now carrying our order: the latest `.rN` replacement we sent, else ours. */
  current(ourCid: string): string {
    let best = ourCid;
    let n = 0;
    for (const id of this.bySid.keys()) {
      const m = id.startsWith(`${ourCid}.r`) ? Number(id.slice(ourCid.length + 2)) : NaN;
      if (Number.isInteger(m) && m > n) {
        n = m;
        best = id;
      }
    }
    return best;
  }

  /** A replacement Binance certainly did not place. */
  forget(clientId: string): void {
    this.bySid.delete(clientId);
    this.priors.delete(clientId);
    this.q.del.run(this.venue, clientId);
  }

  symbolOf(clientId: string): string | undefined {
    return this.bySid.get(clientId);
  }

  /** Every symbol we have sent an order on. */
  symbols(): Set<string> {
    return new Set(this.bySid.values());
  }
}
