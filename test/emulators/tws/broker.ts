/**
 * What sits behind TWS: the order book of one account, a tiny matching model against driven
 * quotes, executions, commissions, positions, cash and margin. Pure logic (no sockets); it tells
 * the server what to send through a `BrokerSink`. Money is decimal.js throughout.
 */
import { Decimal } from '../../../src-main/engine/domain/money';
import { matchContracts, type Catalog } from './catalog';
import { nextWeekday, tradeDate } from './time';
import type { ContractQuery, ContractSpec, EmuExecution, EmuOrder, EmuPosition, OrderStatusText, PlaceOrderRequest, Quote, WhatIfResult } from './types';

export type Session = 'regular' | 'extended' | 'closed';

export interface BrokerSink {
  /** openOrder followed by orderStatus for the order's owner (and observers). */
  orderUpdated(o: EmuOrder): void;
  /** orderStatus alone (cancels). */
  orderStatusOnly(o: EmuOrder): void;
  /** An error about an order or request id, for one client. */
  error(clientId: number, id: number, code: number, message: string): void;
  /** execDetails (reqId -1) for a new fill. */
  executed(o: EmuOrder, e: EmuExecution): void;
  /** commissionReport for a fill. */
  commission(o: EmuOrder, e: EmuExecution): void;
  /** whatIf answer: one openOrder carrying the margin preview. */
  whatIf(clientId: number, o: EmuOrder, result: WhatIfResult): void;
  /** Position, portfolio and account values changed. */
  accountChanged(conIds: number[]): void;
  /** Quote fields changed; `ticks` are the TWS tick types that moved. */
  quoteChanged(conId: number, ticks: number[]): void;
}

export interface BrokerOptions {
  account: string;
  initialCash: string;
  now: () => number;
  /** Fill marketable orders as soon as they can trade (default true). Off: only `fill()` fills. */
  autoFill: boolean;
  /**
   * A cash account: no margin (buying power = cash), and stock and option sale proceeds count in
   * SettledCash only from the next weekday (T+1). Default false (a margin account).
   */
  cashAccount?: boolean;
}

export interface AccountMetrics {
  netLiquidation: Decimal;
  totalCash: Decimal;
  /** Cash less sale proceeds that have not settled yet (IB's SettledCash). */
  settledCash: Decimal;
  grossPositionValue: Decimal;
  initMargin: Decimal;
  maintMargin: Decimal;
  equityWithLoan: Decimal;
  availableFunds: Decimal;
  excessLiquidity: Decimal;
  buyingPower: Decimal;
  cushion: Decimal;
  unrealizedPnl: Decimal;
  realizedPnl: Decimal;
}

export interface ManualOrderSpec {
  conId?: number;
  symbol?: string;
  secType?: string;
  action: 'BUY' | 'SELL';
  quantity: string;
  orderType?: string;
  lmtPrice?: string;
  auxPrice?: string;
  tif?: string;
  orderRef?: string;
  /** The TWS-side client id reported for the order; 0 for an order typed into TWS. */
  clientId?: number;
  /** The order id reported; 0 for an order typed into TWS. */
  orderId?: number;
}

const SUPPORTED_TYPES = new Set(['MKT', 'LMT', 'STP', 'STP LMT', 'TRAIL', 'TRAIL LIMIT']);
const SUPPORTED_TIFS = new Set(['', 'DAY', 'GTC', 'IOC', 'OPG', 'GTD', 'FOK']);
const STOP_TYPES = new Set(['STP', 'STP LMT', 'TRAIL', 'TRAIL LIMIT']);
const DONE: ReadonlySet<OrderStatusText> = new Set(['Filled', 'Cancelled', 'Inactive', 'ApiCancelled']);

export function isDone(o: EmuOrder): boolean {
  return DONE.has(o.status);
}

function normType(t: string): string {
  const u = t.trim().toUpperCase();
  if (u === 'STPLMT') return 'STP LMT';
  if (u === 'TRAILLIMIT' || u === 'TRAIL LMT') return 'TRAIL LIMIT';
  return u;
}

function dec(text: string | undefined): Decimal | undefined {
  if (text === undefined) return undefined;
  try {
    const d = new Decimal(text);
    return d.isFinite() ? d : undefined;
  } catch {
    return undefined;
  }
}

function mult(c: ContractSpec): Decimal {
  return c.multiplier === '' ? new Decimal(1) : new Decimal(c.multiplier);
}

/** IB-like fixed commissions, rounded to cents. */
export function commissionFor(c: ContractSpec, qty: Decimal, price: Decimal): Decimal {
  const q = qty.abs();
  let fee: Decimal;
  switch (c.secType) {
    case 'STK': {
      fee = Decimal.max(1, q.times('0.005'));
      const cap = q.times(price).times('0.01');
      if (cap.gt(0)) fee = Decimal.min(fee, cap);
      break;
    }
    case 'OPT':
      fee = Decimal.max(1, q.times('0.65'));
      break;
    case 'FUT':
      fee = q.times('2.25');
      break;
    case 'CASH':
      fee = Decimal.max(2, q.times(price).times('0.00002'));
      break;
  }
  return fee.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** Reg-T-like margin for a signed position at a price. */
function marginFor(c: ContractSpec, signedQty: Decimal, price: Decimal): { init: Decimal; maint: Decimal } {
  const notional = signedQty.abs().times(price).times(mult(c));
  switch (c.secType) {
    case 'STK':
      return { init: notional.times('0.5'), maint: notional.times(signedQty.isNegative() ? '0.3' : '0.25') };
    case 'OPT':
      return signedQty.isNegative() ? { init: notional.times('1.2'), maint: notional.times('1.2') } : { init: new Decimal(0), maint: new Decimal(0) };
    case 'FUT':
      return { init: notional.times('0.08'), maint: notional.times('0.07') };
    case 'CASH':
      return { init: notional.times('0.03'), maint: notional.times('0.025') };
  }
}

function money(d: Decimal): string {
  return d.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2);
}

