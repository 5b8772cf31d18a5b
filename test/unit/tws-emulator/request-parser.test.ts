/**
 * Runs @stoqey/ib's own Encoder and checks the emulator's request parsers read every field it
 * writes (no more, no less) and get the intended values, at server versions 193 and 176.
 */
import { describe, expect, it } from 'vitest';
import { Encoder } from '@stoqey/ib/dist/core/io/encoder';
import { OrderAction, OrderType, SecType, PriceCondition, ConjunctionConnection, TriggerMethod, type Contract, type Order } from '@stoqey/ib';
import { parsePlaceOrder, parseRequest } from '../../emulators/tws/decode';

/** Tokens as @stoqey/ib's socket puts them on the wire: booleans 1/0, undefined/null empty. */
function wire(tokens: unknown[]): string[] {
  return (tokens.flat(Infinity as 1) as unknown[]).map((t) => (t === true ? '1' : t === false ? '0' : t === undefined || t === null ? '' : String(t)));
}

function encodeWith(sv: number, run: (e: Encoder) => void): string[] {
  let sent: unknown[] = [];
  const encoder = new Encoder({
    serverVersion: sv,
    sendMsg: (...tokens: unknown[]) => {
      sent = tokens;
    },
    emitError: (message: string) => {
      throw new Error(message);
    },
  } as unknown as ConstructorParameters<typeof Encoder>[0]);
  run(encoder);
  return wire(sent);
}

const AAPL: Contract = { symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };
const ES: Contract = { symbol: 'ES', secType: SecType.FUT, exchange: 'CME', currency: 'USD', lastTradeDateOrContractMonth: '202603' };

