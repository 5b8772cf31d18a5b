/**
 * IB contracts ↔ our instruments.
 *
 * An instrument's id is `<venue>:<conId>`: the conId is IB's stable key for a contract, while
 * symbols are ambiguous (AAPL the stock vs. its options) and futures roll. Display symbols follow
 * the one scheme in domain/instrument.ts and round-trip both ways:
 *   STK/ETF  AAPL                     ↔ {symbol AAPL, secType STK, SMART, USD}
 *   FUT      ES:FUT:20261218          ↔ {symbol ES, secType FUT, lastTradeDate 20261218}
 *   OPT      AAPL:OPT:C:150:20261218  ↔ {symbol AAPL, secType OPT, right C, strike 150, lastTradeDate 20261218}
 *   CASH     EUR/USD                  ↔ {symbol EUR, secType CASH, currency USD, IDEALPRO}
 * Resolved contracts are cached in SQLite, so a restart (or TWS being down) does not lose them.
 */
import type Database from 'better-sqlite3';
import { ensureIbkrSchema } from './ibkr-migrations';
import { SecType, type Contract, type ContractDetails } from '@stoqey/ib';
import { formatSymbol, parseSymbol, type Instrument, type ParsedSymbol } from '../../domain/instrument';
import { Decimal, toStr } from '../../domain/money';

/** What an order needs besides the conId: IB wants the routing exchange on every contract. */
export interface IbContractRef {
  readonly conId: number;
  readonly exchange: string;
  readonly currency: string;
  readonly secType: string;
}

export interface CachedContract {
  readonly instrument: Instrument;
  readonly contract: IbContractRef;
}

/** IB sends numbers through a double; the shortest round-trip text is what was on the wire. */
export function wireDecimal(n: number | undefined): Decimal | undefined {
  if (n === undefined || !Number.isFinite(n) || n === Number.MAX_VALUE) return undefined;
  return new Decimal(String(n));
}

function ymdOf(lastTradeDate: string | undefined): string | undefined {
  const m = /^(\d{8})/.exec((lastTradeDate ?? '').trim());
  return m ? m[1] : undefined;
}

/** The normalized display symbol of an IB contract, or undefined for kinds we do not trade. */
export function symbolOfContract(c: Contract): string | undefined {
  const sym = (c.symbol ?? '').trim().toUpperCase();
  if (!sym) return undefined;
  switch (c.secType) {
    case SecType.STK:
      return formatSymbol({ kind: 'equity', root: sym });
    case SecType.FUT: {
      const expiry = ymdOf(c.lastTradeDateOrContractMonth);
      return expiry ? formatSymbol({ kind: 'future', root: sym, expiry }) : undefined;
    }
    case SecType.OPT: {
      const expiry = ymdOf(c.lastTradeDateOrContractMonth);
      const strike = wireDecimal(c.strike);
      const right = normRight(c.right);
      return expiry && strike && right ? formatSymbol({ kind: 'option', underlying: sym, right, strike: toStr(strike), expiry }) : undefined;
    }
    case SecType.CASH:
      return c.currency ? formatSymbol({ kind: 'pair', base: sym, quote: c.currency.toUpperCase() }) : undefined;
    default:
      return undefined;
  }
}

function normRight(r: unknown): 'C' | 'P' | undefined {
  const u = String(r ?? '').toUpperCase();
  if (u === 'C' || u === 'CALL') return 'C';
  if (u === 'P' || u === 'PUT') return 'P';
  return undefined;
}

/**
 * The contract to ask TWS about for a display symbol. Stocks are assumed US-listed in USD on
 * SMART (the only stocks this build trades); futures leave the exchange empty so TWS finds the
 * listing (CME, CBOT…) itself.
 */
export function contractForSymbol(symbol: string): Contract | undefined {
  const p: ParsedSymbol | undefined = parseSymbol(symbol);
  if (!p) return undefined;
  switch (p.kind) {
    case 'equity':
      return { symbol: p.root, secType: SecType.STK, exchange: 'SMART', currency: 'USD' };
    case 'future':
      return { symbol: p.root, secType: SecType.FUT, lastTradeDateOrContractMonth: p.expiry, currency: 'USD' };
    case 'option':
      return {
        symbol: p.underlying,
        secType: SecType.OPT,
        exchange: 'SMART',
        currency: 'USD',
        right: p.right === 'C' ? 'C' : 'P',
        strike: Number(p.strike),
        lastTradeDateOrContractMonth: p.expiry,
      } as Contract;
    case 'pair':
      return { symbol: p.base, secType: SecType.CASH, exchange: 'IDEALPRO', currency: p.quote };
    case 'perp':
      return undefined;
  }
}

