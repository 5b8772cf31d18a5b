/**
 * @stoqey/ib's IBApi against the TWS emulator over a real socket, at server versions 193 and 176.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventName, OrderAction, OrderType, SecType, type IBApi } from '@stoqey/ib';
import type { TwsEmulator } from '../../emulators/tws';
import { AAPL, connect, startEmulator, type Recorder } from './harness';

describe.each([193, 176])('IBApi end to end at server version %i', (sv) => {
  let emu: TwsEmulator;
  let api: IBApi;
  let rec: Recorder;
  let nextId: number;

  beforeEach(async () => {
    emu = await startEmulator({ serverVersion: sv, nextValidId: 1000 });
    ({ api, rec, nextValidId: nextId } = await connect(emu, 7));
  });

  afterEach(async () => {
    expect(rec.decodeErrors()).toEqual([]);
    api.disconnect();
    await emu.stop();
  });

  it('handshake: negotiated server version, managed accounts, nextValidId, farm infos', async () => {
    expect(api.serverVersion).toBe(sv);
    expect(nextId).toBe(1000);
    expect(rec.of(EventName.managedAccounts)).toEqual([['DU123456']]);
    await rec.waitFor(EventName.info, (a) => a[1] === 2158);
    expect(rec.of(EventName.info).map((a) => a[1])).toEqual([2104, 2106, 2158]);
    api.reqIds(1);
    await rec.waitFor(EventName.nextValidId, () => true, 5000, rec.mark());
    api.reqCurrentTime();
    const [t] = await rec.waitFor(EventName.currentTime);
    expect(Math.abs((t as number) - Date.now() / 1000)).toBeLessThan(5);
    api.reqManagedAccts();
    await rec.waitFor(EventName.managedAccounts, () => true, 5000, 1);
  });

  it('contract details: stock, every futures expiry, an option chain, forex, and error 200', async () => {
    api.reqContractDetails(1, AAPL);
    api.reqContractDetails(2, { symbol: 'ES', secType: SecType.FUT, exchange: 'CME', currency: 'USD' });
    api.reqContractDetails(3, { symbol: 'AAPL', secType: SecType.OPT, exchange: 'SMART', currency: 'USD', strike: 200 });
    api.reqContractDetails(4, { symbol: 'EUR', secType: SecType.CASH, exchange: 'IDEALPRO', currency: 'USD' });
    api.reqContractDetails(5, { symbol: 'NOPE', secType: SecType.STK, exchange: 'SMART', currency: 'USD' });
    await Promise.all([1, 2, 3, 4].map((id) => rec.waitFor(EventName.contractDetailsEnd, (a) => a[0] === id)));
    const err = await rec.waitFor('error', (a) => a[2] === 5);
    expect(err[1]).toBe(200);
    expect(rec.of(EventName.contractDetailsEnd).some((a) => a[0] === 5)).toBe(false);
    const details = (id: number): Array<{ contract: Record<string, unknown> } & Record<string, unknown>> =>
      rec
        .of(EventName.contractDetails)
        .filter((a) => a[0] === id)
        .map((a) => a[1] as { contract: Record<string, unknown> } & Record<string, unknown>);
    expect(details(1)).toHaveLength(1);
    expect(details(1)[0]?.contract).toMatchObject({ conId: 265598, primaryExch: 'NASDAQ', exchange: 'SMART' });
    const es = details(2);
    expect(es).toHaveLength(3);
    expect(new Set(es.map((d) => d.contract['lastTradeDateOrContractMonth'])).size).toBe(3);
    expect(es.every((d) => d.contract['multiplier'] === 50)).toBe(true);
    const chain = details(3);
    expect(chain.length).toBe(4); // 2 expiries x call/put at strike 200
    expect(new Set(chain.map((d) => d.contract['right']))).toEqual(new Set(['C', 'P']));
    expect(details(4)[0]?.contract).toMatchObject({ symbol: 'EUR', localSymbol: 'EUR.USD', secType: 'CASH' });
  });

  it('market order: openOrder, orderStatus, execDetails and commissionReport, then a position', async () => {
    api.reqPositions();
    await rec.waitFor(EventName.positionEnd);
    api.placeOrder(nextId, AAPL, { action: OrderAction.BUY, totalQuantity: 10, orderType: OrderType.MKT, orderRef: 'tp-1', tif: 'DAY' });
    await rec.waitFor(EventName.commissionReport);
    const names = rec.events.map((e) => e.name).filter((n) => [EventName.openOrder, EventName.orderStatus, EventName.execDetails, EventName.commissionReport].includes(n as EventName));
    expect(names).toEqual([EventName.openOrder, EventName.orderStatus, EventName.execDetails, EventName.openOrder, EventName.orderStatus, EventName.commissionReport]);
    const [reqId, , exec] = rec.of(EventName.execDetails)[0] as [number, unknown, Record<string, unknown>];
    expect(reqId).toBe(-1);
    expect(exec).toMatchObject({ orderId: nextId, side: 'BOT', shares: 10, price: 200.01, orderRef: 'tp-1', clientId: 7 });
    const last = rec.of(EventName.orderStatus).at(-1);
    expect(last?.slice(0, 5)).toEqual([nextId, 'Filled', 10, 0, 200.01]);
    const [report] = rec.of(EventName.commissionReport)[0] as [Record<string, unknown>];
    expect(report).toMatchObject({ execId: exec['execId'], commission: 1, currency: 'USD' });
    const [acct, contract, pos] = (await rec.waitFor(EventName.position, (a) => a[2] === 10)) as [string, Record<string, unknown>, number];
    expect(acct).toBe('DU123456');
    expect(contract['symbol']).toBe('AAPL');
    expect(pos).toBe(10);
  });

  it('limit order rests, is modified with the same id, partially filled by the control API, then cancelled', async () => {
    const id = nextId;
    api.placeOrder(id, AAPL, { action: OrderAction.BUY, totalQuantity: 100, orderType: OrderType.LMT, lmtPrice: 195, tif: 'GTC' });
    await rec.waitFor(EventName.orderStatus, (a) => a[0] === id && a[1] === 'Submitted');
    api.placeOrder(id, AAPL, { action: OrderAction.BUY, totalQuantity: 100, orderType: OrderType.LMT, lmtPrice: 196, tif: 'GTC' });
    await rec.waitFor(EventName.openOrder, (a) => (a[2] as { lmtPrice: number }).lmtPrice === 196);
    expect(emu.openOrders()).toHaveLength(1);
    emu.fillOrder({ clientId: 7, orderId: id }, { quantity: '40', price: '196' });
    await rec.waitFor(EventName.orderStatus, (a) => a[0] === id && a[2] === 40 && a[3] === 60);
    await rec.waitFor(EventName.commissionReport);
    api.cancelOrder(id);
    await rec.waitFor(EventName.orderStatus, (a) => a[0] === id && a[1] === 'Cancelled');
    const err = await rec.waitFor('error', (a) => a[1] === 202);
    expect(err[2]).toBe(id);
    // cancelling again: it is no longer working; an unknown id gives 10147
    api.cancelOrder(id + 500);
    await rec.waitFor('error', (a) => a[1] === 10147 && a[2] === id + 500);
    // re-using a finished id is a duplicate
    api.placeOrder(id, AAPL, { action: OrderAction.BUY, totalQuantity: 1, orderType: OrderType.MKT });
    await rec.waitFor('error', (a) => a[1] === 103 && a[2] === id);
  });

  it('price driven stop, stop-limit and trailing stop; IOC cancels its rest', async () => {
    api.placeOrder(nextId, AAPL, { action: OrderAction.BUY, totalQuantity: 10, orderType: OrderType.MKT });
    await rec.waitFor(EventName.orderStatus, (a) => a[0] === nextId && a[1] === 'Filled');
    const stp = nextId + 1;
    const trail = nextId + 2;
    api.placeOrder(stp, AAPL, { action: OrderAction.SELL, totalQuantity: 5, orderType: OrderType.STP, auxPrice: 195 });
    api.placeOrder(trail, AAPL, { action: OrderAction.SELL, totalQuantity: 5, orderType: OrderType.TRAIL, auxPrice: 2 });
    await rec.waitFor(EventName.orderStatus, (a) => a[0] === stp && a[1] === 'PreSubmitted');
    await rec.waitFor(EventName.orderStatus, (a) => a[0] === trail && a[1] === 'PreSubmitted');
    emu.setQuote('AAPL', { last: '205', bid: '204.99', ask: '205.01' }); // trail stop ratchets to 203
    emu.setQuote('AAPL', { last: '202.5', bid: '202.49', ask: '202.51' }); // trail fires
    await rec.waitFor(EventName.orderStatus, (a) => a[0] === trail && a[1] === 'Filled');
    expect(emu.order({ clientId: 7, orderId: stp }).status).toBe('PreSubmitted');
    emu.setQuote('AAPL', { last: '194.9', bid: '194.88', ask: '194.92' });
    await rec.waitFor(EventName.orderStatus, (a) => a[0] === stp && a[1] === 'Filled' && a[4] === 194.88);
    const ioc = nextId + 3;
    api.placeOrder(ioc, AAPL, { action: OrderAction.BUY, totalQuantity: 5, orderType: OrderType.LMT, lmtPrice: 150, tif: 'IOC' });
    await rec.waitFor(EventName.orderStatus, (a) => a[0] === ioc && a[1] === 'Cancelled');
  });

  it('bracket: children held until the parent fills, then one side fills and the other is cancelled', async () => {
    const p = nextId;
    const tp = nextId + 1;
    const sl = nextId + 2;
    emu.setAutoFill(false);
    api.placeOrder(p, AAPL, { action: OrderAction.BUY, totalQuantity: 10, orderType: OrderType.LMT, lmtPrice: 200.01, transmit: false });
    api.placeOrder(tp, AAPL, { action: OrderAction.SELL, totalQuantity: 10, orderType: OrderType.LMT, lmtPrice: 210, parentId: p, transmit: false });
    api.placeOrder(sl, AAPL, { action: OrderAction.SELL, totalQuantity: 10, orderType: OrderType.STP, auxPrice: 190, parentId: p, transmit: true });
    await rec.waitFor(EventName.orderStatus, (a) => a[0] === sl && a[1] === 'PreSubmitted' && a[6] === p);
    expect(rec.of(EventName.orderStatus).find((a) => a[0] === p)?.[1]).toBe('Submitted');
    emu.setAutoFill(true);
    await rec.waitFor(EventName.orderStatus, (a) => a[0] === p && a[1] === 'Filled');
    await rec.waitFor(EventName.orderStatus, (a) => a[0] === tp && a[1] === 'Submitted');
    emu.setQuote('AAPL', { last: '210.5', bid: '210.49', ask: '210.51' });
    await rec.waitFor(EventName.orderStatus, (a) => a[0] === tp && a[1] === 'Filled');
    await rec.waitFor(EventName.orderStatus, (a) => a[0] === sl && a[1] === 'Cancelled');
  });

  it('OCA group: a fill cancels the rest of the group', async () => {
    emu.setAutoFill(false);
    api.placeOrder(nextId, AAPL, { action: OrderAction.BUY, totalQuantity: 5, orderType: OrderType.LMT, lmtPrice: 190, ocaGroup: 'oca-x', ocaType: 1 });
    api.placeOrder(nextId + 1, AAPL, { action: OrderAction.BUY, totalQuantity: 5, orderType: OrderType.LMT, lmtPrice: 191, ocaGroup: 'oca-x', ocaType: 1 });
    await rec.waitFor(EventName.orderStatus, (a) => a[0] === nextId + 1 && a[1] === 'Submitted');
    emu.fillOrder({ clientId: 7, orderId: nextId }, { price: '190' });
    await rec.waitFor(EventName.orderStatus, (a) => a[0] === nextId + 1 && a[1] === 'Cancelled');
  });

  it('whatIf: margin before/after, equity with loan and commission; not left working', async () => {
    api.placeOrder(nextId, AAPL, { action: OrderAction.BUY, totalQuantity: 100, orderType: OrderType.MKT, whatIf: true });
    const [id, , order, state] = (await rec.waitFor(EventName.openOrder)) as [number, unknown, Record<string, unknown>, Record<string, unknown>];
    expect(id).toBe(nextId);
    expect(order['whatIf']).toBe(true);
    expect(state).toMatchObject({ initMarginBefore: 0, maintMarginBefore: 0, equityWithLoanBefore: 1000000, commission: 1, commissionCurrency: 'USD' });
    // Margin on the position marked at last (200): 50% initial, 25% maintenance.
    expect(state['initMarginAfter']).toBe(10000);
    expect(state['maintMarginAfter']).toBe(5000);
    // Paid 100 x 200.01 + 1.00 commission for shares worth 100 x 200.
    expect(state['equityWithLoanAfter']).toBe(999998);
    expect(state['equityWithLoanChange']).toBe(-2);
    expect(emu.openOrders()).toHaveLength(0);
    expect(rec.of(EventName.orderStatus)).toHaveLength(0);
    api.reqAllOpenOrders();
    await rec.waitFor(EventName.openOrderEnd);
    expect(rec.of(EventName.openOrder)).toHaveLength(1);
  });

  it('rejections: 201 with reason, then Inactive', async () => {
    emu.rejectNextOrder('Trading halted');
    api.placeOrder(nextId, AAPL, { action: OrderAction.BUY, totalQuantity: 1, orderType: OrderType.MKT });
    const err = await rec.waitFor('error', (a) => a[1] === 201);
    expect(err[0]).toBe('Order rejected - reason:Trading halted');
    await rec.waitFor(EventName.orderStatus, (a) => a[0] === nextId && a[1] === 'Inactive');
    api.placeOrder(nextId + 1, AAPL, { action: OrderAction.BUY, totalQuantity: 100000, orderType: OrderType.MKT });
    const margin = await rec.waitFor('error', (a) => a[1] === 201 && a[2] === nextId + 1);
    expect(String(margin[0])).toMatch(/EQUITY WITH LOAN/);
  });

  it('TIF OPG waits for the opening auction; outsideRth orders trade in extended hours, others wait', async () => {
    api.placeOrder(nextId, AAPL, { action: OrderAction.BUY, totalQuantity: 1, orderType: OrderType.MKT, tif: 'OPG' });
    await rec.waitFor(EventName.orderStatus, (a) => a[0] === nextId && a[1] === 'PreSubmitted');
    emu.openingAuction();
    await rec.waitFor(EventName.orderStatus, (a) => a[0] === nextId && a[1] === 'Filled');
    emu.setSession('extended');
    api.placeOrder(nextId + 1, AAPL, { action: OrderAction.BUY, totalQuantity: 1, orderType: OrderType.LMT, lmtPrice: 201, outsideRth: false });
    api.placeOrder(nextId + 2, AAPL, { action: OrderAction.BUY, totalQuantity: 1, orderType: OrderType.LMT, lmtPrice: 201, outsideRth: true });
    await rec.waitFor(EventName.orderStatus, (a) => a[0] === nextId + 2 && a[1] === 'Filled');
    expect(emu.order({ clientId: 7, orderId: nextId + 1 }).status).toBe('PreSubmitted');
    emu.setSession('regular');
    await rec.waitFor(EventName.orderStatus, (a) => a[0] === nextId + 1 && a[1] === 'Filled');
  });

  it('global cancel, open orders, completed orders', async () => {
    emu.setAutoFill(false);
    api.placeOrder(nextId, AAPL, { action: OrderAction.BUY, totalQuantity: 1, orderType: OrderType.LMT, lmtPrice: 100 });
    api.placeOrder(nextId + 1, AAPL, { action: OrderAction.SELL, totalQuantity: 1, orderType: OrderType.LMT, lmtPrice: 300 });
    await rec.waitFor(EventName.orderStatus, (a) => a[0] === nextId + 1);
    api.reqOpenOrders();
    await rec.waitFor(EventName.openOrderEnd);
    api.reqGlobalCancel();
    await rec.waitFor(EventName.orderStatus, (a) => a[0] === nextId && a[1] === 'Cancelled');
    await rec.waitFor(EventName.orderStatus, (a) => a[0] === nextId + 1 && a[1] === 'Cancelled');
    api.reqCompletedOrders(true);
    await rec.waitFor(EventName.completedOrdersEnd);
    const completed = rec.of(EventName.completedOrder);
    expect(completed).toHaveLength(2);
    expect((completed[0]?.[2] as { status: string }).status).toBe('Cancelled');
  });

  it('executions by filter, with commission reports', async () => {
    api.placeOrder(nextId, AAPL, { action: OrderAction.BUY, totalQuantity: 3, orderType: OrderType.MKT });
    api.placeOrder(nextId + 1, { symbol: 'MSFT', secType: SecType.STK, exchange: 'SMART', currency: 'USD' }, { action: OrderAction.BUY, totalQuantity: 2, orderType: OrderType.MKT });
    await rec.waitFor(EventName.orderStatus, (a) => a[0] === nextId + 1 && a[1] === 'Filled');
    await rec.waitFor(EventName.orderStatus, (a) => a[0] === nextId && a[1] === 'Filled');
    const before = rec.mark();
    api.reqExecutions(77, { symbol: 'MSFT' });
    await rec.waitFor(EventName.execDetailsEnd, (a) => a[0] === 77);
    const execs = rec.events
      .slice(before)
      .filter((e) => e.name === EventName.execDetails)
      .map((e) => e.args);
    expect(execs).toHaveLength(1);
    expect(execs[0]?.[0]).toBe(77);
    expect((execs[0]?.[1] as { symbol: string }).symbol).toBe('MSFT');
    expect(rec.events.slice(before).filter((e) => e.name === EventName.commissionReport)).toHaveLength(1);
    api.reqExecutions(78, { time: '20000101-00:00:00', side: 'BUY', clientId: '7' });
    await rec.waitFor(EventName.execDetailsEnd, (a) => a[0] === 78);
    expect(rec.of(EventName.execDetails).filter((a) => a[0] === 78)).toHaveLength(2);
    api.reqExecutions(79, { time: '20991231-00:00:00' });
    await rec.waitFor(EventName.execDetailsEnd, (a) => a[0] === 79);
    expect(rec.of(EventName.execDetails).filter((a) => a[0] === 79)).toHaveLength(0);
  });

  it('account summary and account updates follow a fill', async () => {
    api.reqAccountSummary(11, 'All', 'NetLiquidation,BuyingPower,EquityWithLoanValue,InitMarginReq,TotalCashValue');
    await rec.waitFor(EventName.accountSummaryEnd, (a) => a[0] === 11);
    const tags = Object.fromEntries(rec.of(EventName.accountSummary).map((a) => [a[2], a[3]]));
    expect(tags).toMatchObject({ NetLiquidation: '1000000.00', TotalCashValue: '1000000.00', InitMarginReq: '0.00', BuyingPower: '4000000.00' });
    api.reqAccountUpdates(true, 'DU123456');
    await rec.waitFor(EventName.accountDownloadEnd);
    const mark = rec.mark();
    api.placeOrder(nextId, AAPL, { action: OrderAction.BUY, totalQuantity: 10, orderType: OrderType.MKT });
    const [contract, pos, , , avg] = (await rec.waitFor(EventName.updatePortfolio, () => true, 5000, mark)) as [Record<string, unknown>, number, number, number, number];
    expect(contract['symbol']).toBe('AAPL');
    expect(pos).toBe(10);
    expect(avg).toBeCloseTo(200.11, 6); // (10 x 200.01 + 1.00 commission) / 10
    const cash = rec.events
      .slice(mark)
      .filter((e) => e.name === EventName.updateAccountValue && e.args[0] === 'TotalCashValue')
      .map((e) => e.args[1]);
    expect(cash.at(-1)).toBe('997998.90');
  });

  it('market data: bid size arrives as its own tickSize; driven prices tick; snapshot ends', async () => {
    api.reqMktData(21, AAPL, '', false, false);
    await rec.waitFor(EventName.tickSize, (a) => a[0] === 21 && a[1] === 0);
    await rec.waitFor(EventName.tickPrice, (a) => a[0] === 21 && a[1] === 2 && a[2] === 200.01);
    emu.setQuote('AAPL', { bid: '200.5', bidSize: '700' });
    await rec.waitFor(EventName.tickPrice, (a) => a[0] === 21 && a[1] === 1 && a[2] === 200.5);
    await rec.waitFor(EventName.tickSize, (a) => a[0] === 21 && a[1] === 0 && a[2] === 700);
    api.cancelMktData(21);
    api.reqMktData(22, { symbol: 'EUR', secType: SecType.CASH, exchange: 'IDEALPRO', currency: 'USD' }, '', true, false);
    await rec.waitFor(EventName.tickSnapshotEnd, (a) => a[0] === 22);
    expect(rec.of(EventName.tickPrice).find((a) => a[0] === 22 && a[1] === 1)?.[2]).toBeCloseTo(1.08495, 8);
    api.reqMktData(23, { symbol: 'ZZZZ', secType: SecType.STK, exchange: 'SMART', currency: 'USD' }, '', false, false);
    await rec.waitFor('error', (a) => a[1] === 200 && a[2] === 23);
  });

  it('futures and options orders fill with contract-specific commission', async () => {
    const [es] = emu.contracts().filter((c) => c.symbol === 'ES');
    api.placeOrder(nextId, { conId: es?.conId, exchange: 'CME' }, { action: OrderAction.SELL, totalQuantity: 2, orderType: OrderType.MKT });
    const rep = (await rec.waitFor(EventName.commissionReport)) as [Record<string, unknown>];
    expect(rep[0]['commission']).toBe(4.5);
    const exec = rec.of(EventName.execDetails)[0] as [number, Record<string, unknown>, Record<string, unknown>];
    expect(exec[1]).toMatchObject({ symbol: 'ES', secType: 'FUT', multiplier: 50 });
    expect(exec[2]).toMatchObject({ side: 'SLD', price: 5999.75 });
  });
});