describe.each([193, 176])('request parsers against @stoqey/ib Encoder at server version %i', (sv) => {
  const cases: Array<[string, Contract, Order, Record<string, unknown>]> = [
    [
      'market',
      AAPL,
      { action: OrderAction.BUY, totalQuantity: 10, orderType: OrderType.MKT, orderRef: 'c-1', tif: 'DAY' },
      { action: 'BUY', totalQuantity: '10', orderType: 'MKT', orderRef: 'c-1', tif: 'DAY', transmit: true },
    ],
    [
      'limit outside RTH',
      AAPL,
      { action: OrderAction.SELL, totalQuantity: 5.5, orderType: OrderType.LMT, lmtPrice: 201.25, tif: 'GTC', outsideRth: true, account: 'DU123456', transmit: true },
      { action: 'SELL', totalQuantity: '5.5', lmtPrice: '201.25', tif: 'GTC', outsideRth: true, account: 'DU123456' },
    ],
    [
      'stop limit',
      ES,
      { action: OrderAction.SELL, totalQuantity: 1, orderType: OrderType.STP_LMT, lmtPrice: 5990, auxPrice: 5995, tif: 'GTC' },
      { orderType: 'STP LMT', lmtPrice: '5990', auxPrice: '5995' },
    ],
    [
      'trailing percent',
      AAPL,
      { action: OrderAction.SELL, totalQuantity: 10, orderType: OrderType.TRAIL, trailingPercent: 1.5, trailStopPrice: 195 },
      { orderType: 'TRAIL', trailingPercent: '1.5', trailStopPrice: '195' },
    ],
    ['bracket child held', AAPL, { action: OrderAction.SELL, totalQuantity: 10, orderType: OrderType.LMT, lmtPrice: 210, parentId: 41, transmit: false }, { parentId: 41, transmit: false }],
    ['OCA group', AAPL, { action: OrderAction.BUY, totalQuantity: 1, orderType: OrderType.LMT, lmtPrice: 190, ocaGroup: 'g1', ocaType: 2, tif: 'IOC' }, { ocaGroup: 'g1', ocaType: 2, tif: 'IOC' }],
    ['whatIf', AAPL, { action: OrderAction.BUY, totalQuantity: 100, orderType: OrderType.MKT, whatIf: true }, { whatIf: true }],
    [
      'algo with params',
      AAPL,
      { action: OrderAction.BUY, totalQuantity: 100, orderType: OrderType.LMT, lmtPrice: 199, algoStrategy: 'Adaptive', algoParams: [{ tag: 'adaptivePriority', value: 'Normal' }] },
      { algoStrategy: 'Adaptive', algoParams: [{ tag: 'adaptivePriority', value: 'Normal' }] },
    ],
    [
      'price condition',
      AAPL,
      {
        action: OrderAction.BUY,
        totalQuantity: 1,
        orderType: OrderType.MKT,
        conditions: [new PriceCondition(150, TriggerMethod.Default, 265598, 'SMART', true, ConjunctionConnection.AND)],
        conditionsIgnoreRth: true,
        conditionsCancelOrder: false,
      },
      { orderType: 'MKT' },
    ],
    [
      'peg mid',
      { ...AAPL, exchange: 'IBKRATS' },
      { action: OrderAction.BUY, totalQuantity: 1, orderType: OrderType.PEG_MID, midOffsetAtWhole: 0.01, midOffsetAtHalf: 0.005 },
      { orderType: 'PEG MID' },
    ],
  ];

  it.each(cases)('placeOrder %s: all fields read, values intact', (_name, contract, order, expected) => {
    const fields = encodeWith(sv, (e) => e.placeOrder(42, contract, order));
    const parsed = parsePlaceOrder(sv, fields);
    expect(parsed.fieldsRead).toBe(fields.length);
    expect(parsed.orderId).toBe(42);
    expect(parsed.contract).toMatchObject({ symbol: contract.symbol, secType: contract.secType, exchange: contract.exchange, currency: contract.currency });
    expect(parsed).toMatchObject(expected);
  });

  it('a layout slip shows up as a field-count mismatch', () => {
    const fields = encodeWith(sv, (e) => e.placeOrder(42, AAPL, { action: OrderAction.BUY, totalQuantity: 1, orderType: OrderType.MKT }));
    const parsed = parsePlaceOrder(sv, [...fields, 'extra']);
    expect(parsed.fieldsRead).toBe(fields.length);
    expect(parsed.fieldsTotal).toBe(fields.length + 1);
    // Parsing a 193 message as 176 reads a different number of fields.
    if (sv === 193) expect(parsePlaceOrder(176, fields).fieldsRead).not.toBe(fields.length);
  });

  it('reqContractDetails, reqMktData, reqExecutions, cancelOrder, reqGlobalCancel, reqAccountSummary', () => {
    const cd = parseRequest(
      sv,
      encodeWith(sv, (e) => e.reqContractDetails(7, { ...ES, multiplier: 50 })),
    );
    expect(cd).toMatchObject({ type: 'reqContractDetails', reqId: 7, contract: { symbol: 'ES', secType: 'FUT', lastTradeDateOrContractMonth: '202603', exchange: 'CME', multiplier: '50' } });

    const md = parseRequest(
      sv,
      encodeWith(sv, (e) => e.reqMktData(8, AAPL, '233', true, false)),
    );
    expect(md).toMatchObject({ type: 'reqMktData', reqId: 8, genericTicks: '233', snapshot: true, contract: { symbol: 'AAPL' } });

    const ex = parseRequest(
      sv,
      encodeWith(sv, (e) => e.reqExecutions(9, { clientId: '3', acctCode: 'DU123456', time: '20260102-14:30:00', symbol: 'AAPL', secType: SecType.STK, exchange: '', side: 'BUY' })),
    );
    expect(ex).toMatchObject({ type: 'reqExecutions', reqId: 9, filter: { clientId: 3, account: 'DU123456', time: '20260102-14:30:00', symbol: 'AAPL', side: 'BUY' } });

    const cancel = parseRequest(
      sv,
      encodeWith(sv, (e) => e.cancelOrder(55, { manualOrderCancelTime: '', extOperator: '', manualOrderIndicator: undefined })),
    );
    expect(cancel).toMatchObject({ type: 'cancelOrder', orderId: 55 });

    expect(
      parseRequest(
        sv,
        encodeWith(sv, (e) => e.reqGlobalCancel({ manualOrderCancelTime: '', extOperator: '', manualOrderIndicator: undefined })),
      ),
    ).toEqual({ type: 'reqGlobalCancel' });
    expect(
      parseRequest(
        sv,
        encodeWith(sv, (e) => e.reqAccountSummary(4, 'All', 'NetLiquidation,BuyingPower')),
      ),
    ).toEqual({
      type: 'reqAccountSummary',
      reqId: 4,
      group: 'All',
      tags: 'NetLiquidation,BuyingPower',
    });
    expect(
      parseRequest(
        sv,
        encodeWith(sv, (e) => e.reqIds(1)),
      ),
    ).toEqual({ type: 'reqIds', numIds: 1 });
    expect(
      parseRequest(
        sv,
        encodeWith(sv, (e) => e.reqAutoOpenOrders(true)),
      ),
    ).toEqual({ type: 'reqAutoOpenOrders', autoBind: true });
    expect(
      parseRequest(
        sv,
        encodeWith(sv, (e) => e.reqAccountUpdates(true, 'DU123456')),
      ),
    ).toEqual({ type: 'reqAccountUpdates', subscribe: true, account: 'DU123456' });
  });
});
