/**
 * Client → TWS message parsers for the requests the emulator serves. Layouts follow what
 * @stoqey/ib 1.6.x `core/io/encoder.js` writes (and IB's EClient) at server versions >= 145.
 */
import { FieldReader, IN, SV } from './protocol';
import type { ContractQuery, PlaceOrderRequest } from './types';

export type ClientRequest =
  | { type: 'startApi'; clientId: number; capabilities: string }
  | { type: 'reqMktData'; reqId: number; contract: ContractQuery; genericTicks: string; snapshot: boolean; regulatorySnapshot: boolean }
  | { type: 'cancelMktData'; reqId: number }
  | { type: 'placeOrder'; order: PlaceOrderRequest }
  | { type: 'cancelOrder'; orderId: number; manualOrderCancelTime: string }
  | { type: 'reqOpenOrders' }
  | { type: 'reqAccountUpdates'; subscribe: boolean; account: string }
  | { type: 'reqExecutions'; reqId: number; filter: ExecutionFilterQuery }
  | { type: 'reqIds'; numIds: number }
  | { type: 'reqContractDetails'; reqId: number; contract: ContractQuery }
  | { type: 'reqAutoOpenOrders'; autoBind: boolean }
  | { type: 'reqAllOpenOrders' }
  | { type: 'reqManagedAccts' }
  | { type: 'reqCurrentTime' }
  | { type: 'reqGlobalCancel' }
  | { type: 'reqMarketDataType'; marketDataType: number }
  | { type: 'reqPositions' }
  | { type: 'cancelPositions' }
  | { type: 'reqAccountSummary'; reqId: number; group: string; tags: string }
  | { type: 'cancelAccountSummary'; reqId: number }
  | { type: 'reqCompletedOrders'; apiOnly: boolean }
  | { type: 'setServerLogLevel'; level: number }
  | { type: 'unsupported'; msgId: number };

export interface ExecutionFilterQuery {
  clientId: number;
  account: string;
  time: string;
  symbol: string;
  secType: string;
  exchange: string;
  side: string;
}

/** conId, symbol, secType, lastTradeDate, strike, right, multiplier, exchange, primaryExch, currency, localSymbol, tradingClass. */
function readContract(r: FieldReader): ContractQuery {
  return {
    conId: r.int(),
    symbol: r.str(),
    secType: r.str(),
    lastTradeDateOrContractMonth: r.str(),
    strike: r.num(),
    right: r.str(),
    multiplier: r.str(),
    exchange: r.str(),
    primaryExch: r.str(),
    currency: r.str(),
    localSymbol: r.str(),
    tradingClass: r.str(),
  };
}

function isBag(secType: string): boolean {
  return secType.trim().toUpperCase() === 'BAG';
}