export interface BrokerState {
  nextOrderId: number;
  permSeq: number;
  execSeq: number;
  cash: string;
  orders: Array<Record<string, unknown>>;
  executions: Array<Record<string, unknown>>;
  positions: Array<{ conId: number; quantity: string; avgCost: string; realizedPnl: string }>;
}

export class Broker {
  readonly orders: EmuOrder[] = [];
  readonly executions: EmuExecution[] = [];
  readonly positions = new Map<number, EmuPosition>();
  readonly quotes = new Map<number, Quote>();
  cash: Decimal;
  /** What nextValidId reports; never below highest API order id + 1 unless rolled back on purpose. */
  nextOrderId = 1;
  session: Session = 'regular';
  /** False while TWS has lost its connection to IB (1100 / 2110): nothing trades. */
  exchangeReachable = true;
  autoFill: boolean;
  private permSeq = 1_100_000_000;
  private execSeq = 0;
  private readonly execPrefix: string;
  private pendingReject: string | undefined;
  private manualIdSeq = 0;
  sink: BrokerSink | undefined;

  constructor(
    readonly catalog: Catalog,
    private readonly opts: BrokerOptions,
  ) {
    this.cash = new Decimal(opts.initialCash);
    this.autoFill = opts.autoFill;
    for (const [conId, q] of catalog.seedQuotes) this.quotes.set(conId, { ...q });
    this.execPrefix = (Math.floor(opts.now() / 1000) & 0xffffffff).toString(16).padStart(8, '0');
  }

  get account(): string {
    return this.opts.account;
  }

  // -------------------------------------------------------------------------------------------
  // lookups

  find(clientId: number, orderId: number): EmuOrder | undefined {
    return this.orders.find((o) => o.clientId === clientId && o.orderId === orderId && !(o.manual && o.orderId === 0));
  }

  findByPerm(permId: number): EmuOrder | undefined {
    return this.orders.find((o) => o.permId === permId);
  }

  working(): EmuOrder[] {
    return this.orders.filter((o) => !isDone(o) && o.transmit);
  }

  resolve(q: ContractQuery): ContractSpec[] {
    return matchContracts(this.catalog, q);
  }

  /** Gives unbound manual orders negative ids so client 0 can manage them (reqOpenOrders / autoBind). */
  bindManualOrders(): EmuOrder[] {
    const bound: EmuOrder[] = [];
    for (const o of this.orders) {
      if (o.manual && o.orderId === 0 && !isDone(o)) {
        o.orderId = --this.manualIdSeq;
        o.clientId = 0;
        bound.push(o);
      }
    }
    return bound;
  }

  rejectNextOrder(reason: string): void {
    this.pendingReject = reason;
  }

  // -------------------------------------------------------------------------------------------
  // client requests

  place(clientId: number, req: PlaceOrderRequest): void {
    const sink = this.requireSink();
    const matches = this.resolve(req.contract);
    if (matches.length !== 1 || matches[0] === undefined) {
      const msg = matches.length === 0 ? 'No security definition has been found for the request' : `The contract description specified for ${req.contract.symbol} is ambiguous.`;
      sink.error(clientId, req.orderId, 200, msg);
      return;
    }
    const contract = matches[0];
    if (req.whatIf) {
      this.whatIf(clientId, req, contract);
      return;
    }
    const existing = this.find(clientId, req.orderId);
    if (existing) {
      if (isDone(existing)) {
        sink.error(clientId, req.orderId, 103, 'Duplicate order id');
        return;
      }
      this.modify(existing, req, contract);
      return;
    }
    this.nextOrderId = Math.max(this.nextOrderId, req.orderId + 1);
    const order = this.build(clientId, req, contract);
    const reason = this.validate(order, req);
    if (reason !== undefined) {
      this.reject(order, reason.code, reason.message);
      return;
    }
    this.orders.push(order);
    if (!order.transmit) return; // held in TWS until a transmitting order of its group arrives
    this.transmitGroup(order);
  }

  cancel(clientId: number, orderId: number): void {
    const sink = this.requireSink();
    const o = this.find(clientId, orderId);
    if (!o) {
      sink.error(clientId, orderId, 10147, `OrderId ${orderId} that needs to be cancelled is not found.`);
      return;
    }
    if (isDone(o)) {
      sink.error(clientId, orderId, 10148, `OrderId ${orderId} that needs to be cancelled cannot be cancelled, state: ${o.status}.`);
      return;
    }
    this.cancelOrder(o, '');
  }

  globalCancel(): void {
    for (const o of this.orders.filter((x) => !isDone(x))) {
      if (!isDone(o)) this.cancelOrder(o, '');
    }
  }

  // -------------------------------------------------------------------------------------------
  // TWS-side actions (control API)

  placeManual(spec: ManualOrderSpec): EmuOrder {
    const q: ContractQuery = {
      conId: spec.conId ?? 0,
      symbol: spec.symbol ?? '',
      secType: spec.secType ?? (spec.conId ? '' : 'STK'),
      lastTradeDateOrContractMonth: '',
      strike: undefined,
      right: '',
      multiplier: '',
      exchange: '',
      primaryExch: '',
      currency: '',
      localSymbol: '',
      tradingClass: '',
    };
    const matches = this.resolve(q);
    const contract = matches[0];
    if (matches.length !== 1 || contract === undefined) throw new Error(`manual order: contract ${spec.conId ?? spec.symbol} not found or ambiguous`);
    const req: PlaceOrderRequest = {
      ...EMPTY_REQUEST,
      orderId: spec.orderId ?? 0,
      contract: q,
      action: spec.action,
      totalQuantity: spec.quantity,
      orderType: spec.orderType ?? (spec.lmtPrice !== undefined ? 'LMT' : 'MKT'),
      lmtPrice: spec.lmtPrice,
      auxPrice: spec.auxPrice,
      tif: spec.tif ?? 'DAY',
      orderRef: spec.orderRef ?? '',
      account: this.account,
    };
    const order = this.build(spec.clientId ?? 0, req, contract);
    order.manual = true;
    const reason = this.validate(order, req);
    if (reason !== undefined) throw new Error(`manual order rejected: ${reason.message}`);
    this.orders.push(order);
    this.transmitGroup(order);
    return order;
  }

