/**
 * TWS → client message builders. Each returns the message's fields (message id first) exactly as
 * TWS puts them on the wire at the given server version. Field orders follow @stoqey/ib 1.6.x
 * `core/io/decoder.js` (decodeMsg_* and its OrderDecoder) and IB's EDecoder / EOrderDecoder;
 * see README.md for the per-message sources. Written from those layouts, not copied.
 */
import type { Decimal } from '../../../src-main/engine/domain/money';
import { OUT, SV, UNSET_DOUBLE, UNSET_INT, type Fields } from './protocol';
import type { ContractSpec, EmuExecution, EmuOrder, EmuPosition, WhatIfResult } from './types';

type Scalar = string | number | boolean | undefined;

function f(v: Scalar): string {
  if (v === undefined) return '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v);
}

/** A double field where TWS writes Double.MAX_VALUE for "unset". */
function dbl(d: Decimal | undefined): string {
  return d === undefined ? UNSET_DOUBLE : d.toFixed();
}

/** A double field where TWS writes 0 when there is nothing to say (e.g. lmtPrice of a MKT order). */
function dbl0(d: Decimal | undefined): string {
  return d === undefined ? '0' : d.toFixed();
}

function intOrUnset(n: number | undefined): string {
  return n === undefined ? UNSET_INT : String(n);
}

// ---------------------------------------------------------------------------------------------
// Connection, ids, errors, time

export function managedAccounts(accounts: readonly string[]): Fields {
  return [f(OUT.MANAGED_ACCTS), '1', accounts.join(',')];
}

export function nextValidId(id: number): Fields {
  return [f(OUT.NEXT_VALID_ID), '1', f(id)];
}

export function currentTime(epochSeconds: number): Fields {
  return [f(OUT.CURRENT_TIME), '1', f(epochSeconds)];
}