/** placeOrder (3) at >= 145: no message version. Reads every field so a layout slip shows up as a count mismatch. */
export function parsePlaceOrder(sv: number, fields: readonly string[]): PlaceOrderRequest {
  const r = new FieldReader(fields);
  r.skip(); // message id
  const orderId = r.int();
  const contract = readContract(r);
  contract.secIdType = r.str();
  contract.secId = r.str();
  const action = r.str();
  const totalQuantity = r.num();
  const orderType = r.str();
  const lmtPrice = r.num();
  const auxPrice = r.num();
  const tif = r.str();
  const ocaGroup = r.str();
  const account = r.str();
  const openClose = r.str();
  const origin = r.int();
  const orderRef = r.str();
  const transmitText = r.str();
  const transmit = transmitText === '' ? true : transmitText === '1' || transmitText.toLowerCase() === 'true';
  const parentId = r.int();
  const blockOrder = r.bool();
  const sweepToFill = r.bool();
  const displaySize = r.intOrUndef();
  const triggerMethod = r.int();
  const outsideRth = r.bool();
  const hidden = r.bool();
  if (isBag(contract.secType)) {
    const legs = r.int();
    r.skip(legs * 8); // conId, ratio, action, exchange, openClose, shortSaleSlot, designatedLocation, exemptCode
    const orderLegs = r.int();
    r.skip(orderLegs);
    const smartParams = r.int();
    r.skip(smartParams * 2);
  }
  r.skip(); // sharesAllocation (deprecated, empty)
  const discretionaryAmt = r.num();
  const goodAfterTime = r.str();
  const goodTillDate = r.str();
  r.skip(3); // faGroup, faMethod, faPercentage
  if (sv < SV.FA_PROFILE_DESUPPORT) r.skip(); // faProfile
  const modelCode = r.str();
  r.skip(3); // shortSaleSlot, designatedLocation, exemptCode
  const ocaType = r.int();
  r.skip(2); // rule80A, settlingFirm
  const allOrNone = r.bool();
  const minQty = r.intOrUndef();
  r.skip(); // percentOffset
  r.skip(2); // eTradeOnly, firmQuoteOnly
  r.skip(2); // nbboPriceCap, auctionStrategy
  r.skip(3); // startingPrice, stockRefPrice, delta
  r.skip(2); // stockRangeLower, stockRangeUpper
  r.skip(); // overridePercentageConstraints
  r.skip(2); // volatility, volatilityType
  const dnOrderType = r.str();
  r.skip(); // deltaNeutralAuxPrice
  if (dnOrderType !== '') r.skip(8); // conId, settlingFirm, clearingAccount, clearingIntent, openClose, shortSale, shortSaleSlot, designatedLocation
  r.skip(2); // continuousUpdate, referencePriceType
  const trailStopPrice = r.num();
  const trailingPercent = r.num();
  r.skip(2); // scaleInitLevelSize, scaleSubsLevelSize
  const scalePriceIncrement = r.str();
  if (scalePriceIncrement !== '') r.skip(7); // @stoqey/ib sends the scale block whenever the increment is set
  r.skip(3); // scaleTable, activeStartTime, activeStopTime
  const hedgeType = r.str();
  if (hedgeType !== '') r.skip(); // hedgeParam
  r.skip(); // optOutSmartRouting
  r.skip(2); // clearingAccount, clearingIntent
  r.skip(); // notHeld
  if (r.bool()) r.skip(3); // delta-neutral contract: conId, delta, price
  const algoStrategy = r.str();
  const algoParams: Array<{ tag: string; value: string }> = [];
  if (algoStrategy !== '') {
    const n = r.int();
    for (let i = 0; i < n; i++) algoParams.push({ tag: r.str(), value: r.str() });
  }
  r.skip(); // algoId
  const whatIf = r.bool();
  r.skip(); // orderMiscOptions
  r.skip(); // solicited
  r.skip(2); // randomizeSize, randomizePrice
  const ot = orderType.trim().toUpperCase();
  if (ot === 'PEG BENCH' || ot === 'PEGBENCH') r.skip(5);
  const nConditions = r.int();
  for (let i = 0; i < nConditions; i++) {
    const condType = r.int();
    r.skip(); // conjunction
    // 1 price, 3 time, 4 margin, 5 execution, 6 volume, 7 percent change
    const extra: Record<number, number> = { 1: 5, 3: 2, 4: 2, 5: 3, 6: 4, 7: 4 };
    r.skip(extra[condType] ?? 0);
  }
  if (nConditions > 0) r.skip(2); // conditionsIgnoreRth, conditionsCancelOrder
  r.skip(7); // adjustedOrderType, triggerPrice, lmtPriceOffset, adjustedStopPrice, adjustedStopLimitPrice, adjustedTrailingAmount, adjustableTrailingUnit
  r.skip(); // extOperator
  r.skip(2); // softDollarTier name, value
  const cashQty = r.num();
  r.skip(4); // mifid2 decision maker/algo, execution trader/algo
  r.skip(3); // dontUseAutoPriceForHedge, isOmsContainer, discretionaryUpToLimitPrice
  const usePriceMgmtAlgo = r.bool();
  r.skip(2); // duration, postToAts
  const autoCancelParent = r.bool();
  r.skip(); // advancedErrorOverride
  const manualOrderTime = r.str();
  if (sv >= SV.PEGBEST_PEGMID_OFFSETS) {
    if (contract.exchange.trim().toUpperCase() === 'IBKRATS') r.skip(); // minTradeQty
    let midOffsets = false;
    if (ot === 'PEG BEST' || ot === 'PEGBEST') {
      r.skip(); // minCompeteSize
      const compete = r.str();
      if (compete === 'Infinity') midOffsets = true;
    } else if (ot === 'PEG MID' || ot === 'PEGMID') {
      midOffsets = true;
    }
    if (midOffsets) r.skip(2);
  }
  const customerAccount = sv >= SV.CUSTOMER_ACCOUNT ? r.str() : '';
  const professionalCustomer = sv >= SV.PROFESSIONAL_CUSTOMER ? r.bool() : false;
  if (sv >= SV.RFQ_FIELDS && sv < SV.UNDO_RFQ_FIELDS) r.skip(2);
  const includeOvernight = sv >= SV.INCLUDE_OVERNIGHT ? r.bool() : false;
  if (sv >= SV.CME_TAGGING_FIELDS) r.skip(); // manualOrderIndicator
  return {
    orderId,
    contract,
    action,
    totalQuantity,
    orderType,
    lmtPrice,
    auxPrice,
    tif,
    ocaGroup,
    account,
    openClose,
    origin,
    orderRef,
    transmit,
    parentId,
    blockOrder,
    sweepToFill,
    displaySize,
    triggerMethod,
    outsideRth,
    hidden,
    discretionaryAmt,
    goodAfterTime,
    goodTillDate,
    modelCode,
    ocaType,
    allOrNone,
    minQty,
    trailStopPrice,
    trailingPercent,
    algoStrategy,
    algoParams,
    whatIf,
    cashQty,
    usePriceMgmtAlgo,
    autoCancelParent,
    manualOrderTime,
    customerAccount,
    professionalCustomer,
    includeOvernight,
    fieldsRead: r.consumed,
    fieldsTotal: fields.length,
  };
}

