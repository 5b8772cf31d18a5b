/**
 * Feeds the emulator's encoded TWS → client messages to @stoqey/ib's own Decoder (the trick its
 * src/tests/unit/core/io tests use) and checks each decodes, with no leftover or missing field,
 * to the values the emulator meant, at server versions 193 and 176.
 */
import { describe, expect, it } from 'vitest';
import { Decoder } from '@stoqey/ib/dist/core/io/decoder';
import { EventName } from '@stoqey/ib';
import { Decimal } from '../../../src-main/engine/domain/money';
import { buildCatalog } from '../../emulators/tws/catalog';
import * as enc from '../../emulators/tws/encode';
import type { ContractSpec, EmuExecution, EmuOrder, EmuPosition, WhatIfResult } from '../../emulators/tws/types';

interface Decoded {
  events: Array<{ name: string; args: unknown[] }>;
  errors: Array<{ message: string; code: number }>;
  infos: Array<{ message: string; code: number }>;
}

function decode(sv: number, ...messages: string[][]): Decoded {
  const out: Decoded = { events: [], errors: [], infos: [] };
  const decoder = new Decoder({
    serverVersion: sv,
    emitEvent: (name: string, ...args: unknown[]) => out.events.push({ name, args }),
    emitError: (message: string, code: number) => out.errors.push({ message, code }),
    emitInfo: (message: string, code: number) => out.infos.push({ message, code }),
  } as unknown as ConstructorParameters<typeof Decoder>[0]);
  for (const m of messages) decoder.enqueueMessage(m);
  decoder.process();
  return out;
}

function only(d: Decoded, name: string): unknown[] {
  expect(d.errors).toEqual([]);
  const hits = d.events.filter((e) => e.name === name);
  expect(hits).toHaveLength(1);
  return hits[0]?.args ?? [];
}

const catalog = buildCatalog(new Date(Date.UTC(2026, 0, 2, 15, 0, 0)));
const byConId = (id: number): ContractSpec => {
  const c = catalog.byConId.get(id);
  if (!c) throw new Error(`no ${id}`);
  return c;
};
const AAPL = byConId(265598);
const ES = catalog.contracts.find((c) => c.symbol === 'ES' && c.secType === 'FUT') as ContractSpec;
const OPT = catalog.contracts.find((c) => c.secType === 'OPT' && c.strike === '200' && c.right === 'C') as ContractSpec;
const EUR = catalog.contracts.find((c) => c.secType === 'CASH') as ContractSpec;

function order(over: Partial<EmuOrder> = {}): EmuOrder {
  return {
    orderId: 7,
    clientId: 3,
    permId: 1100000042,
    parentPermId: 0,
    contract: AAPL,
    exchange: 'SMART',
    action: 'BUY',
    totalQuantity: new Decimal(100),
    orderType: 'LMT',
    lmtPrice: new Decimal('199.5'),
    auxPrice: undefined,
    tif: 'GTC',
    ocaGroup: 'oca-1',
    ocaType: 1,
    account: 'DU123456',
    openClose: '',
    origin: 0,
    orderRef: 'tp-abc',
    transmit: true,
    parentId: 5,
    outsideRth: true,
    hidden: false,
    displaySize: undefined,
    triggerMethod: 0,
    goodAfterTime: '',
    goodTillDate: '',
    trailStopPrice: undefined,
    trailingPercent: undefined,
    algoStrategy: '',
    algoParams: [],
    modelCode: '',
    status: 'Submitted',
    filled: new Decimal(40),
    avgFillPrice: new Decimal('199.45'),
    lastFillPrice: new Decimal('199.5'),
    triggered: false,
    manual: false,
    whyHeld: '',
    createdAt: 0,
    completedAt: undefined,
    completedStatus: '',
    ...over,
  };
}

