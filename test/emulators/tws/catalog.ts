/**
 * The instruments the emulated TWS knows: US stocks and ETFs on SMART, ES and NQ index futures
 * (next three quarterly expiries), an AAPL option chain (next two monthly expiries) and EUR.USD.
 * Expiries are derived from the emulator's clock so they never lie in the past.
 */
import { Decimal } from '../../../src-main/engine/domain/money';
import type { ContractQuery, ContractSpec, Quote } from './types';

const STK_ORDER_TYPES =
  'ACTIVETIM,AD,ADJUST,ALERT,ALGO,ALLOC,AON,AVGCOST,BASKET,COND,CONDORDER,DAY,DEACT,DEACTDIS,DEACTEOD,GAT,GTC,GTD,GTT,HID,IOC,LIT,LMT,MIT,MKT,MTL,NGCOMB,NONALGO,OCA,OPG,OPGREROUT,POSTATS,PREOPGRTH,REL,RTH,SCALE,SCALERST,SNAPMID,SNAPMKT,SNAPREL,STP,STPLMT,TRAIL,TRAILLIT,TRAILLMT,TRAILMIT,WHATIF';
const FUT_ORDER_TYPES =
  'ACTIVETIM,AD,ADJUST,ALERT,ALLOC,AVGCOST,BASKET,COND,CONDORDER,DAY,DEACT,DEACTDIS,DEACTEOD,GAT,GTC,GTD,GTT,HID,IOC,LIT,LMT,MIT,MKT,MTL,NGCOMB,NONALGO,OCA,OPG,SCALE,SCALERST,STP,STPLMT,TRAIL,TRAILLIT,TRAILLMT,TRAILMIT,WHATIF';
const OPT_ORDER_TYPES =
  'ACTIVETIM,AD,ADJUST,ALERT,ALGO,ALLOC,AON,AVGCOST,BASKET,COND,CONDORDER,DAY,DEACT,DEACTDIS,DEACTEOD,GAT,GTC,GTD,GTT,HID,IOC,LIT,LMT,MIT,MKT,MTL,NGCOMB,NONALGO,OCA,OPG,REL,SCALE,SCALERST,STP,STPLMT,TRAIL,TRAILLIT,TRAILLMT,TRAILMIT,WHATIF';
const FX_ORDER_TYPES =
  'ACTIVETIM,AD,ADJUST,ALERT,ALGO,ALLOC,AVGCOST,BASKET,CASHQTY,COND,CONDORDER,DAY,DEACT,DEACTDIS,DEACTEOD,GAT,GTC,GTD,GTT,IOC,LIT,LMT,MIT,MKT,NONALGO,OCA,STP,STPLMT,TRAIL,TRAILLIT,TRAILLMT,TRAILMIT,WHATIF';
const STK_EXCHANGES = 'SMART,AMEX,NYSE,CBOE,PHLX,ISE,CHX,ARCA,NASDAQ,DRCTEDGE,BEX,BATS,EDGEA,BYX,IEX,EDGX,LTSE,PEARL,MEMX,IBEOS,OVERNIGHT,PSX';
const OPT_EXCHANGES = 'SMART,AMEX,CBOE,PHLX,PSE,ISE,BOX,BATS,NASDAQOM,CBOE2,NASDAQBX,MIAX,GEMINI,EDGX,MERCURY,PEARL,EMERALD,MEMX,IBUSOPT';
const MONTH_CODES = 'FGHJKMNQUVXZ';

function ymd(d: Date): string {
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** Third Friday of a month (UTC date). */
function thirdFriday(year: number, month0: number): Date {
  const first = new Date(Date.UTC(year, month0, 1));
  const offset = (5 - first.getUTCDay() + 7) % 7;
  return new Date(Date.UTC(year, month0, 1 + offset + 14));
}

/** Next `count` third-Friday expiries on or after `from`, in months where `pick(month0)` holds. */
function nextExpiries(from: Date, count: number, pick: (month0: number) => boolean): Date[] {
  const out: Date[] = [];
  let y = from.getUTCFullYear();
  let m = from.getUTCMonth();
  const today = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  while (out.length < count) {
    if (pick(m)) {
      const d = thirdFriday(y, m);
      if (d.getTime() >= today) out.push(d);
    }
    m++;
    if (m === 12) {
      m = 0;
      y++;
    }
  }
  return out;
}

/** Trading-hours text in TWS's current form: "20260102:0930-20260102:1600;20260103:CLOSED;…". */
function hours(from: Date, open: string, close: string, overnight = false): string {
  const parts: string[] = [];
  for (let i = 0; i < 5; i++) {
    const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + i));
    const day = ymd(d);
    const wd = d.getUTCDay();
    if (wd === 0 || wd === 6) {
      parts.push(`${day}:CLOSED`);
    } else if (overnight) {
      const prev = ymd(new Date(d.getTime() - 86_400_000));
      parts.push(`${prev}:${open}-${day}:${close}`);
    } else {
      parts.push(`${day}:${open}-${day}:${close}`);
    }
  }
  return parts.join(';');
}