  /** Fills (part of) a working order now, at `price` or the touch. */
  fill(o: EmuOrder, quantity?: string, price?: string): EmuExecution {
    if (isDone(o)) throw new Error(`order ${o.orderId} (perm ${o.permId}) is ${o.status}`);
    const remaining = o.totalQuantity.minus(o.filled);
    const qty = quantity !== undefined ? new Decimal(quantity) : remaining;
    if (qty.lte(0) || qty.gt(remaining)) throw new Error(`fill quantity ${qty.toFixed()} not in (0, ${remaining.toFixed()}]`);
    const px = price !== undefined ? new Decimal(price) : (this.touch(o) ?? this.mark(o.contract.conId));
    return this.execute(o, qty, px);
  }

  /** Drives a quote; any field left out keeps its value. Re-evaluates working orders on it. */
  setQuote(conId: number, update: Partial<Record<keyof Quote, string>>): void {
    const q = this.quotes.get(conId);
    if (!q) throw new Error(`no quote for conId ${conId}`);
    const ticks: number[] = [];
    const map: Array<[keyof Quote, number]> = [
      ['bid', 1],
      ['ask', 2],
      ['last', 4],
      ['bidSize', 0],
      ['askSize', 3],
      ['lastSize', 5],
      ['high', 6],
      ['low', 7],
      ['volume', 8],
      ['close', 9],
    ];
    for (const [key, tick] of map) {
      const v = update[key];
      if (v === undefined) continue;
      q[key] = new Decimal(v);
      ticks.push(tick);
    }
    if (update.last !== undefined) {
      if (q.last.gt(q.high)) {
        q.high = q.last;
        ticks.push(6);
      }
      if (q.last.lt(q.low)) {
        q.low = q.last;
        ticks.push(7);
      }
      if (update.volume === undefined) {
        q.volume = q.volume.plus(q.lastSize);
        ticks.push(8);
      }
    }
    this.sink?.quoteChanged(conId, [...new Set(ticks)]);
    this.evaluateContract(conId);
  }

  setSession(s: Session): void {
    this.session = s;
    for (const o of this.working()) this.refreshStatus(o);
    this.evaluateAll();
  }

  setExchangeReachable(up: boolean): void {
    this.exchangeReachable = up;
    if (up) this.evaluateAll();
  }

  /** Opening auction: OPG orders execute at the last price when marketable, the rest are cancelled. */
  openingAuction(): void {
    for (const o of this.working().filter((x) => x.tif === 'OPG')) {
      const last = this.quotes.get(o.contract.conId)?.last;
      if (!last) continue;
      const type = normType(o.orderType);
      const ok = type === 'MKT' || (type === 'LMT' && o.lmtPrice !== undefined && (o.action === 'BUY' ? last.lte(o.lmtPrice) : last.gte(o.lmtPrice)));
      if (ok) this.execute(o, o.totalQuantity.minus(o.filled), last);
      else this.cancelOrder(o, '');
    }
  }

  /** End of the trading day: DAY and OPG orders expire. */
  endOfDay(): void {
    for (const o of this.working().filter((x) => x.tif === 'DAY' || x.tif === '' || x.tif === 'OPG')) this.cancelOrder(o, '');
  }

  // -------------------------------------------------------------------------------------------
  // account

  mark(conId: number): Decimal {
    const q = this.quotes.get(conId);
    if (!q) return new Decimal(0);
    if (q.last.gt(0)) return q.last;
    return q.bid.plus(q.ask).div(2);
  }

  metrics(positions: Iterable<EmuPosition> = this.positions.values(), cash: Decimal = this.cash): AccountMetrics {
    let mv = new Decimal(0);
    let gross = new Decimal(0);
    let futPnl = new Decimal(0);
    let init = new Decimal(0);
    let maint = new Decimal(0);
    let unreal = new Decimal(0);
    let realized = new Decimal(0);
    for (const p of positions) {
      const px = this.mark(p.contract.conId);
      const value = p.quantity.times(px).times(mult(p.contract));
      const cost = p.quantity.times(p.avgCost);
      unreal = unreal.plus(value.minus(cost));
      realized = realized.plus(p.realizedPnl);
      if (p.contract.secType === 'FUT') futPnl = futPnl.plus(value.minus(cost));
      else {
        mv = mv.plus(value);
        gross = gross.plus(value.abs());
      }
      const m = marginFor(p.contract, p.quantity, px);
      init = init.plus(m.init);
      maint = maint.plus(m.maint);
    }
    const netLiq = cash.plus(mv).plus(futPnl);
    const ewl = netLiq;
    const available = ewl.minus(init);
    const excess = ewl.minus(maint);
    const cashAccount = this.opts.cashAccount === true;
    return {
      netLiquidation: netLiq,
      totalCash: cash,
      settledCash: cash.minus(this.unsettledProceeds()),
      grossPositionValue: gross,
      initMargin: init,
      maintMargin: maint,
      equityWithLoan: ewl,
      availableFunds: available,
      excessLiquidity: excess,
      buyingPower: cashAccount ? Decimal.max(0, cash) : Decimal.max(0, available.times(4)),
      cushion: netLiq.isZero() ? new Decimal(0) : excess.div(netLiq).toDecimalPlaces(6),
      unrealizedPnl: unreal,
      realizedPnl: realized,
    };
  }

  /** Stock and option sale proceeds whose T+1 settlement date has not come yet (today, New York). */
  private unsettledProceeds(): Decimal {
    const today = tradeDate(this.opts.now());
    return this.executions
      .filter((e) => e.side === 'SLD' && (e.contract.secType === 'STK' || e.contract.secType === 'OPT') && nextWeekday(tradeDate(e.time)) > today)
      .reduce((s, e) => s.plus(e.shares.times(e.price).times(mult(e.contract))), new Decimal(0));
  }