/** Parses one client message (the handshake already negotiated `sv`). */
export function parseRequest(sv: number, fields: readonly string[]): ClientRequest {
  const r = new FieldReader(fields);
  const msgId = r.int();
  switch (msgId) {
    case IN.START_API: {
      r.skip(); // version 2
      const clientId = r.int();
      return { type: 'startApi', clientId, capabilities: r.str() };
    }
    case IN.REQ_MKT_DATA: {
      r.skip(); // version 11
      const reqId = r.int();
      const contract = readContract(r);
      if (isBag(contract.secType)) {
        const n = r.int();
        r.skip(n * 4);
      }
      if (r.bool()) r.skip(3); // delta-neutral contract
      const genericTicks = r.str();
      const snapshot = r.bool();
      const regulatorySnapshot = r.bool();
      return { type: 'reqMktData', reqId, contract, genericTicks, snapshot, regulatorySnapshot };
    }
    case IN.CANCEL_MKT_DATA:
      r.skip();
      return { type: 'cancelMktData', reqId: r.int() };
    case IN.PLACE_ORDER:
      return { type: 'placeOrder', order: parsePlaceOrder(sv, fields) };
    case IN.CANCEL_ORDER: {
      if (sv < SV.CME_TAGGING_FIELDS) r.skip(); // version 1
      const orderId = r.int();
      const manualOrderCancelTime = sv >= SV.MANUAL_ORDER_TIME ? r.str() : '';
      return { type: 'cancelOrder', orderId, manualOrderCancelTime };
    }
    case IN.REQ_OPEN_ORDERS:
      return { type: 'reqOpenOrders' };
    case IN.REQ_ACCOUNT_DATA: {
      r.skip();
      const subscribe = r.bool();
      return { type: 'reqAccountUpdates', subscribe, account: r.str() };
    }
    case IN.REQ_EXECUTIONS: {
      r.skip(); // version 3
      const reqId = r.int();
      const filter: ExecutionFilterQuery = {
        clientId: r.int(),
        account: r.str(),
        time: r.str(),
        symbol: r.str(),
        secType: r.str(),
        exchange: r.str(),
        side: r.str(),
      };
      return { type: 'reqExecutions', reqId, filter };
    }
    case IN.REQ_IDS:
      r.skip();
      return { type: 'reqIds', numIds: r.int() };
    case IN.REQ_CONTRACT_DATA: {
      r.skip(); // version 8
      const reqId = r.int();
      const contract = readContract(r);
      contract.includeExpired = r.bool();
      contract.secIdType = r.str();
      contract.secId = r.str();
      if (sv >= SV.BOND_ISSUERID) contract.issuerId = r.str();
      return { type: 'reqContractDetails', reqId, contract };
    }
    case IN.REQ_AUTO_OPEN_ORDERS:
      r.skip();
      return { type: 'reqAutoOpenOrders', autoBind: r.bool() };
    case IN.REQ_ALL_OPEN_ORDERS:
      return { type: 'reqAllOpenOrders' };
    case IN.REQ_MANAGED_ACCTS:
      return { type: 'reqManagedAccts' };
    case IN.REQ_CURRENT_TIME:
      return { type: 'reqCurrentTime' };
    case IN.REQ_GLOBAL_CANCEL:
      return { type: 'reqGlobalCancel' };
    case IN.REQ_MARKET_DATA_TYPE:
      r.skip();
      return { type: 'reqMarketDataType', marketDataType: r.int() };
    case IN.REQ_POSITIONS:
      return { type: 'reqPositions' };
    case IN.CANCEL_POSITIONS:
      return { type: 'cancelPositions' };
    case IN.REQ_ACCOUNT_SUMMARY: {
      r.skip();
      const reqId = r.int();
      const group = r.str();
      return { type: 'reqAccountSummary', reqId, group, tags: r.str() };
    }
    case IN.CANCEL_ACCOUNT_SUMMARY:
      r.skip();
      return { type: 'cancelAccountSummary', reqId: r.int() };
    case IN.REQ_COMPLETED_ORDERS:
      return { type: 'reqCompletedOrders', apiOnly: r.bool() };
    case IN.SET_SERVER_LOGLEVEL:
      r.skip();
      return { type: 'setServerLogLevel', level: r.int() };
    default:
      return { type: 'unsupported', msgId };
  }
}