function base(over: Partial<ContractSpec> & Pick<ContractSpec, 'conId' | 'symbol' | 'secType'>): ContractSpec {
  return {
    lastTradeDateOrContractMonth: '',
    strike: '0',
    right: '',
    multiplier: '',
    exchange: 'SMART',
    primaryExch: '',
    currency: 'USD',
    localSymbol: over.symbol,
    tradingClass: over.symbol,
    marketName: over.symbol,
    minTick: '0.01',
    longName: '',
    contractMonth: '',
    industry: '',
    category: '',
    subcategory: '',
    timeZoneId: 'US/Eastern',
    tradingHours: '',
    liquidHours: '',
    orderTypes: STK_ORDER_TYPES,
    validExchanges: STK_EXCHANGES,
    underConId: 0,
    underSymbol: '',
    underSecType: '',
    stockType: '',
    minSize: '1',
    sizeIncrement: '1',
    suggestedSizeIncrement: '1',
    realExpirationDate: '',
    lastTradeTime: '',
    aggGroup: 1,
    marketRuleIds: '26',
    secIdList: [],
    ...over,
  };
}

interface StockSeed {
  conId: number;
  symbol: string;
  primaryExch: string;
  longName: string;
  stockType: 'COMMON' | 'ETF';
  industry: string;
  category: string;
  isin: string;
  price: string;
}

export const STOCK_SEEDS: readonly StockSeed[] = [
  { conId: 265598, symbol: 'AAPL', primaryExch: 'NASDAQ', longName: 'APPLE INC', stockType: 'COMMON', industry: 'Technology', category: 'Computers', isin: 'US0378331005', price: '200' },
  { conId: 272093, symbol: 'MSFT', primaryExch: 'NASDAQ', longName: 'MICROSOFT CORP', stockType: 'COMMON', industry: 'Technology', category: 'Software', isin: 'US5949181045', price: '420' },
  {
    conId: 76792991,
    symbol: 'TSLA',
    primaryExch: 'NASDAQ',
    longName: 'TESLA INC',
    stockType: 'COMMON',
    industry: 'Consumer, Cyclical',
    category: 'Auto Manufacturers',
    isin: 'US88160R1014',
    price: '250',
  },
  { conId: 756733, symbol: 'SPY', primaryExch: 'ARCA', longName: 'SPDR S&P 500 ETF TRUST', stockType: 'ETF', industry: 'Funds', category: 'Equity Fund', isin: 'US78462F1030', price: '600' },
  { conId: 320227571, symbol: 'QQQ', primaryExch: 'NASDAQ', longName: 'INVESCO QQQ TRUST SERIES 1', stockType: 'ETF', industry: 'Funds', category: 'Equity Fund', isin: 'US46090E1038', price: '520' },
];

interface FutureSeed {
  symbol: string;
  conIdBase: number;
  longName: string;
  multiplier: string;
  price: string;
  underConId: number;
}

export const FUTURE_SEEDS: readonly FutureSeed[] = [
  { symbol: 'ES', conIdBase: 620_000_000, longName: 'E-mini S&P 500', multiplier: '50', price: '6000', underConId: 11004968 },
  { symbol: 'NQ', conIdBase: 630_000_000, longName: 'E-mini Nasdaq-100', multiplier: '20', price: '21000', underConId: 11004958 },
];

export const OPTION_UNDERLYING = 'AAPL';
export const OPTION_STRIKES: readonly number[] = Array.from({ length: 21 }, (_, i) => 150 + i * 5);
export const FOREX_CONID = 12087792;

export interface Catalog {
  contracts: ContractSpec[];
  byConId: Map<number, ContractSpec>;
  /** Starting quotes, by conId. */
  seedQuotes: Map<number, Quote>;
}

function quoteAround(last: Decimal, halfSpread: Decimal, size: string): Quote {
  return {
    bid: last.minus(halfSpread),
    ask: last.plus(halfSpread),
    last,
    bidSize: new Decimal(size),
    askSize: new Decimal(size),
    lastSize: new Decimal(100),
    volume: new Decimal(1_000_000),
    high: last.times('1.01').toDecimalPlaces(2),
    low: last.times('0.99').toDecimalPlaces(2),
    close: last.times('0.995').toDecimalPlaces(2),
  };
}