/** Non-ASCII text is sent as \uXXXX escapes from server version 153 (ENCODE_MSG_ASCII7). */
function ascii7(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function error(sv: number, id: number, code: number, message: string, advancedOrderRejectJson = ''): Fields {
  const out = [f(OUT.ERR_MSG), '2', f(id), f(code), ascii7(message)];
  if (sv >= SV.ADVANCED_ORDER_REJECT) out.push(ascii7(advancedOrderRejectJson));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Contracts

export function contractData(sv: number, reqId: number, c: ContractSpec): Fields {
  const out: Fields = [f(OUT.CONTRACT_DATA)];
  if (sv < SV.SIZE_RULES) out.push('8');
  out.push(f(reqId), c.symbol, c.secType, c.lastTradeDateOrContractMonth);
  if (sv >= SV.LAST_TRADE_DATE) out.push(c.lastTradeDateOrContractMonth);
  out.push(c.strike, c.right, c.exchange, c.currency, c.localSymbol, c.marketName, c.tradingClass, f(c.conId), c.minTick);
  if (sv >= SV.MD_SIZE_MULTIPLIER && sv < SV.SIZE_RULES) out.push('1');
  out.push(c.multiplier, c.orderTypes, c.validExchanges, '1' /* priceMagnifier */, f(c.underConId));
  out.push(ascii7(c.longName), c.primaryExch);
  out.push(c.contractMonth, c.industry, c.category, c.subcategory, c.timeZoneId, c.tradingHours, c.liquidHours);
  out.push('' /* evRule */, UNSET_DOUBLE /* evMultiplier */);
  out.push(f(c.secIdList.length));
  for (const t of c.secIdList) out.push(t.tag, t.value);
  out.push(f(c.aggGroup), c.underSymbol, c.underSecType, c.marketRuleIds, c.realExpirationDate, c.stockType);
  if (sv >= SV.FRACTIONAL_SIZE_SUPPORT && sv < SV.SIZE_RULES) out.push(c.sizeIncrement);
  if (sv >= SV.SIZE_RULES) out.push(c.minSize, c.sizeIncrement, c.suggestedSizeIncrement);
  // Fund fields (>= 179) only for secType FUND, which the catalog does not hold.
  if (sv >= SV.INELIGIBILITY_REASONS) out.push('0');
  return out;
}

export function contractDataEnd(reqId: number): Fields {
  return [f(OUT.CONTRACT_DATA_END), '1', f(reqId)];
}

// ---------------------------------------------------------------------------------------------
// Orders

/** Contract block shared by openOrder, completedOrder and execDetails. */
function orderContract(c: ContractSpec, exchange: string): Fields {
  return [f(c.conId), c.symbol, c.secType, c.lastTradeDateOrContractMonth, c.strike, c.right, c.multiplier, exchange, c.currency, c.localSymbol, c.tradingClass];
}

const NO_WHAT_IF: WhatIfResult = {
  initMarginBefore: UNSET_DOUBLE,
  maintMarginBefore: UNSET_DOUBLE,
  equityWithLoanBefore: UNSET_DOUBLE,
  initMarginChange: UNSET_DOUBLE,
  maintMarginChange: UNSET_DOUBLE,
  equityWithLoanChange: UNSET_DOUBLE,
  initMarginAfter: UNSET_DOUBLE,
  maintMarginAfter: UNSET_DOUBLE,
  equityWithLoanAfter: UNSET_DOUBLE,
  commission: UNSET_DOUBLE,
  minCommission: UNSET_DOUBLE,
  maxCommission: UNSET_DOUBLE,
  commissionCurrency: '',
  warningText: '',
};

/**
 * openOrder (5) at server version >= 145 (ORDER_CONTAINER: no message version field).
 * Field for field the order @stoqey/ib's decodeMsg_OPEN_ORDER calls its OrderDecoder in.
 */
export function openOrder(sv: number, o: EmuOrder, whatIf?: WhatIfResult): Fields {
  const w = whatIf ?? NO_WHAT_IF;
  const out: Fields = [f(OUT.OPEN_ORDER)];
  out.push(f(o.orderId));
  out.push(...orderContract(o.contract, o.exchange));
  out.push(o.action, o.totalQuantity.toFixed(), o.orderType, dbl0(o.lmtPrice), dbl0(o.auxPrice));
  out.push(o.tif, o.ocaGroup, o.account, o.openClose, f(o.origin), o.orderRef);
  out.push(f(o.clientId), f(o.permId), f(o.outsideRth), f(o.hidden), '0' /* discretionaryAmt */, o.goodAfterTime);
  out.push('' /* sharesAllocation, deprecated */);
  out.push('', '', ''); // faGroup, faMethod, faPercentage
  if (sv < SV.FA_PROFILE_DESUPPORT) out.push(''); // faProfile
  out.push(o.modelCode); // >= MODELS_SUPPORT (order version == server version here)
  out.push(o.goodTillDate, '' /* rule80A */, UNSET_DOUBLE /* percentOffset */, '' /* settlingFirm */);
  out.push('0' /* shortSaleSlot */, '' /* designatedLocation */, '-1' /* exemptCode */);
  out.push('0' /* auctionStrategy */);
  out.push(UNSET_DOUBLE, UNSET_DOUBLE, UNSET_DOUBLE); // startingPrice, stockRefPrice, delta
  out.push(UNSET_DOUBLE, UNSET_DOUBLE); // stockRangeLower, stockRangeUpper
  out.push(intOrUnset(o.displaySize));
  out.push('0', '0', '0'); // blockOrder, sweepToFill, allOrNone
  out.push(UNSET_INT /* minQty */, f(o.ocaType));
  out.push('0', '0', UNSET_DOUBLE); // eTradeOnly, firmQuoteOnly, nbboPriceCap
  out.push(f(o.parentId), f(o.triggerMethod));
  // volatility order params (readOpenOrderAttribs = true); empty delta-neutral type = no extra block
  out.push(UNSET_DOUBLE /* volatility */, '0' /* volatilityType */, '' /* deltaNeutralOrderType */, UNSET_DOUBLE /* deltaNeutralAuxPrice */);
  out.push('0' /* continuousUpdate */, '0' /* referencePriceType */);
  out.push(dbl(o.trailStopPrice), dbl(o.trailingPercent));
  out.push(UNSET_DOUBLE /* basisPoints */, UNSET_INT /* basisPointsType */);
  out.push('' /* comboLegsDescription */, '0' /* comboLegs */, '0' /* orderComboLegs */);
  out.push('0' /* smartComboRoutingParams */);
  out.push(UNSET_INT, UNSET_INT, UNSET_DOUBLE); // scaleInitLevelSize, scaleSubsLevelSize, scalePriceIncrement (unset: no scale block)
  out.push('' /* hedgeType: empty, so no hedgeParam */);
  out.push('0' /* optOutSmartRouting */);
  out.push('', ''); // clearingAccount, clearingIntent
  out.push('0' /* notHeld */);
  out.push('0' /* deltaNeutralContract present */);
  out.push(o.algoStrategy);
  if (o.algoStrategy !== '') {
    out.push(f(o.algoParams.length));
    for (const p of o.algoParams) out.push(p.tag, p.value);
  }
  out.push('0' /* solicited */);
  out.push(f(whatIf !== undefined), o.status);
  if (sv >= SV.WHAT_IF_EXT_FIELDS) {
    out.push(w.initMarginBefore, w.maintMarginBefore, w.equityWithLoanBefore, w.initMarginChange, w.maintMarginChange, w.equityWithLoanChange);
  }
  out.push(w.initMarginAfter, w.maintMarginAfter, w.equityWithLoanAfter, w.commission, w.minCommission, w.maxCommission, w.commissionCurrency, w.warningText);
  out.push('0', '0'); // randomizeSize, randomizePrice
  // PEG BENCH params only for PEG BENCH orders, which the emulator rejects.
  out.push('0' /* conditions */);
  out.push('' /* adjustedOrderType */, UNSET_DOUBLE /* triggerPrice */);
  out.push(dbl(o.trailStopPrice), UNSET_DOUBLE /* lmtPriceOffset */);
  out.push(UNSET_DOUBLE, UNSET_DOUBLE, UNSET_DOUBLE, '0'); // adjustedStopPrice, adjustedStopLimitPrice, adjustedTrailingAmount, adjustableTrailingUnit
  out.push('', '', ''); // softDollarTier name, value, displayName
  out.push(UNSET_DOUBLE /* cashQty */);
  out.push('0' /* dontUseAutoPriceForHedge */, '0' /* isOmsContainer */, '0' /* discretionaryUpToLimitPrice */, '0' /* usePriceMgmtAlgo */);
  out.push(UNSET_INT /* duration */, UNSET_INT /* postToAts */);
  if (sv >= SV.AUTO_CANCEL_PARENT) out.push('0');
  if (sv >= SV.PEGBEST_PEGMID_OFFSETS) out.push(UNSET_INT, UNSET_INT, UNSET_DOUBLE, UNSET_DOUBLE, UNSET_DOUBLE);
  if (sv >= SV.CUSTOMER_ACCOUNT) out.push('');
  if (sv >= SV.PROFESSIONAL_CUSTOMER) out.push('0');
  if (sv >= SV.BOND_ACCRUED_INTEREST) out.push('');
  if (sv >= SV.INCLUDE_OVERNIGHT) out.push('0');
  if (sv >= SV.CME_TAGGING_FIELDS_IN_OPEN_ORDER) out.push('', UNSET_INT);
  return out;
}

export function openOrderEnd(): Fields {
  return [f(OUT.OPEN_ORDER_END), '1'];
}

/** orderStatus (3) at >= 131 (MARKET_CAP_PRICE): no message version, mktCapPrice last. */
export function orderStatus(o: EmuOrder): Fields {
  const remaining = o.totalQuantity.minus(o.filled);
  return [
    f(OUT.ORDER_STATUS),
    f(o.orderId),
    o.status,
    o.filled.toFixed(),
    remaining.toFixed(),
    o.avgFillPrice.toFixed(),
    f(o.permId),
    f(o.parentId),
    o.lastFillPrice.toFixed(),
    f(o.clientId),
    o.whyHeld,
    '0',
  ];
}

/**
 * completedOrder (101): no order id, and its own field order (@stoqey/ib decodeMsg_COMPLETED_ORDER,
 * where the order "version" is Number.MAX_VALUE so every versioned field is present).
 */
export function completedOrder(sv: number, o: EmuOrder, completedTime: string): Fields {
  const out: Fields = [f(OUT.COMPLETED_ORDER)];
  out.push(...orderContract(o.contract, o.exchange));
  out.push(o.action, o.totalQuantity.toFixed(), o.orderType, dbl0(o.lmtPrice), dbl0(o.auxPrice));
  out.push(o.tif, o.ocaGroup, o.account, o.openClose, f(o.origin), o.orderRef);
  out.push(f(o.permId), f(o.outsideRth), f(o.hidden), '0' /* discretionaryAmt */, o.goodAfterTime);
  out.push('', '', ''); // faGroup, faMethod, faPercentage (faProfile never: version is MAX_VALUE)
  out.push(o.modelCode, o.goodTillDate, '' /* rule80A */, UNSET_DOUBLE /* percentOffset */, '' /* settlingFirm */);
  out.push('0', '', '-1'); // shortSaleSlot, designatedLocation, exemptCode
  out.push(UNSET_DOUBLE, UNSET_DOUBLE, UNSET_DOUBLE); // startingPrice, stockRefPrice, delta
  out.push(UNSET_DOUBLE, UNSET_DOUBLE); // stockRangeLower, stockRangeUpper
  out.push(intOrUnset(o.displaySize), '0' /* sweepToFill */, '0' /* allOrNone */, UNSET_INT /* minQty */, f(o.ocaType), f(o.triggerMethod));
  out.push(UNSET_DOUBLE, '0', '', UNSET_DOUBLE, '0', '0'); // volatility, volatilityType, dnOrderType, dnAuxPrice, continuousUpdate, referencePriceType
  out.push(dbl(o.trailStopPrice), dbl(o.trailingPercent));
  out.push('', '0', '0'); // comboLegsDescription, comboLegs, orderComboLegs
  out.push('0'); // smartComboRoutingParams
  out.push(UNSET_INT, UNSET_INT, UNSET_DOUBLE); // scale
  out.push(''); // hedgeType
  out.push('', ''); // clearingAccount, clearingIntent
  out.push('0', '0'); // notHeld, deltaNeutralContract present
  out.push(o.algoStrategy);
  if (o.algoStrategy !== '') {
    out.push(f(o.algoParams.length));
    for (const p of o.algoParams) out.push(p.tag, p.value);
  }
  out.push('0' /* solicited */, o.status);
  out.push('0', '0'); // randomizeSize, randomizePrice
  out.push('0'); // conditions
  out.push(dbl(o.trailStopPrice), UNSET_DOUBLE); // trailStopPrice, lmtPriceOffset
  out.push(UNSET_DOUBLE /* cashQty */, '0' /* dontUseAutoPriceForHedge */, '0' /* isOmsContainer */);
  out.push('' /* autoCancelDate */, o.filled.toFixed(), '0' /* refFuturesConId */, '0' /* autoCancelParent */);
  out.push('' /* shareholder */, '0' /* imbalanceOnly */, '0' /* routeMarketableToBbo */, f(o.parentPermId));
  out.push(completedTime, o.completedStatus);
  if (sv >= SV.PEGBEST_PEGMID_OFFSETS) out.push(UNSET_INT, UNSET_INT, UNSET_DOUBLE, UNSET_DOUBLE, UNSET_DOUBLE);
  if (sv >= SV.CUSTOMER_ACCOUNT) out.push('');
  if (sv >= SV.PROFESSIONAL_CUSTOMER) out.push('0');
  return out;
}

export function completedOrdersEnd(): Fields {
  return [f(OUT.COMPLETED_ORDERS_END)];
}

// ---------------------------------------------------------------------------------------------
// Executions

/** execDetails (11) at >= 136 (LAST_LIQUIDITY): no message version field. */
export function execDetails(sv: number, reqId: number, e: EmuExecution, timeText: string): Fields {
  const out: Fields = [f(OUT.EXECUTION_DATA), f(reqId), f(e.orderId)];
  out.push(...orderContract(e.contract, e.exchange));
  out.push(e.execId, timeText, e.account, e.exchange, e.side, e.shares.toFixed(), e.price.toFixed());
  out.push(f(e.permId), f(e.clientId), '0' /* liquidation */, e.cumQty.toFixed(), e.avgPrice.toFixed(), e.orderRef);
  out.push('' /* evRule */, UNSET_DOUBLE /* evMultiplier */, '' /* modelCode */, f(e.lastLiquidity));
  if (sv >= SV.PENDING_PRICE_REVISION) out.push('0');
  return out;
}

export function execDetailsEnd(reqId: number): Fields {
  return [f(OUT.EXECUTION_DATA_END), '1', f(reqId)];
}

export function commissionReport(e: EmuExecution): Fields {
  return [
    f(OUT.COMMISSION_REPORT),
    '1',
    e.execId,
    e.commission.toFixed(),
    e.commissionCurrency,
    dbl(e.realizedPnl),
    UNSET_DOUBLE, // yield
    '0', // yieldRedemptionDate
  ];
}

// ---------------------------------------------------------------------------------------------
// Positions and account

export function position(account: string, p: EmuPosition): Fields {
  const c = p.contract;
  return [
    f(OUT.POSITION),
    '3',
    account,
    f(c.conId),
    c.symbol,
    c.secType,
    c.lastTradeDateOrContractMonth,
    c.strike,
    c.right,
    c.multiplier,
    c.exchange === 'SMART' ? c.primaryExch || c.exchange : c.exchange,
    c.currency,
    c.localSymbol,
    c.tradingClass,
    p.quantity.toFixed(),
    p.avgCost.toFixed(),
  ];
}

export function positionEnd(): Fields {
  return [f(OUT.POSITION_END), '1'];
}

export function accountSummary(reqId: number, account: string, tag: string, value: string, currency: string): Fields {
  return [f(OUT.ACCOUNT_SUMMARY), '1', f(reqId), account, tag, value, currency];
}

export function accountSummaryEnd(reqId: number): Fields {
  return [f(OUT.ACCOUNT_SUMMARY_END), '1', f(reqId)];
}

export function accountValue(key: string, value: string, currency: string, account: string): Fields {
  return [f(OUT.ACCT_VALUE), '2', key, value, currency, account];
}

export function portfolioValue(p: EmuPosition, marketPrice: Decimal, marketValue: Decimal, unrealizedPnl: Decimal, account: string): Fields {
  const c = p.contract;
  return [
    f(OUT.PORTFOLIO_VALUE),
    '8',
    f(c.conId),
    c.symbol,
    c.secType,
    c.lastTradeDateOrContractMonth,
    c.strike,
    c.right,
    c.multiplier,
    c.primaryExch,
    c.currency,
    c.localSymbol,
    c.tradingClass,
    p.quantity.toFixed(),
    marketPrice.toFixed(),
    marketValue.toFixed(),
    p.avgCost.toFixed(),
    unrealizedPnl.toFixed(),
    p.realizedPnl.toFixed(),
    account,
  ];
}

export function accountUpdateTime(hhmm: string): Fields {
  return [f(OUT.ACCT_UPDATE_TIME), '1', hhmm];
}

export function accountDownloadEnd(account: string): Fields {
  return [f(OUT.ACCT_DOWNLOAD_END), '1', account];
}

// ---------------------------------------------------------------------------------------------
// Market data

export const TICK = {
  BID_SIZE: 0,
  BID: 1,
  ASK: 2,
  ASK_SIZE: 3,
  LAST: 4,
  LAST_SIZE: 5,
  HIGH: 6,
  LOW: 7,
  VOLUME: 8,
  CLOSE: 9,
  LAST_TIMESTAMP: 45,
} as const;

/**
 * tickPrice (1), message version 6: price, size, then the attribute bit mask
 * (bit 0 canAutoExecute, bit 1 pastLimit, bit 2 preOpen).
 */
export function tickPrice(reqId: number, tickType: number, price: Decimal, size: Decimal | undefined, attrMask: number): Fields {
  return [f(OUT.TICK_PRICE), '6', f(reqId), f(tickType), price.toFixed(), size === undefined ? '' : size.toFixed(), f(attrMask)];
}

export function tickSize(reqId: number, tickType: number, size: Decimal): Fields {
  return [f(OUT.TICK_SIZE), '6', f(reqId), f(tickType), size.toFixed()];
}

export function tickString(reqId: number, tickType: number, value: string): Fields {
  return [f(OUT.TICK_STRING), '6', f(reqId), f(tickType), value];
}

/** tickReqParams (81): minTick is sent as TWS sends it; @stoqey/ib reads it as an integer (known quirk). */
export function tickReqParams(reqId: number, minTick: string, bboExchange: string, snapshotPermissions: number): Fields {
  return [f(OUT.TICK_REQ_PARAMS), f(reqId), minTick, bboExchange, f(snapshotPermissions)];
}

export function tickSnapshotEnd(reqId: number): Fields {
  return [f(OUT.TICK_SNAPSHOT_END), '1', f(reqId)];
}

export function marketDataType(reqId: number, type: number): Fields {
  return [f(OUT.MARKET_DATA_TYPE), '1', f(reqId), f(type)];
}
