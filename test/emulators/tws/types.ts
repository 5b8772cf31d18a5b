import type { Decimal } from '../../../src-main/engine/domain/money';

export type SecType = 'STK' | 'FUT' | 'OPT' | 'CASH';

/** One instrument TWS knows, with the fields its contract details carry. */
export interface ContractSpec {
  conId: number;
  symbol: string;
  secType: SecType;
  /** YYYYMMDD for derivatives, '' otherwise. */
  lastTradeDateOrContractMonth: string;
  /** Decimal text, '0' when not an option. */
  strike: string;
  right: '' | 'C' | 'P';
  /** '' for stocks and forex, as TWS sends it. */
  multiplier: string;
  /** Routing exchange reported in contract details (SMART, CME, IDEALPRO). */
  exchange: string;
  primaryExch: string;
  currency: string;
  localSymbol: string;
  tradingClass: string;
  marketName: string;
  /** Decimal text as Java prints a double ("0.01", "0.25", "5.0E-5"). */
  minTick: string;
  longName: string;
  contractMonth: string;
  industry: string;
  category: string;
  subcategory: string;
  timeZoneId: string;
  tradingHours: string;
  liquidHours: string;
  orderTypes: string;
  validExchanges: string;
  underConId: number;
  underSymbol: string;
  underSecType: string;
  stockType: string;
  minSize: string;
  sizeIncrement: string;
  suggestedSizeIncrement: string;
  realExpirationDate: string;
  lastTradeTime: string;
  aggGroup: number;
  marketRuleIds: string;
  secIdList: Array<{ tag: string; value: string }>;
}

/** The contract fields a client sends in reqContractDetails / reqMktData / placeOrder. */
export interface ContractQuery {
  conId: number;
  symbol: string;
  secType: string;
  lastTradeDateOrContractMonth: string;
  strike: string | undefined;
  right: string;
  multiplier: string;
  exchange: string;
  primaryExch: string;
  currency: string;
  localSymbol: string;
  tradingClass: string;
  includeExpired?: boolean;
  secIdType?: string;
  secId?: string;
  issuerId?: string;
}

export type OrderStatusText = 'PendingSubmit' | 'PreSubmitted' | 'Submitted' | 'Filled' | 'Cancelled' | 'Inactive' | 'PendingCancel' | 'ApiCancelled';

/** What a client sent in placeOrder, parsed. Prices and quantities stay decimal text. */
export interface PlaceOrderRequest {
  orderId: number;
  contract: ContractQuery;
  action: string;
  totalQuantity: string | undefined;
  orderType: string;
  lmtPrice: string | undefined;
  auxPrice: string | undefined;
  tif: string;
  ocaGroup: string;
  account: string;
  openClose: string;
  origin: number;
  orderRef: string;
  /** Empty on the wire counts as true (IB's Order default). */
  transmit: boolean;
  parentId: number;
  blockOrder: boolean;
  sweepToFill: boolean;
  displaySize: number | undefined;
  triggerMethod: number;
  outsideRth: boolean;
  hidden: boolean;
  discretionaryAmt: string | undefined;
  goodAfterTime: string;
  goodTillDate: string;
  modelCode: string;
  ocaType: number;
  allOrNone: boolean;
  minQty: number | undefined;
  trailStopPrice: string | undefined;
  trailingPercent: string | undefined;
  algoStrategy: string;
  algoParams: Array<{ tag: string; value: string }>;
  whatIf: boolean;
  cashQty: string | undefined;
  usePriceMgmtAlgo: boolean;
  autoCancelParent: boolean;
  manualOrderTime: string;
  customerAccount: string;
  professionalCustomer: boolean;
  includeOvernight: boolean;
  /** Number of wire fields the parser read; equals the message length when the layout matched. */
  fieldsRead: number;
  fieldsTotal: number;
}

/** An order as TWS holds it. */
export interface EmuOrder {
  orderId: number;
  clientId: number;
  permId: number;
  parentPermId: number;
  contract: ContractSpec;
  /** The exchange the order was routed to (e.g. SMART). */
  exchange: string;
  action: 'BUY' | 'SELL' | 'SSHORT';
  totalQuantity: Decimal;
  orderType: string;
  lmtPrice: Decimal | undefined;
  auxPrice: Decimal | undefined;
  tif: string;
  ocaGroup: string;
  ocaType: number;
  account: string;
  openClose: string;
  origin: number;
  orderRef: string;
  transmit: boolean;
  parentId: number;
  outsideRth: boolean;
  hidden: boolean;
  displaySize: number | undefined;
  triggerMethod: number;
  goodAfterTime: string;
  goodTillDate: string;
  trailStopPrice: Decimal | undefined;
  trailingPercent: Decimal | undefined;
  algoStrategy: string;
  algoParams: Array<{ tag: string; value: string }>;
  modelCode: string;
  status: OrderStatusText;
  filled: Decimal;
  avgFillPrice: Decimal;
  lastFillPrice: Decimal;
  /** A stop / trailing stop that has been elected and now works as market or limit. */
  triggered: boolean;
  /** It sat on the book (working, not marketable) at least once: a later fill added liquidity. */
  rested?: boolean;
  /** Placed "by hand in TWS" rather than through the API. */
  manual: boolean;
  whyHeld: string;
  createdAt: number;
  completedAt: number | undefined;
  completedStatus: string;
}

export interface EmuExecution {
  execId: string;
  orderId: number;
  clientId: number;
  permId: number;
  contract: ContractSpec;
  exchange: string;
  /** Epoch milliseconds. */
  time: number;
  account: string;
  side: 'BOT' | 'SLD';
  shares: Decimal;
  price: Decimal;
  cumQty: Decimal;
  avgPrice: Decimal;
  orderRef: string;
  commission: Decimal;
  commissionCurrency: string;
  /** undefined = TWS's unset (opening trades carry no realized P&L). */
  realizedPnl: Decimal | undefined;
  lastLiquidity: number;
}

export interface EmuPosition {
  contract: ContractSpec;
  quantity: Decimal;
  /** Per unit including the multiplier, commissions folded in (as TWS reports avgCost). */
  avgCost: Decimal;
  realizedPnl: Decimal;
}

export interface Quote {
  bid: Decimal;
  ask: Decimal;
  last: Decimal;
  bidSize: Decimal;
  askSize: Decimal;
  lastSize: Decimal;
  volume: Decimal;
  high: Decimal;
  low: Decimal;
  close: Decimal;
}

/** Margin preview as a whatIf openOrder carries it (decimal text). */
export interface WhatIfResult {
  initMarginBefore: string;
  maintMarginBefore: string;
  equityWithLoanBefore: string;
  initMarginChange: string;
  maintMarginChange: string;
  equityWithLoanChange: string;
  initMarginAfter: string;
  maintMarginAfter: string;
  equityWithLoanAfter: string;
  commission: string;
  minCommission: string;
  maxCommission: string;
  commissionCurrency: string;
  warningText: string;
}