/** Theoretical option mid for the seed quotes: intrinsic value plus a time value that shrinks away from the money. */
export function optionMid(under: Decimal, strike: Decimal, right: 'C' | 'P'): Decimal {
  const intrinsic = Decimal.max(0, right === 'C' ? under.minus(strike) : strike.minus(under));
  const timeValue = Decimal.max('0.5', new Decimal(6).minus(under.minus(strike).abs().div(10)));
  return intrinsic.plus(timeValue).div('0.05').round().times('0.05');
}

export function buildCatalog(now: Date): Catalog {
  const contracts: ContractSpec[] = [];
  const seedQuotes = new Map<number, Quote>();

  for (const s of STOCK_SEEDS) {
    contracts.push(
      base({
        conId: s.conId,
        symbol: s.symbol,
        secType: 'STK',
        primaryExch: s.primaryExch,
        marketName: s.primaryExch === 'NASDAQ' && s.stockType === 'COMMON' ? 'NMS' : s.symbol,
        tradingClass: s.primaryExch === 'NASDAQ' && s.stockType === 'COMMON' ? 'NMS' : s.symbol,
        longName: s.longName,
        industry: s.industry,
        category: s.category,
        subcategory: s.category,
        stockType: s.stockType,
        tradingHours: hours(now, '0400', '2000'),
        liquidHours: hours(now, '0930', '1600'),
        minSize: '0.0001',
        sizeIncrement: '0.0001',
        suggestedSizeIncrement: '100',
        secIdList: [{ tag: 'ISIN', value: s.isin }],
        marketRuleIds: STK_EXCHANGES.split(',')
          .map(() => '26')
          .join(','),
      }),
    );
    seedQuotes.set(s.conId, quoteAround(new Decimal(s.price), new Decimal('0.01'), '300'));
  }

  const quarterly = (m: number): boolean => m % 3 === 2;
  for (const f of FUTURE_SEEDS) {
    for (const exp of nextExpiries(now, 3, quarterly)) {
      const y = exp.getUTCFullYear();
      const m = exp.getUTCMonth();
      const conId = f.conIdBase + (y - 2000) * 100 + (m + 1);
      const date = ymd(exp);
      contracts.push(
        base({
          conId,
          symbol: f.symbol,
          secType: 'FUT',
          lastTradeDateOrContractMonth: date,
          multiplier: f.multiplier,
          exchange: 'CME',
          primaryExch: '',
          localSymbol: `${f.symbol}${MONTH_CODES[m]}${String(y).slice(-1)}`,
          tradingClass: f.symbol,
          marketName: f.symbol,
          minTick: '0.25',
          longName: f.longName,
          contractMonth: date.slice(0, 6),
          timeZoneId: 'US/Central',
          tradingHours: hours(now, '1700', '1600', true),
          liquidHours: hours(now, '0830', '1500'),
          orderTypes: FUT_ORDER_TYPES,
          validExchanges: 'CME,QBALGO',
          underConId: f.underConId,
          underSymbol: f.symbol,
          underSecType: 'IND',
          realExpirationDate: date,
          lastTradeTime: '08:30:00',
          aggGroup: 2147483647,
          marketRuleIds: '67,67',
        }),
      );
      seedQuotes.set(conId, quoteAround(new Decimal(f.price), new Decimal('0.125'), '25'));
    }
  }
  // Futures quotes must sit on the 0.25 tick: nudge the seed to bid = last - 0.25, ask = last.
  for (const c of contracts) {
    if (c.secType !== 'FUT') continue;
    const q = seedQuotes.get(c.conId);
    if (q) {
      q.bid = q.last.minus('0.25');
      q.ask = q.last;
    }
  }

  const under = STOCK_SEEDS.find((s) => s.symbol === OPTION_UNDERLYING);
  if (!under) throw new Error('option underlying missing from stock seeds');
  const monthly = nextExpiries(now, 2, () => true);
  monthly.forEach((exp, expIdx) => {
    const date = ymd(exp);
    const yymmdd = date.slice(2);
    for (const k of OPTION_STRIKES) {
      for (const right of ['C', 'P'] as const) {
        const conId = 800_000_000 + expIdx * 100_000 + k * 10 + (right === 'C' ? 1 : 2);
        const occStrike = String(k * 1000).padStart(8, '0');
        contracts.push(
          base({
            conId,
            symbol: under.symbol,
            secType: 'OPT',
            lastTradeDateOrContractMonth: date,
            strike: String(k),
            right,
            multiplier: '100',
            exchange: 'SMART',
            localSymbol: `${under.symbol.padEnd(6, ' ')}${yymmdd}${right}${occStrike}`,
            tradingClass: under.symbol,
            marketName: under.symbol,
            minTick: '0.01',
            longName: under.longName,
            contractMonth: date.slice(0, 6),
            industry: under.industry,
            category: under.category,
            subcategory: under.category,
            tradingHours: hours(now, '0930', '1600'),
            liquidHours: hours(now, '0930', '1600'),
            orderTypes: OPT_ORDER_TYPES,
            validExchanges: OPT_EXCHANGES,
            underConId: under.conId,
            underSymbol: under.symbol,
            underSecType: 'STK',
            realExpirationDate: date,
            lastTradeTime: '16:00:00',
            marketRuleIds: OPT_EXCHANGES.split(',')
              .map(() => '32')
              .join(','),
          }),
        );
        const mid = optionMid(new Decimal(under.price), new Decimal(k), right);
        seedQuotes.set(conId, { ...quoteAround(mid, new Decimal('0.05'), '20'), volume: new Decimal(5000) });
      }
    }
  });

  contracts.push(
    base({
      conId: FOREX_CONID,
      symbol: 'EUR',
      secType: 'CASH',
      exchange: 'IDEALPRO',
      currency: 'USD',
      localSymbol: 'EUR.USD',
      tradingClass: 'EUR.USD',
      marketName: 'EUR.USD',
      minTick: '5.0E-5',
      longName: 'European Monetary Union Euro',
      timeZoneId: 'US/Eastern',
      tradingHours: hours(now, '1715', '1700', true),
      liquidHours: hours(now, '1715', '1700', true),
      orderTypes: FX_ORDER_TYPES,
      validExchanges: 'IDEALPRO',
      minSize: '1',
      sizeIncrement: '1',
      suggestedSizeIncrement: '20000',
      aggGroup: 4,
      marketRuleIds: '239',
    }),
  );
  seedQuotes.set(FOREX_CONID, {
    ...quoteAround(new Decimal('1.085'), new Decimal('0.00005'), '1000000'),
    high: new Decimal('1.0900'),
    low: new Decimal('1.0800'),
    close: new Decimal('1.0840'),
  });

  return { contracts, byConId: new Map(contracts.map((c) => [c.conId, c])), seedQuotes };
}

