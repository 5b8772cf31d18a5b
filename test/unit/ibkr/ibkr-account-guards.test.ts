/** The IB preview's account guards, pure: which account is cash, the buying-power fallback, self-trades, the fills replayed. */
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src-main/engine/domain/money';
import type { Instrument } from '../../../src-main/engine/domain/instrument';
import { cashFills, ibAccountGuards, isCashAccount, type IbGuardInput } from '../../../src-main/engine/venues/ibkr/ibkr-account-guards';

const AAPL: Instrument = {
  id: 'ib:265598',
  venue: 'ib',
  venueSymbol: 'AAPL',
  symbol: 'AAPL',
  assetClass: 'equity',
  description: 'Apple',
  base: 'AAPL',
  quote: 'USD',
  tickSize: '0.01',
  lotSize: '1',
  minQty: '1',
  minNotional: '0',
  multiplier: '1',
  fractional: false,
  session: 'us_equity',
};
const ES: Instrument = { ...AAPL, id: 'ib:495512563', symbol: 'ES:FUT:20261218', assetClass: 'future', multiplier: '50', session: 'cme_equity_futures' };
const T = Date.UTC(2026, 10, 18, 15, 0, 0);

function input(p: Partial<IbGuardInput> & { values?: Record<string, string> } = {}): IbGuardInput {
  const values = p.values ?? { TotalCashValue: '10000', SettledCash: '10000', BuyingPower: '40000', AccountType: 'INDIVIDUAL' };
  return {
    inst: AAPL,
    ticket: { side: 'buy', type: 'limit', qty: '10', limitPrice: '200' },
    price: new Decimal('200'),
    now: T,
    accountKind: 'auto',
    value: (k) => values[k],
    openOrders: [],
    whatIfChecked: true,
    ...p,
  };
}

describe('IB account guards', () => {
  it('a cash account by setting, or by an AccountType that names cash when the setting is auto', () => {
    expect(isCashAccount('cash', 'INDIVIDUAL')).toBe(true);
    expect(isCashAccount('margin', 'CASH')).toBe(false);
    expect(isCashAccount('auto', 'Individual Cash')).toBe(true);
    expect(isCashAccount('auto', 'INDIVIDUAL')).toBe(false);
    expect(isCashAccount('auto', undefined)).toBe(false);
  });

  it('cash account: settled and unsettled as IB reports them, a buy beyond both blocked as free-riding', () => {
    const g = ibAccountGuards(input({ accountKind: 'cash', values: { TotalCashValue: '3000', SettledCash: '1000' } }), []);
    expect(g.warnings.find((w) => w.code === 'settlement')?.message).toMatch(/^Cash account: settled 1000 USD, unsettled 2000 USD/);
    const big = ibAccountGuards(input({ accountKind: 'cash', ticket: { side: 'buy', type: 'limit', qty: '20', limitPrice: '200' }, values: { TotalCashValue: '3000', SettledCash: '1000' } }), []);
    expect(big.violations.map((v) => v.code)).toEqual(['free_riding']);
  });

  it('futures have no settlement rule: a cash-account guard never applies to them', () => {
    const g = ibAccountGuards(input({ accountKind: 'cash', inst: ES, price: new Decimal('6000'), ticket: { side: 'buy', type: 'limit', qty: '1', limitPrice: '6000' } }), []);
    expect(g.warnings.map((w) => w.code)).not.toContain('settlement');
  });

  it("margin account: only when IB's whatIf is silent, the streamed buying power less working buys blocks an order beyond it", () => {
    const working = [{ clientOrderId: 'tp-w1', instrumentId: AAPL.id, side: 'buy' as const, type: 'limit' as const, qty: '100', filledQty: '0', limitPrice: '150' }];
    const big = { ticket: { side: 'buy' as const, type: 'limit' as const, qty: '130', limitPrice: '200' }, openOrders: working };
    expect(ibAccountGuards(input({ ...big, whatIfChecked: true }), []).violations).toEqual([]);
    const g = ibAccountGuards(input({ ...big, whatIfChecked: false }), []);
    expect(g.violations).toEqual([
      {
        code: 'insufficient_buying_power',
        message:
          "This order needs about 26000 USD but IB's buying power after your working buys is 25000; IB's margin check did not answer, so Tradeport holds it back. Reduce the size or cancel a working buy.",
      },
    ]);
    expect(ibAccountGuards(input({ ...big, ticket: { ...big.ticket, qty: '120' }, whatIfChecked: false }), []).violations).toEqual([]);
  });

  it('flags an order that could trade against our own opposite order (a warning: IB may cancel one)', () => {
    const mine = [{ clientOrderId: 'tp-s1', instrumentId: AAPL.id, side: 'sell' as const, type: 'limit' as const, qty: '5', filledQty: '0', limitPrice: '199.5' }];
    const g = ibAccountGuards(input({ openOrders: mine }), []);
    expect(g.warnings.find((w) => w.code === 'wash_trade')?.message).toMatch(/^This order could trade against your own sell order tp-s1 at 199\.5; IB's self-trade prevention/);
    expect(g.violations).toEqual([]);
    expect(ibAccountGuards(input({ openOrders: mine, ticket: { side: 'buy', type: 'limit', qty: '1', limitPrice: '199' } }), []).warnings.map((w) => w.code)).not.toContain('wash_trade');
  });

  it('replays executions oldest first by New York trade date, skipping what has no settlement rule, with the multiplier', () => {
    const find = (id: string) => [AAPL, ES].find((i) => i.id === id);
    const fills = cashFills(
      [
        { instrumentId: AAPL.id, side: 'sell', qty: '3', price: '201', ts: T + 60_000 },
        { instrumentId: ES.id, side: 'buy', qty: '1', price: '6000', ts: T },
        { instrumentId: AAPL.id, side: 'buy', qty: '3', price: '200', ts: Date.UTC(2026, 10, 18, 3, 0, 0) }, // 22:00 New York the day before
      ],
      find,
    );
    expect(fills).toEqual([
      { date: '2026-11-17', symbol: 'AAPL', side: 'buy', qty: '3', price: '200', crypto: false },
      { date: '2026-11-18', symbol: 'AAPL', side: 'sell', qty: '3', price: '201', crypto: false },
    ]);
  });
});
