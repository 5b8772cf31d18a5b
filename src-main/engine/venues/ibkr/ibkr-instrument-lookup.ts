/**
 * Instruments at IB: contract details asked of TWS on demand (a display symbol, a conId, a futures
 * root) and kept in the conId cache, so a symbol is looked up once and known across restarts.
 */
import { EventName, type Contract, type ContractDetails } from '@stoqey/ib';
import type { Instrument } from '../../domain/instrument';
import { contractForSymbol, instrumentFromDetails, type CachedContract } from './ibkr-instruments';
import type { IbkrScope } from './ibkr-requests';

export class IbkrInstrumentLookup {
  private readonly resolving = new Map<string, Promise<Instrument[]>>();

  constructor(private readonly k: IbkrScope) {}

  all(): readonly Instrument[] {
    return this.k.cache.all();
  }

  /**
   * Synchronous by the port's contract, so a symbol TWS has not described yet is not here on the
   * first ask: the miss starts a background lookup and the next ask finds it (and it stays cached).
   */
  instrument(idOrSymbol: string): Instrument | undefined {
    const hit = this.k.cache.get(idOrSymbol);
    if (hit) return hit.instrument;
    const prefix = `${this.k.name}:`;
    if (idOrSymbol.startsWith(prefix) && /^\d+$/.test(idOrSymbol.slice(prefix.length))) void this.resolveContract({ conId: Number(idOrSymbol.slice(prefix.length)) }).catch(() => undefined);
    else if (this.k.rq.conn.current) void this.resolveSymbol(idOrSymbol).catch(() => undefined);
    return undefined;
  }

  /** A contract seen on a stream (an order typed in TWS, a position) that the cache lacks is looked up in the background. */
  describeConId(conId: number): void {
    if (!this.k.cache.byConId(conId)) void this.resolveContract({ conId }).catch(() => undefined);
  }

  /** The instrument a display symbol or `ib:<conId>` names, asked of TWS when it is not cached. */
  async lookupInstrument(symbolOrId: string): Promise<Instrument | undefined> {
    const hit = this.k.cache.get(symbolOrId);
    if (hit) return hit.instrument;
    if (!this.k.rq.conn.current) return undefined;
    const prefix = `${this.k.name}:`;
    const conId = symbolOrId.startsWith(prefix) ? symbolOrId.slice(prefix.length) : '';
    const found = /^\d+$/.test(conId) ? await this.resolveContract({ conId: Number(conId) }) : await this.resolveSymbol(symbolOrId);
    const want = symbolOrId.toUpperCase();
    return found.find((i) => i.id === symbolOrId || i.symbol.toUpperCase() === want) ?? (found.length === 1 ? found[0] : undefined);
  }

  /** Asks TWS for the contracts a display symbol names, caches them, and returns them. */
  resolveSymbol(symbol: string): Promise<Instrument[]> {
    const contract = contractForSymbol(symbol);
    if (!contract) return Promise.reject(new Error(`"${symbol}" is not a symbol Tradeport can trade at Interactive Brokers (AAPL, ES:FUT:20261218, AAPL:OPT:C:150:20261218, EUR/USD).`));
    return this.resolveContract(contract);
  }

  /** Contract details for any contract query (a futures root without expiry lists every expiry). */
  resolveContract(contract: Contract): Promise<Instrument[]> {
    const key = JSON.stringify(contract);
    const cur = this.resolving.get(key);
    if (cur) return cur;
    const p = this.contractDetails(contract).finally(() => this.resolving.delete(key));
    this.resolving.set(key, p);
    return p;
  }

  /** Instrument search for the UI: a display symbol, or a futures root listing every expiry. */
  async search(query: string): Promise<Instrument[]> {
    const q = query.trim().toUpperCase();
    if (!q) return this.k.cache.all();
    const found = await this.resolveSymbol(q).catch(() => [] as Instrument[]);
    if (/^[A-Z0-9]{1,6}$/.test(q)) found.push(...(await this.resolveContract({ symbol: q, secType: 'FUT' as Contract['secType'] }).catch(() => [] as Instrument[])));
    return found;
  }

  private async contractDetails(contract: Contract): Promise<Instrument[]> {
    const { rq } = this.k;
    const s = rq.querySession();
    const reqId = rq.nextReqId();
    const details = await rq.pending<ContractDetails[]>(
      s.id,
      15_000,
      () => new Error('TWS did not answer the contract lookup'),
      (resolve, reject) => {
        const out: ContractDetails[] = [];
        const onData = (id: number, d: ContractDetails) => id === reqId && out.push(d);
        const onEnd = (id: number) => id === reqId && resolve(out);
        s.api.on(EventName.contractDetails, onData);
        s.api.on(EventName.contractDetailsEnd, onEnd);
        rq.byId.set(reqId, { onError: (code, message) => (code === 200 ? resolve([]) : reject(new Error(`${message} (${code})`))) });
        rq.send('message', s, (api) => api.reqContractDetails(reqId, contract)).catch(reject);
        return () => {
          s.api.off(EventName.contractDetails, onData);
          s.api.off(EventName.contractDetailsEnd, onEnd);
          rq.byId.delete(reqId);
        };
      },
    );
    const now = this.k.clock.now();
    const out: Instrument[] = [];
    for (const d of details) {
      const c: CachedContract | undefined = instrumentFromDetails(this.k.name, d);
      if (!c) continue;
      this.k.cache.save(c, now);
      out.push(c.instrument);
    }
    return out;
  }
}