  accountValues(): Array<{ key: string; value: string; currency: string }> {
    const m = this.metrics();
    const usd = (key: string, v: Decimal): { key: string; value: string; currency: string } => ({ key, value: money(v), currency: 'USD' });
    return [
      { key: 'AccountCode', value: this.account, currency: '' },
      { key: 'AccountType', value: 'INDIVIDUAL', currency: '' },
      { key: 'AccountReady', value: 'true', currency: '' },
      { key: 'Currency', value: 'USD', currency: 'USD' },
      usd('NetLiquidation', m.netLiquidation),
      usd('TotalCashValue', m.totalCash),
      usd('SettledCash', m.settledCash),
      usd('CashBalance', m.totalCash),
      { key: 'CashBalance', value: money(m.totalCash), currency: 'BASE' },
      usd('BuyingPower', m.buyingPower),
      usd('EquityWithLoanValue', m.equityWithLoan),
      usd('GrossPositionValue', m.grossPositionValue),
      usd('InitMarginReq', m.initMargin),
      usd('MaintMarginReq', m.maintMargin),
      usd('FullInitMarginReq', m.initMargin),
      usd('FullMaintMarginReq', m.maintMargin),
      usd('AvailableFunds', m.availableFunds),
      usd('ExcessLiquidity', m.excessLiquidity),
      usd('FullAvailableFunds', m.availableFunds),
      usd('FullExcessLiquidity', m.excessLiquidity),
      { key: 'Cushion', value: m.cushion.toFixed(), currency: '' },
      usd('UnrealizedPnL', m.unrealizedPnl),
      usd('RealizedPnL', m.realizedPnl),
    ];
  }