describe.each([193, 176])('emulator encoders against @stoqey/ib Decoder at server version %i', (sv) => {
  it('openOrder: every field lands where OrderDecoder reads it', () => {
    const fields = enc.openOrder(sv, order());
    expect(fields).toHaveLength(sv === 193 ? 133 : 128);
    const [orderId, contract, o, state] = only(decode(sv, fields), EventName.openOrder) as [number, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
    expect(orderId).toBe(7);
    expect(contract).toMatchObject({ conId: 265598, symbol: 'AAPL', secType: 'STK', exchange: 'SMART', currency: 'USD', localSymbol: 'AAPL', tradingClass: 'NMS' });
    expect(o).toMatchObject({
      orderId: 7,
      action: 'BUY',
      totalQuantity: 100,
      orderType: 'LMT',
      lmtPrice: 199.5,
      auxPrice: 0,
      tif: 'GTC',
      ocaGroup: 'oca-1',
      ocaType: 1,
      account: 'DU123456',
      orderRef: 'tp-abc',
      clientId: 3,
      permId: 1100000042,
      outsideRth: true,
      parentId: 5,
      whatIf: false,
      autoCancelParent: false,
    });
    expect(o['percentOffset']).toBeUndefined();
    expect(o['trailStopPrice']).toBeUndefined();
    expect(state['status']).toBe('Submitted');
    expect(state['initMarginAfter']).toBeUndefined();
    if (sv === 193) expect(o).toMatchObject({ extOperator: '', includeOvernight: false, bondAccruedInterest: '', customerAccount: '', professionalCustomer: false });
    else expect(o['faProfile']).toBe('');
  });

  it('openOrder for a trailing stop and an algo order keeps trail fields and algo params', () => {
    const trail = order({
      orderType: 'TRAIL',
      lmtPrice: undefined,
      auxPrice: undefined,
      trailingPercent: new Decimal('1.5'),
      trailStopPrice: new Decimal('197'),
      action: 'SELL',
      parentId: 0,
      ocaGroup: '',
    });
    const [, , t] = only(decode(sv, enc.openOrder(sv, trail)), EventName.openOrder) as [number, unknown, Record<string, unknown>];
    expect(t).toMatchObject({ orderType: 'TRAIL', action: 'SELL', trailingPercent: 1.5, trailStopPrice: 197, lmtPrice: 0 });

    const algo = order({ algoStrategy: 'Adaptive', algoParams: [{ tag: 'adaptivePriority', value: 'Normal' }] });
    const [, , a] = only(decode(sv, enc.openOrder(sv, algo)), EventName.openOrder) as [number, unknown, Record<string, unknown>];
    expect(a['algoStrategy']).toBe('Adaptive');
    expect(a['algoParams']).toEqual([{ tag: 'adaptivePriority', value: 'Normal' }]);
  });

  it('whatIf openOrder carries margin before / change / after, equity with loan and commission', () => {
    const w: WhatIfResult = {
      initMarginBefore: '0.00',
      maintMarginBefore: '0.00',
      equityWithLoanBefore: '1000000.00',
      initMarginChange: '10000.50',
      maintMarginChange: '5000.25',
      equityWithLoanChange: '-1.00',
      initMarginAfter: '10000.50',
      maintMarginAfter: '5000.25',
      equityWithLoanAfter: '999999.00',
      commission: '1',
      minCommission: '1',
      maxCommission: '1',
      commissionCurrency: 'USD',
      warningText: '',
    };
    const [, , o, state] = only(decode(sv, enc.openOrder(sv, order({ status: 'PreSubmitted', permId: 0 }), w)), EventName.openOrder) as [
      number,
      unknown,
      Record<string, unknown>,
      Record<string, unknown>,
    ];
    expect(o['whatIf']).toBe(true);
    expect(state).toMatchObject({
      status: 'PreSubmitted',
      initMarginBefore: 0,
      equityWithLoanBefore: 1000000,
      initMarginChange: 10000.5,
      maintMarginChange: 5000.25,
      equityWithLoanChange: -1,
      initMarginAfter: 10000.5,
      maintMarginAfter: 5000.25,
      equityWithLoanAfter: 999999,
      commission: 1,
      commissionCurrency: 'USD',
    });
  });

  it('orderStatus', () => {
    const args = only(decode(sv, enc.orderStatus(order())), EventName.orderStatus);
    expect(args).toEqual([7, 'Submitted', 40, 60, 199.45, 1100000042, 5, 199.5, 3, '', 0]);
  });

  it('completedOrder', () => {
    const done = order({ status: 'Filled', filled: new Decimal(100), completedStatus: 'Filled', parentPermId: 1100000040 });
    const [contract, o, state] = only(decode(sv, enc.completedOrder(sv, done, '20260102 10:00:00 US/Eastern')), EventName.completedOrder) as Array<Record<string, unknown>>;
    expect(contract).toMatchObject({ conId: 265598, symbol: 'AAPL' });
    expect(o).toMatchObject({ action: 'BUY', totalQuantity: 100, orderType: 'LMT', lmtPrice: 199.5, permId: 1100000042, filledQuantity: 100, parentPermId: 1100000040 });
    expect(state).toMatchObject({ status: 'Filled', completedTime: '20260102 10:00:00 US/Eastern', completedStatus: 'Filled' });
  });

  it('error: with id goes to error, id -1 goes to info', () => {
    const d = decode(sv, enc.error(sv, 12, 202, 'Order Canceled - reason:'), enc.error(sv, -1, 1100, 'Connectivity between IB and Trader Workstation has been lost.'));
    expect(d.errors).toEqual([{ message: 'Order Canceled - reason:', code: 202 }]);
    expect(d.infos).toEqual([{ message: 'Connectivity between IB and Trader Workstation has been lost.', code: 1100 }]);
  });

  it.each([
    ['stock', AAPL],
    ['future', ES],
    ['option', OPT],
    ['forex', EUR],
  ])('contractData for a %s', (_kind, spec) => {
    const d = decode(sv, enc.contractData(sv, 9, spec), enc.contractDataEnd(9));
    const [reqId, details] = only(d, EventName.contractDetails) as [number, Record<string, unknown> & { contract: Record<string, unknown> }];
    expect(reqId).toBe(9);
    expect(details.contract).toMatchObject({
      conId: spec.conId,
      symbol: spec.symbol,
      secType: spec.secType,
      exchange: spec.exchange,
      currency: spec.currency,
      localSymbol: spec.localSymbol,
      tradingClass: spec.tradingClass,
      strike: Number(spec.strike),
      multiplier: spec.multiplier === '' ? 0 : Number(spec.multiplier),
    });
    if (spec.lastTradeDateOrContractMonth !== '') expect(details.contract['lastTradeDateOrContractMonth']).toBe(spec.lastTradeDateOrContractMonth);
    if (spec.right !== '') expect(details.contract['right']).toBe(spec.right);
    expect(details).toMatchObject({
      minTick: Number(spec.minTick),
      longName: spec.longName,
      underConId: spec.underConId,
      timeZoneId: spec.timeZoneId,
      tradingHours: spec.tradingHours,
      stockType: spec.stockType,
      realExpirationDate: spec.realExpirationDate,
      minSize: Number(spec.minSize),
      sizeIncrement: Number(spec.sizeIncrement),
    });
    expect(d.events.some((e) => e.name === EventName.contractDetailsEnd && e.args[0] === 9)).toBe(true);
    if (sv >= 182) expect(details.contract['lastTradeDate']).toBe(spec.lastTradeDateOrContractMonth);
  });

  it('execDetails and commissionReport', () => {
    const e: EmuExecution = {
      execId: '0000e0d5.00000001.01.01',
      orderId: 7,
      clientId: 3,
      permId: 1100000042,
      contract: ES,
      exchange: 'CME',
      time: 0,
      account: 'DU123456',
      side: 'SLD',
      shares: new Decimal(2),
      price: new Decimal('6000.25'),
      cumQty: new Decimal(2),
      avgPrice: new Decimal('6000.25'),
      orderRef: 'ref-1',
      commission: new Decimal('4.5'),
      commissionCurrency: 'USD',
      realizedPnl: new Decimal('-12.5'),
      lastLiquidity: 2,
    };
    const [reqId, contract, exec] = only(decode(sv, enc.execDetails(sv, -1, e, '20260102 10:00:00 US/Eastern')), EventName.execDetails) as [number, Record<string, unknown>, Record<string, unknown>];
    expect(reqId).toBe(-1);
    expect(contract).toMatchObject({ conId: ES.conId, symbol: 'ES', secType: 'FUT', multiplier: 50, exchange: 'CME', localSymbol: ES.localSymbol });
    expect(exec).toMatchObject({
      orderId: 7,
      execId: '0000e0d5.00000001.01.01',
      time: '20260102 10:00:00 US/Eastern',
      acctNumber: 'DU123456',
      side: 'SLD',
      shares: 2,
      price: 6000.25,
      permId: 1100000042,
      clientId: 3,
      cumQty: 2,
      avgPrice: 6000.25,
      orderRef: 'ref-1',
      lastLiquidity: 2,
    });
    if (sv >= 178) expect(exec['pendingPriceRevision']).toBe(false);
    const [report] = only(decode(sv, enc.commissionReport(e)), EventName.commissionReport) as [Record<string, unknown>];
    expect(report).toMatchObject({ execId: e.execId, commission: 4.5, currency: 'USD', realizedPNL: -12.5, yieldRedemptionDate: 0 });
    expect(report['yield']).toBeUndefined();
    const [open] = only(decode(sv, enc.commissionReport({ ...e, realizedPnl: undefined })), EventName.commissionReport) as [Record<string, unknown>];
    expect(open['realizedPNL']).toBeUndefined();
  });

  it('position, account summary, account value, portfolio', () => {
    const p: EmuPosition = { contract: AAPL, quantity: new Decimal(10), avgCost: new Decimal('200.11'), realizedPnl: new Decimal(0) };
    expect(only(decode(sv, enc.position('DU123456', p)), EventName.position)).toEqual([
      'DU123456',
      expect.objectContaining({ conId: 265598, symbol: 'AAPL', secType: 'STK', exchange: 'NASDAQ', currency: 'USD' }),
      10,
      200.11,
    ]);
    expect(only(decode(sv, enc.accountSummary(4, 'DU123456', 'NetLiquidation', '1000000.00', 'USD')), EventName.accountSummary)).toEqual([4, 'DU123456', 'NetLiquidation', '1000000.00', 'USD']);
    expect(only(decode(sv, enc.accountValue('BuyingPower', '4000000.00', 'USD', 'DU123456')), EventName.updateAccountValue)).toEqual(['BuyingPower', '4000000.00', 'USD', 'DU123456']);
    const [contract, pos, mp, mv, avg, unreal, real, acct] = only(
      decode(sv, enc.portfolioValue(p, new Decimal('201'), new Decimal('2010'), new Decimal('8.9'), 'DU123456')),
      EventName.updatePortfolio,
    ) as [Record<string, unknown>, number, number, number, number, number, number, string];
    expect(contract).toMatchObject({ conId: 265598, symbol: 'AAPL', primaryExch: 'NASDAQ' });
    expect([pos, mp, mv, avg, unreal, real, acct]).toEqual([10, 201, 2010, 200.11, 8.9, 0, 'DU123456']);
    expect(only(decode(sv, enc.accountDownloadEnd('DU123456')), EventName.accountDownloadEnd)).toEqual(['DU123456']);
    expect(only(decode(sv, enc.positionEnd()), EventName.positionEnd)).toEqual([]);
    expect(only(decode(sv, enc.accountSummaryEnd(4)), EventName.accountSummaryEnd)).toEqual([4]);
  });

  it('market data: tickPrice with size, bid size as its own tickSize, req params, snapshot end', () => {
    const d = decode(
      sv,
      enc.tickPrice(5, enc.TICK.BID, new Decimal('199.99'), new Decimal(300), 1),
      enc.tickSize(5, enc.TICK.BID_SIZE, new Decimal(300)),
      enc.tickPrice(5, enc.TICK.ASK, new Decimal('200.01'), new Decimal(200), 1),
      enc.tickReqParams(5, '0.01', '9c0001', 3),
      enc.tickSnapshotEnd(5),
    );
    expect(d.errors).toEqual([]);
    const names = d.events.map((e) => [e.name, ...e.args]);
    expect(names).toContainEqual([EventName.tickPrice, 5, 1, 199.99, true]);
    expect(names).toContainEqual([EventName.tickSize, 5, 0, 300]);
    expect(names).toContainEqual([EventName.tickPrice, 5, 2, 200.01, true]);
    expect(names).toContainEqual([EventName.tickSize, 5, 3, 200]);
    // The library's tickPrice decoder never derives the bid size itself: only our separate tickSize carries it.
    expect(names.filter((n) => n[0] === EventName.tickSize && n[2] === 0)).toHaveLength(1);
    expect(names).toContainEqual([EventName.tickReqParams, 5, 0, '9c0001', 3]);
    expect(names).toContainEqual([EventName.tickSnapshotEnd, 5]);
  });

  it('connection messages', () => {
    expect(only(decode(sv, enc.managedAccounts(['DU123456', 'DU765432'])), EventName.managedAccounts)).toEqual(['DU123456,DU765432']);
    expect(only(decode(sv, enc.nextValidId(1001)), EventName.nextValidId)).toEqual([1001]);
    expect(only(decode(sv, enc.currentTime(1767366000)), EventName.currentTime)).toEqual([1767366000]);
    expect(only(decode(sv, enc.openOrderEnd()), EventName.openOrderEnd)).toEqual([]);
    expect(only(decode(sv, enc.execDetailsEnd(3)), EventName.execDetailsEnd)).toEqual([3]);
    expect(only(decode(sv, enc.completedOrdersEnd()), EventName.completedOrdersEnd)).toEqual([]);
    expect(only(decode(sv, enc.marketDataType(5, 3)), EventName.marketDataType)).toEqual([5, 3]);
  });
});

describe('the faithfulness check itself', () => {
  it('catches one extra or one missing openOrder field', () => {
    const fields = enc.openOrder(193, order());
    expect(decode(193, [...fields, '0']).errors[0]?.message).toMatch(/unprocessed data left/);
    expect(decode(193, fields.slice(0, -1)).errors[0]?.message).toMatch(/Underrun/);
    // A 193 layout read as 176 is off by the fields 177..193 added.
    expect(decode(176, fields).errors).not.toEqual([]);
  });
});