function same(a: string, b: string): boolean {
  return a.trim().toUpperCase() === b.trim().toUpperCase();
}

function normRight(r: string): '' | 'C' | 'P' {
  const u = r.trim().toUpperCase();
  if (u === 'C' || u === 'CALL') return 'C';
  if (u === 'P' || u === 'PUT') return 'P';
  return '';
}

function exchangeMatches(spec: ContractSpec, exchange: string): boolean {
  if (exchange.trim() === '') return true;
  const ex = exchange.trim().toUpperCase();
  if (spec.secType === 'FUT' && ex === 'GLOBEX') return true;
  return spec.validExchanges.split(',').includes(ex);
}

/** Every catalog instrument the query describes (TWS returns all of them from reqContractDetails). */
export function matchContracts(catalog: Catalog, q: ContractQuery): ContractSpec[] {
  if (q.conId > 0) {
    const c = catalog.byConId.get(q.conId);
    return c ? [c] : [];
  }
  const secIdType = (q.secIdType ?? '').trim().toUpperCase();
  const secId = (q.secId ?? '').trim().toUpperCase();
  return catalog.contracts.filter((c) => {
    if (secIdType !== '' && secId !== '') {
      if (!c.secIdList.some((t) => t.tag.toUpperCase() === secIdType && t.value.toUpperCase() === secId)) return false;
    } else if (q.symbol.trim() !== '') {
      // Forex is often asked for as symbol "EUR" or localSymbol "EUR.USD".
      if (!same(c.symbol, q.symbol) && !(c.secType === 'CASH' && same(c.localSymbol, q.symbol))) return false;
    } else if (q.localSymbol.trim() === '') {
      return false;
    }
    if (q.secType.trim() !== '' && !same(c.secType, q.secType)) return false;
    if (!exchangeMatches(c, q.exchange)) return false;
    if (q.currency.trim() !== '' && !same(c.currency, q.currency)) return false;
    if (q.localSymbol.trim() !== '' && c.localSymbol.replace(/\s+/g, ' ') !== q.localSymbol.trim().replace(/\s+/g, ' ')) return false;
    if (q.tradingClass.trim() !== '' && !same(c.tradingClass, q.tradingClass)) return false;
    const exp = q.lastTradeDateOrContractMonth.trim();
    if (exp !== '' && !c.lastTradeDateOrContractMonth.startsWith(exp) && c.contractMonth !== exp) return false;
    if (q.strike !== undefined && !new Decimal(q.strike).isZero()) {
      if (c.secType !== 'OPT' || !new Decimal(c.strike).eq(q.strike)) return false;
    }
    const r = normRight(q.right);
    if (r !== '' && c.right !== r) return false;
    if (q.multiplier.trim() !== '' && c.multiplier !== '' && !new Decimal(c.multiplier).eq(q.multiplier.trim())) return false;
    return true;
  });
}