/** Builds our instrument from contract details; undefined for contract kinds we do not trade. */
export function instrumentFromDetails(venue: string, d: ContractDetails): CachedContract | undefined {
  const c = d.contract;
  const conId = c.conId;
  const symbol = symbolOfContract(c);
  if (!conId || !symbol) return undefined;
  const secType = String(c.secType);
  const currency = (c.currency ?? 'USD').toUpperCase();
  const tick = wireDecimal(d.minTick) ?? new Decimal('0.01');
  const mult = wireDecimal(typeof c.multiplier === 'number' ? c.multiplier : Number(c.multiplier || 1)) ?? new Decimal(1);
  const isEtf = secType === SecType.STK && String(d.stockType ?? '').toUpperCase() === 'ETF';
  const assetClass: Instrument['assetClass'] = secType === SecType.FUT ? 'future' : secType === SecType.OPT ? 'option' : secType === SecType.CASH ? 'forex' : isEtf ? 'etf' : 'equity';
  const expiry = ymdOf(c.lastTradeDateOrContractMonth);
  const strike = secType === SecType.OPT ? wireDecimal(c.strike) : undefined;
  const right = secType === SecType.OPT ? normRight(c.right) : undefined;
  const instrument: Instrument = {
    id: `${venue}:${conId}`,
    venue,
    venueSymbol: String(conId),
    symbol,
    assetClass,
    description: d.longName || c.localSymbol || symbol,
    base: (c.symbol ?? '').toUpperCase(),
    quote: currency,
    tickSize: toStr(tick),
    // IB refuses fractional share orders through the API (error 10243), whatever sizeIncrement says.
    lotSize: '1',
    minQty: '1',
    minNotional: '0',
    multiplier: toStr(mult.gt(0) ? mult : new Decimal(1)),
    fractional: false,
    session: assetClass === 'future' ? 'cme_equity_futures' : assetClass === 'forex' ? 'forex' : 'us_equity',
    ...(expiry && (assetClass === 'future' || assetClass === 'option') ? { expiry } : {}),
    ...(strike ? { strike: toStr(strike) } : {}),
    ...(right ? { right } : {}),
  };
  // Orders go to SMART for stocks and options; futures and forex to their listing exchange.
  const exchange = c.exchange || (secType === SecType.CASH ? 'IDEALPRO' : 'SMART');
  return { instrument, contract: { conId, exchange, currency, secType } };
}

/** The IB contract an order or market-data request for a cached instrument uses. */
export function orderContract(ref: IbContractRef): Contract {
  return { conId: ref.conId, exchange: ref.exchange, currency: ref.currency, secType: ref.secType as SecType };
}

// Venue-neutral: shared with every futures venue.
export { daysToExpiry, rollAlert } from '../../market/futures-roll';

interface Row {
  data: string;
}

/** The conId cache in SQLite, with an in-memory index by id and by display symbol. */
export class IbkrInstrumentCache {
  private readonly byId = new Map<string, CachedContract>();
  private readonly bySymbol = new Map<string, CachedContract>();
  private readonly q;

  constructor(
    db: Database.Database,
    private readonly venue: string,
  ) {
    ensureIbkrSchema(db);
    this.q = {
      all: db.prepare<[string], Row>('SELECT data FROM ibkr_contracts WHERE venue = ?'),
      save: db.prepare<[string, number, string, string, number]>(
        'INSERT INTO ibkr_contracts (venue, con_id, symbol, data, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(venue, con_id) DO UPDATE SET symbol = excluded.symbol, data = excluded.data, updated_at = excluded.updated_at',
      ),
    };
    for (const r of this.q.all.all(venue)) {
      const c = JSON.parse(r.data) as CachedContract;
      // A venue renamed since: ids follow the current name.
      const fixed: CachedContract = c.instrument.venue === venue ? c : { ...c, instrument: { ...c.instrument, venue, id: `${venue}:${c.contract.conId}` } };
      this.index(fixed);
    }
  }

  private index(c: CachedContract): void {
    this.byId.set(c.instrument.id, c);
    this.bySymbol.set(c.instrument.symbol, c);
  }

  save(c: CachedContract, now: number): void {
    this.q.save.run(this.venue, c.contract.conId, c.instrument.symbol, JSON.stringify(c), now);
    this.index(c);
  }

  get(idOrSymbol: string): CachedContract | undefined {
    const hit = this.byId.get(idOrSymbol) ?? this.bySymbol.get(idOrSymbol);
    if (hit) return hit;
    const p = parseSymbol(idOrSymbol);
    return p ? this.bySymbol.get(formatSymbol(p)) : undefined;
  }

  byConId(conId: number): CachedContract | undefined {
    return this.byId.get(`${this.venue}:${conId}`);
  }

  all(): Instrument[] {
    return [...this.byId.values()].map((c) => c.instrument);
  }
}