  /** Account summary tags (reqAccountSummary). */
  summaryValues(): Map<string, { value: string; currency: string }> {
    const m = this.metrics();
    const out = new Map<string, { value: string; currency: string }>();
    const usd = (k: string, v: Decimal): void => {
      out.set(k, { value: money(v), currency: 'USD' });
    };
    out.set('AccountType', { value: 'INDIVIDUAL', currency: '' });
    usd('NetLiquidation', m.netLiquidation);
    usd('TotalCashValue', m.totalCash);
    usd('SettledCash', m.settledCash);
    usd('AccruedCash', new Decimal(0));
    usd('BuyingPower', m.buyingPower);
    usd('EquityWithLoanValue', m.equityWithLoan);
    usd('PreviousEquityWithLoanValue', m.equityWithLoan);
    usd('GrossPositionValue', m.grossPositionValue);
    usd('RegTEquity', m.equityWithLoan);
    usd('RegTMargin', m.initMargin);
    usd('SMA', m.availableFunds);
    usd('InitMarginReq', m.initMargin);
    usd('MaintMarginReq', m.maintMargin);
    usd('AvailableFunds', m.availableFunds);
    usd('ExcessLiquidity', m.excessLiquidity);
    out.set('Cushion', { value: m.cushion.toFixed(), currency: '' });
    usd('FullInitMarginReq', m.initMargin);
    usd('FullMaintMarginReq', m.maintMargin);
    usd('FullAvailableFunds', m.availableFunds);
    usd('FullExcessLiquidity', m.excessLiquidity);
    usd('LookAheadInitMarginReq', m.initMargin);
    usd('LookAheadMaintMarginReq', m.maintMargin);
    usd('LookAheadAvailableFunds', m.availableFunds);
    usd('LookAheadExcessLiquidity', m.excessLiquidity);
    out.set('Leverage', { value: m.netLiquidation.isZero() ? '0' : m.grossPositionValue.div(m.netLiquidation).toDecimalPlaces(4).toFixed(), currency: '' });
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // internals

  private requireSink(): BrokerSink {
    if (!this.sink) throw new Error('broker has no sink');
    return this.sink;
  }

  private build(clientId: number, req: PlaceOrderRequest, contract: ContractSpec): EmuOrder {
    const action = req.action.trim().toUpperCase();
    return {
      orderId: req.orderId,
      clientId,
      permId: ++this.permSeq,
      parentPermId: 0,
      contract,
      exchange: req.contract.exchange.trim() === '' ? contract.exchange : req.contract.exchange.trim().toUpperCase(),
      action: action === 'SELL' || action === 'SSHORT' ? (action as 'SELL' | 'SSHORT') : 'BUY',
      totalQuantity: dec(req.totalQuantity) ?? new Decimal(0),
      orderType: normType(req.orderType),
      lmtPrice: dec(req.lmtPrice),
      auxPrice: dec(req.auxPrice),
      tif: req.tif.trim().toUpperCase() === '' ? 'DAY' : req.tif.trim().toUpperCase(),
      ocaGroup: req.ocaGroup,
      ocaType: req.ocaType === 0 && req.ocaGroup !== '' ? 1 : req.ocaType,
      account: req.account === '' ? this.account : req.account,
      openClose: req.openClose,
      origin: req.origin,
      orderRef: req.orderRef,
      transmit: req.transmit,
      parentId: req.parentId,
      outsideRth: req.outsideRth,
      hidden: req.hidden,
      displaySize: req.displaySize,
      triggerMethod: req.triggerMethod,
      goodAfterTime: req.goodAfterTime,
      goodTillDate: req.goodTillDate,
      trailStopPrice: dec(req.trailStopPrice),
      trailingPercent: dec(req.trailingPercent),
      algoStrategy: req.algoStrategy,
      algoParams: req.algoParams,
      modelCode: req.modelCode,
      status: 'PendingSubmit',
      filled: new Decimal(0),
      avgFillPrice: new Decimal(0),
      lastFillPrice: new Decimal(0),
      triggered: false,
      manual: false,
      whyHeld: '',
      createdAt: this.opts.now(),
      completedAt: undefined,
      completedStatus: '',
    };
  }

  private validate(o: EmuOrder, req: PlaceOrderRequest): { code: number; message: string } | undefined {
    const reject = (reason: string): { code: number; message: string } => ({ code: 201, message: `Order rejected - reason:${reason}` });
    if (this.pendingReject !== undefined) {
      const r = this.pendingReject;
      this.pendingReject = undefined;
      return reject(r);
    }
    const action = req.action.trim().toUpperCase();
    if (action !== 'BUY' && action !== 'SELL' && action !== 'SSHORT') return reject(`Invalid action "${req.action}".`);
    if (!o.totalQuantity.gt(0)) return reject('The order quantity must be greater than zero.');
    if (!SUPPORTED_TYPES.has(o.orderType)) return reject(`Order type ${o.orderType} is not supported by this emulator.`);
    if (!SUPPORTED_TIFS.has(o.tif)) return reject(`Invalid time in force ${o.tif}.`);
    if (o.tif === 'GTD' && o.goodTillDate === '') return reject('Good till date is required for GTD orders.');
    if ((o.orderType === 'LMT' || o.orderType === 'STP LMT') && o.lmtPrice === undefined) return reject('Limit price is required for this order type.');
    if ((o.orderType === 'STP' || o.orderType === 'STP LMT') && o.auxPrice === undefined) return reject('Stop price is required for this order type.');
    if ((o.orderType === 'TRAIL' || o.orderType === 'TRAIL LIMIT') && o.auxPrice === undefined && o.trailingPercent === undefined) {
      return reject('Trailing amount or trailing percent is required for trailing orders.');
    }
    if (o.account !== this.account) return reject(`Account ${o.account} is not a managed account.`);
    if (o.parentId !== 0) {
      const parent = this.find(o.clientId, o.parentId);
      if (!parent || isDone(parent)) return reject(`Parent order ${o.parentId} is not a working order.`);
    }
    const tick = new Decimal(o.contract.minTick);
    for (const p of [o.lmtPrice, o.orderType === 'TRAIL' || o.orderType === 'TRAIL LIMIT' ? undefined : o.auxPrice]) {
      if (p !== undefined && !p.mod(tick).isZero()) {
        return { code: 110, message: 'The price does not conform to the minimum price variation for this contract.' };
      }
    }
    if (o.parentId === 0 && !o.manual) {
      const preview = this.preview(o);
      if (new Decimal(preview.initMarginAfter).gt(new Decimal(preview.equityWithLoanAfter))) {
        return reject(
          `YOUR ORDER IS NOT ACCEPTED. IN ORDER TO OBTAIN THE DESIRED POSITION YOUR EQUITY WITH LOAN VALUE [${preview.equityWithLoanAfter} USD] MUST EXCEED THE INITIAL MARGIN [${preview.initMarginAfter} USD]`,
        );
      }
    }
    return undefined;
  }

  private reject(o: EmuOrder, code: number, message: string): void {
    const sink = this.requireSink();
    if (code === 201) {
      // The id is spent: TWS keeps the rejected order as Inactive.
      o.status = 'Inactive';
      o.completedAt = this.opts.now();
      o.completedStatus = message;
      this.orders.push(o);
      sink.error(o.clientId, o.orderId, code, message);
      sink.orderStatusOnly(o);
    } else {
      sink.error(o.clientId, o.orderId, code, message);
    }
  }

  private whatIf(clientId: number, req: PlaceOrderRequest, contract: ContractSpec): void {
    const sink = this.requireSink();
    const o = this.build(clientId, req, contract);
    this.permSeq--; // a preview is not an order and consumes no permId
    o.permId = 0;
    const action = req.action.trim().toUpperCase();
    if (action !== 'BUY' && action !== 'SELL' && action !== 'SSHORT') {
      sink.error(clientId, req.orderId, 201, `Order rejected - reason:Invalid action "${req.action}".`);
      return;
    }
    if (!o.totalQuantity.gt(0)) {
      sink.error(clientId, req.orderId, 201, 'Order rejected - reason:The order quantity must be greater than zero.');
      return;
    }
    o.status = 'PreSubmitted';
    sink.whatIf(clientId, o, this.preview(o));
  }

  /** Margin and commission effect of filling `o` completely at its estimated price. */
  preview(o: EmuOrder): WhatIfResult {
    const before = this.metrics();
    const q = this.quotes.get(o.contract.conId);
    const type = normType(o.orderType);
    let px: Decimal;
    if ((type === 'LMT' || type === 'STP LMT') && o.lmtPrice !== undefined) px = o.lmtPrice;
    else if (type === 'STP' && o.auxPrice !== undefined) px = o.auxPrice;
    else px = q ? (o.action === 'BUY' ? q.ask : q.bid) : this.mark(o.contract.conId);
    const qty = o.totalQuantity.minus(o.filled);
    const signed = o.action === 'BUY' ? qty : qty.neg();
    const fee = commissionFor(o.contract, qty, px);
    // Hypothetical book after the fill.
    const positions = new Map<number, EmuPosition>();
    for (const [k, p] of this.positions) positions.set(k, { ...p });
    const existing = positions.get(o.contract.conId);
    const sim: EmuPosition = existing ?? { contract: o.contract, quantity: new Decimal(0), avgCost: new Decimal(0), realizedPnl: new Decimal(0) };
    const cashDelta = applyFill(sim, signed, px, fee);
    positions.set(o.contract.conId, sim);
    const after = this.metrics(positions.values(), this.cash.plus(cashDelta));
    return {
      initMarginBefore: money(before.initMargin),
      maintMarginBefore: money(before.maintMargin),
      equityWithLoanBefore: money(before.equityWithLoan),
      initMarginChange: money(after.initMargin.minus(before.initMargin)),
      maintMarginChange: money(after.maintMargin.minus(before.maintMargin)),
      equityWithLoanChange: money(after.equityWithLoan.minus(before.equityWithLoan)),
      initMarginAfter: money(after.initMargin),
      maintMarginAfter: money(after.maintMargin),
      equityWithLoanAfter: money(after.equityWithLoan),
      commission: fee.toFixed(),
      minCommission: fee.toFixed(),
      maxCommission: fee.toFixed(),
      commissionCurrency: o.contract.currency,
      warningText: '',
    };
  }

  private modify(o: EmuOrder, req: PlaceOrderRequest, contract: ContractSpec): void {
    const sink = this.requireSink();
    const action = req.action.trim().toUpperCase();
    if (contract.conId !== o.contract.conId || action !== o.action) {
      sink.error(o.clientId, o.orderId, 105, 'Order being modified does not match original order.');
      return;
    }
    const qty = dec(req.totalQuantity) ?? new Decimal(0);
    if (qty.lt(o.filled) || !qty.gt(0)) {
      sink.error(o.clientId, o.orderId, 201, `Order rejected - reason:The new quantity ${qty.toFixed()} is below the filled quantity ${o.filled.toFixed()}.`);
      return;
    }
    const draft = this.build(o.clientId, req, contract);
    const tick = new Decimal(contract.minTick);
    for (const p of [draft.lmtPrice, draft.orderType.startsWith('TRAIL') ? undefined : draft.auxPrice]) {
      if (p !== undefined && !p.mod(tick).isZero()) {
        sink.error(o.clientId, o.orderId, 110, 'The price does not conform to the minimum price variation for this contract.');
        return;
      }
    }
    const wasTransmitted = o.transmit;
    o.totalQuantity = qty;
    o.orderType = draft.orderType;
    o.lmtPrice = draft.lmtPrice;
    o.auxPrice = draft.auxPrice;
    o.tif = draft.tif;
    o.outsideRth = draft.outsideRth;
    o.ocaGroup = draft.ocaGroup;
    o.ocaType = draft.ocaType;
    o.orderRef = draft.orderRef;
    o.goodTillDate = draft.goodTillDate;
    o.trailingPercent = draft.trailingPercent;
    if (draft.trailStopPrice !== undefined) o.trailStopPrice = draft.trailStopPrice;
    o.transmit = o.transmit || draft.transmit;
    if (!o.transmit) return;
    if (!wasTransmitted) {
      this.transmitGroup(o);
      return;
    }
    if (o.filled.eq(o.totalQuantity)) {
      o.status = 'Filled';
      o.completedAt = this.opts.now();
      o.completedStatus = 'Filled';
      sink.orderUpdated(o);
      return;
    }
    this.refreshStatus(o, true);
    this.evaluate(o);
  }

  /** Sends a held order and every held order of its bracket. */
  private transmitGroup(o: EmuOrder): void {
    const root = o.parentId !== 0 ? (this.find(o.clientId, o.parentId) ?? o) : o;
    const group = [root, ...this.orders.filter((x) => x !== root && x.clientId === root.clientId && x.parentId === root.orderId && root.orderId !== 0 && !isDone(x))];
    if (!group.includes(o)) group.push(o);
    for (const x of group) {
      if (x.status !== 'PendingSubmit') continue;
      x.transmit = true;
      if (x !== root && root.permId) x.parentPermId = root.permId;
      this.refreshStatus(x, true);
    }
    for (const x of group) this.evaluate(x);
  }

  private parentOf(o: EmuOrder): EmuOrder | undefined {
    return o.parentId === 0 ? undefined : this.find(o.clientId, o.parentId);
  }

  private sessionAllows(o: EmuOrder): boolean {
    if (this.session === 'regular') return true;
    if (this.session === 'extended') return o.outsideRth || o.contract.secType === 'FUT' || o.contract.secType === 'CASH';
    return o.contract.secType === 'CASH';
  }

  /** Recomputes Submitted / PreSubmitted and tells the owner when it changed (or always, if `announce`). */
  private refreshStatus(o: EmuOrder, announce = false): void {
    if (isDone(o) || !o.transmit) return;
    const parent = this.parentOf(o);
    let status: OrderStatusText = 'Submitted';
    if (parent && parent.status !== 'Filled') status = 'PreSubmitted';
    else if (STOP_TYPES.has(o.orderType) && !o.triggered) status = 'PreSubmitted';
    else if (o.tif === 'OPG') status = 'PreSubmitted';
    else if (!this.sessionAllows(o)) status = 'PreSubmitted';
    const changed = status !== o.status;
    o.status = status;
    if (changed || announce) this.requireSink().orderUpdated(o);
  }

  evaluateAll(): void {
    for (const o of this.working()) this.evaluate(o);
  }

  private evaluateContract(conId: number): void {
    for (const o of this.working().filter((x) => x.contract.conId === conId)) this.evaluate(o);
  }

  /** Best price the order could trade at now, or undefined when nothing is quoted. */
  private touch(o: EmuOrder): Decimal | undefined {
    const q = this.quotes.get(o.contract.conId);
    if (!q) return undefined;
    return o.action === 'BUY' ? q.ask : q.bid;
  }

  private evaluate(o: EmuOrder): void {
    if (isDone(o) || !o.transmit || !this.exchangeReachable) return;
    const parent = this.parentOf(o);
    if (parent && parent.status !== 'Filled') return;
    if (o.tif === 'OPG' || !this.sessionAllows(o)) return;
    const q = this.quotes.get(o.contract.conId);
    if (!q) return;
    const buy = o.action === 'BUY';
    const type = o.orderType;
    if (type === 'TRAIL' || type === 'TRAIL LIMIT') {
      const offset = o.trailingPercent !== undefined ? q.last.times(o.trailingPercent).div(100) : (o.auxPrice ?? new Decimal(0));
      const candidate = buy ? q.last.plus(offset) : q.last.minus(offset);
      if (o.trailStopPrice === undefined || (buy ? candidate.lt(o.trailStopPrice) : candidate.gt(o.trailStopPrice))) {
        o.trailStopPrice = candidate;
      }
    }
    if (STOP_TYPES.has(type) && !o.triggered) {
      const stop = type.startsWith('TRAIL') ? o.trailStopPrice : o.auxPrice;
      if (stop === undefined) return;
      const hit = buy ? q.last.gte(stop) : q.last.lte(stop);
      if (!hit) return;
      o.triggered = true;
      this.refreshStatus(o);
    }
    if (!this.autoFill) return;
    const px = buy ? q.ask : q.bid;
    const limit = type === 'LMT' || type === 'STP LMT' || (type === 'TRAIL LIMIT' && o.lmtPrice !== undefined) ? o.lmtPrice : undefined;
    const marketable = limit === undefined ? px.gt(0) : buy ? px.lte(limit) : px.gte(limit);
    if (marketable) {
      // Marketable on arrival removes liquidity (IB lastLiquidity 2) even for a limit; only an order
      // that rested on the book and was reached by the market added it (1).
      this.execute(o, o.totalQuantity.minus(o.filled), px, !o.rested);
    } else if (limit !== undefined) {
      o.rested = true;
    }
    if ((o.tif === 'IOC' || o.tif === 'FOK') && !isDone(o)) this.cancelOrder(o, '');
  }

  private execute(o: EmuOrder, qty: Decimal, price: Decimal, tookLiquidity = false): EmuExecution {
    const sink = this.requireSink();
    const now = this.opts.now();
    const signed = o.action === 'BUY' ? qty : qty.neg();
    const fee = commissionFor(o.contract, qty, price);
    const pos = this.positions.get(o.contract.conId) ?? ({ contract: o.contract, quantity: new Decimal(0), avgCost: new Decimal(0), realizedPnl: new Decimal(0) } satisfies EmuPosition);
    const realizedBefore = pos.realizedPnl;
    const wasOpen = pos.quantity;
    this.cash = this.cash.plus(applyFill(pos, signed, price, fee));
    this.positions.set(o.contract.conId, pos);
    const closing = !wasOpen.isZero() && wasOpen.isNegative() !== signed.isNegative();

    const prevFilled = o.filled;
    o.filled = o.filled.plus(qty);
    o.avgFillPrice = o.avgFillPrice.times(prevFilled).plus(price.times(qty)).div(o.filled);
    o.lastFillPrice = price;
    if (o.filled.eq(o.totalQuantity)) {
      o.status = 'Filled';
      o.completedAt = now;
      o.completedStatus = 'Filled';
    } else if (o.status === 'PreSubmitted' || o.status === 'PendingSubmit') {
      o.status = 'Submitted';
    }
    const exec: EmuExecution = {
      execId: `${this.execPrefix}.${(++this.execSeq).toString(16).padStart(8, '0')}.01.01`,
      orderId: o.orderId,
      clientId: o.clientId,
      permId: o.permId,
      contract: o.contract,
      exchange: o.contract.secType === 'STK' ? o.contract.primaryExch || 'ISLAND' : o.contract.exchange === 'SMART' ? 'CBOE' : o.contract.exchange,
      time: now,
      account: o.account,
      side: o.action === 'BUY' ? 'BOT' : 'SLD',
      shares: qty,
      price,
      cumQty: o.filled,
      avgPrice: o.avgFillPrice,
      orderRef: o.orderRef,
      commission: fee,
      commissionCurrency: o.contract.currency,
      realizedPnl: closing ? pos.realizedPnl.minus(realizedBefore) : undefined,
      lastLiquidity: o.orderType === 'LMT' && !tookLiquidity ? 1 : 2,
    };
    this.executions.push(exec);
    sink.executed(o, exec);
    sink.orderUpdated(o);
    sink.commission(o, exec);
    sink.accountChanged([o.contract.conId]);

    this.afterFill(o, qty);
    return exec;
  }

  private afterFill(o: EmuOrder, qty: Decimal): void {
    // Bracket children wake up when their parent is complete.
    if (o.status === 'Filled') {
      for (const child of this.orders.filter((x) => x.parentId === o.orderId && x.clientId === o.clientId && !isDone(x) && x.transmit)) {
        this.refreshStatus(child);
      }
      for (const child of this.orders.filter((x) => x.parentId === o.orderId && x.clientId === o.clientId && !isDone(x) && x.transmit)) {
        this.evaluate(child);
      }
    }
    // One-cancels-all: explicit OCA groups, and the implicit one between bracket children.
    const siblings = this.orders.filter(
      (x) => x !== o && !isDone(x) && ((o.ocaGroup !== '' && x.ocaGroup === o.ocaGroup) || (o.parentId !== 0 && x.parentId === o.parentId && x.clientId === o.clientId)),
    );
    const ocaType = o.ocaGroup !== '' ? o.ocaType : 3;
    for (const s of siblings) {
      if (ocaType === 1) {
        this.cancelOrder(s, '');
        continue;
      }
      const reduced = s.totalQuantity.minus(qty);
      if (reduced.lte(s.filled)) {
        this.cancelOrder(s, '');
      } else {
        s.totalQuantity = reduced;
        this.requireSink().orderUpdated(s);
      }
    }
  }

  private cancelOrder(o: EmuOrder, reason: string): void {
    if (isDone(o)) return;
    const sink = this.requireSink();
    o.status = 'Cancelled';
    o.completedAt = this.opts.now();
    o.completedStatus = 'Cancelled by Trader';
    if (o.transmit) {
      sink.orderStatusOnly(o);
      sink.error(o.clientId, o.orderId, 202, `Order Canceled - reason:${reason}`);
    }
    for (const child of this.orders.filter((x) => x.parentId === o.orderId && x.clientId === o.clientId && o.orderId !== 0 && !isDone(x))) {
      this.cancelOrder(child, reason);
    }
  }

  // -------------------------------------------------------------------------------------------
  // persistence (optional JSON state file)

  toState(): BrokerState {
    return {
      nextOrderId: this.nextOrderId,
      permSeq: this.permSeq,
      execSeq: this.execSeq,
      cash: this.cash.toFixed(),
      orders: this.orders.map((o) => ({
        ...o,
        contract: o.contract.conId,
        totalQuantity: o.totalQuantity.toFixed(),
        lmtPrice: o.lmtPrice?.toFixed(),
        auxPrice: o.auxPrice?.toFixed(),
        trailStopPrice: o.trailStopPrice?.toFixed(),
        trailingPercent: o.trailingPercent?.toFixed(),
        filled: o.filled.toFixed(),
        avgFillPrice: o.avgFillPrice.toFixed(),
        lastFillPrice: o.lastFillPrice.toFixed(),
      })),
      executions: this.executions.map((e) => ({
        ...e,
        contract: e.contract.conId,
        shares: e.shares.toFixed(),
        price: e.price.toFixed(),
        cumQty: e.cumQty.toFixed(),
        avgPrice: e.avgPrice.toFixed(),
        commission: e.commission.toFixed(),
        realizedPnl: e.realizedPnl?.toFixed(),
      })),
      positions: [...this.positions.values()].map((p) => ({
        conId: p.contract.conId,
        quantity: p.quantity.toFixed(),
        avgCost: p.avgCost.toFixed(),
        realizedPnl: p.realizedPnl.toFixed(),
      })),
    };
  }

  loadState(s: BrokerState): void {
    const contractOf = (conId: unknown): ContractSpec => {
      const c = this.catalog.byConId.get(Number(conId));
      if (!c) throw new Error(`state file names unknown conId ${String(conId)}`);
      return c;
    };
    const d = (v: unknown): Decimal => new Decimal(String(v));
    const od = (v: unknown): Decimal | undefined => (v === undefined || v === null ? undefined : new Decimal(String(v)));
    this.nextOrderId = s.nextOrderId;
    this.permSeq = s.permSeq;
    this.execSeq = s.execSeq;
    this.cash = d(s.cash);
    this.orders.length = 0;
    for (const raw of s.orders) {
      const o = raw as unknown as EmuOrder & Record<string, unknown>;
      this.orders.push({
        ...o,
        contract: contractOf(raw['contract']),
        totalQuantity: d(raw['totalQuantity']),
        lmtPrice: od(raw['lmtPrice']),
        auxPrice: od(raw['auxPrice']),
        trailStopPrice: od(raw['trailStopPrice']),
        trailingPercent: od(raw['trailingPercent']),
        filled: d(raw['filled']),
        avgFillPrice: d(raw['avgFillPrice']),
        lastFillPrice: d(raw['lastFillPrice']),
      });
    }
    this.executions.length = 0;
    for (const raw of s.executions) {
      const e = raw as unknown as EmuExecution;
      this.executions.push({
        ...e,
        contract: contractOf(raw['contract']),
        shares: d(raw['shares']),
        price: d(raw['price']),
        cumQty: d(raw['cumQty']),
        avgPrice: d(raw['avgPrice']),
        commission: d(raw['commission']),
        realizedPnl: od(raw['realizedPnl']),
      });
    }
    this.positions.clear();
    for (const p of s.positions) {
      this.positions.set(p.conId, { contract: contractOf(p.conId), quantity: d(p.quantity), avgCost: d(p.avgCost), realizedPnl: d(p.realizedPnl) });
    }
  }
}

/**
 * Applies a signed fill to a position (avg cost per unit incl. multiplier, commissions folded into
 * the cost of opening trades except futures) and returns the cash change.
 */
export function applyFill(pos: EmuPosition, signedQty: Decimal, price: Decimal, fee: Decimal): Decimal {
  const m = mult(pos.contract);
  const unit = price.times(m);
  const fut = pos.contract.secType === 'FUT';
  let cash = fee.neg();
  if (!fut) cash = cash.minus(signedQty.times(unit));
  const old = pos.quantity;
  const sameSide = old.isZero() || old.isNegative() === signedQty.isNegative();
  if (sameSide) {
    const newQty = old.plus(signedQty);
    const cost = old
      .abs()
      .times(pos.avgCost)
      .plus(signedQty.abs().times(unit))
      .plus(fut ? 0 : fee);
    pos.avgCost = cost.div(newQty.abs());
    pos.quantity = newQty;
    return cash;
  }
  const closeQty = Decimal.min(old.abs(), signedQty.abs());
  const direction = old.isNegative() ? -1 : 1;
  const gross = unit.minus(pos.avgCost).times(closeQty).times(direction);
  pos.realizedPnl = pos.realizedPnl.plus(gross).minus(fee);
  if (fut) cash = cash.plus(gross);
  const newQty = old.plus(signedQty);
  if (newQty.isZero()) {
    pos.quantity = newQty;
    pos.avgCost = new Decimal(0);
  } else if (newQty.isNegative() === old.isNegative()) {
    pos.quantity = newQty;
  } else {
    pos.quantity = newQty;
    pos.avgCost = unit;
  }
  return cash;
}

const EMPTY_REQUEST: PlaceOrderRequest = {
  orderId: 0,
  contract: {
    conId: 0,
    symbol: '',
    secType: '',
    lastTradeDateOrContractMonth: '',
    strike: undefined,
    right: '',
    multiplier: '',
    exchange: '',
    primaryExch: '',
    currency: '',
    localSymbol: '',
    tradingClass: '',
  },
  action: 'BUY',
  totalQuantity: undefined,
  orderType: 'MKT',
  lmtPrice: undefined,
  auxPrice: undefined,
  tif: 'DAY',
  ocaGroup: '',
  account: '',
  openClose: '',
  origin: 0,
  orderRef: '',
  transmit: true,
  parentId: 0,
  blockOrder: false,
  sweepToFill: false,
  displaySize: undefined,
  triggerMethod: 0,
  outsideRth: false,
  hidden: false,
  discretionaryAmt: undefined,
  goodAfterTime: '',
  goodTillDate: '',
  modelCode: '',
  ocaType: 0,
  allOrNone: false,
  minQty: undefined,
  trailStopPrice: undefined,
  trailingPercent: undefined,
  algoStrategy: '',
  algoParams: [],
  whatIf: false,
  cashQty: undefined,
  usePriceMgmtAlgo: false,
  autoCancelParent: false,
  manualOrderTime: '',
  customerAccount: '',
  professionalCustomer: false,
  includeOvernight: false,
  fieldsRead: 0,
  fieldsTotal: 0,
};
