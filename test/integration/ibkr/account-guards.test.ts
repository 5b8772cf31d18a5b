/**
 * The cash-account guards on an IB preview, against the TWS emulator in cash-account mode (sale
 * proceeds settle T+1 in SettledCash): a buy paid with unsettled proceeds is warned, selling it
 * before they settle is a good-faith violation (warned), and a buy beyond all cash is free-riding
 * (blocked). Values and executions come from TWS over the socket, as the preview sees them live.
 */
import { afterEach, expect, it } from 'vitest';
import { Decimal } from '../../../src-main/engine/domain/money';
import type { Order } from '../../../src-main/engine/domain/order';
import { rig, type Rig } from './ibkr-harness';
import { until } from '../../support/until';

let r: Rig;
afterEach(async () => {
  await r?.close();
});

let seq = 0;
function order(instrumentId: string, o: Pick<Order, 'side' | 'type' | 'qty'>): Order {
  const id = `g${Date.now().toString(36)}${++seq}`;
  return {
    id,
    clientOrderId: `tp-${id}`,
    venue: 'ib',
    instrumentId,
    symbol: 'AAPL',
    tif: 'day',
    status: 'pending_submit',
    filledQty: '0',
    avgFillPrice: '0',
    fees: '0',
    source: 'user',
    createdAt: 0,
    updatedAt: 0,
    ...o,
  };
}

it('cash account: unsettled proceeds warned on the buy, the sale before settlement is a good-faith violation, a buy past all cash is blocked', async () => {
  r = await rig({ emu: { cashAccount: true, initialCash: '2500' }, settings: { accountKind: 'cash' } });
  const [inst] = await r.conn.resolveSymbol('AAPL');
  const filled = async (o: Order) => {
    await r.conn.submit(o);
    await until(() => r.listener.lastReport(o.clientOrderId)?.status === 'filled', { what: `${o.side} filled` });
  };
  await filled(order(inst!.id, { side: 'buy', type: 'market', qty: '10' })); // paid with settled cash
  await filled(order(inst!.id, { side: 'sell', type: 'market', qty: '10' })); // proceeds settle tomorrow
  const settled = () => new Decimal(r.conn.accountValue('SettledCash') ?? '0');
  const total = () => new Decimal(r.conn.accountValue('TotalCashValue') ?? '0');
  await until(() => total().minus(settled()).gt(1900), { what: 'TWS reports the sale proceeds as unsettled' });

  const buy = await r.conn.preview(inst!, { side: 'buy', type: 'limit', qty: '5', limitPrice: '200', tif: 'day' });
  expect(buy.violations).toEqual([]);
  expect(buy.warnings.find((w) => w.code === 'settlement')?.message).toMatch(
    /^Cash account: settled 49\d\.\d+ USD, unsettled 1999\.\d+ USD \(settles by 2026-11-19\); 0 good-faith or free-riding violation\(s\) in the executions IB lists \(its last 7 days\)\.$/,
  );
  expect(buy.warnings.find((w) => w.code === 'unsettled_funds')?.message).toMatch(/ of this buy is paid with proceeds that settle on 2026-11-19; selling it before then is a good-faith violation\.$/);

  await filled(order(inst!.id, { side: 'buy', type: 'market', qty: '5' }));
  const sell = await r.conn.preview(inst!, { side: 'sell', type: 'limit', qty: '5', limitPrice: '199', tif: 'day' });
  expect(sell.warnings.find((w) => w.code === 'good_faith_violation')?.message).toMatch(
    /^These AAPL shares were bought with proceeds that settle on 2026-11-19; selling before then is a good-faith violation/,
  );
  expect(sell.violations).toEqual([]);

  const tooBig = await r.conn.preview(inst!, { side: 'buy', type: 'limit', qty: '20', limitPrice: '200', tif: 'day' });
  expect(tooBig.violations.map((v) => v.code)).toContain('free_riding');
});

it('margin account (the default): no settlement guard, IB’s whatIf decides', async () => {
  r = await rig();
  const [inst] = await r.conn.resolveSymbol('AAPL');
  const p = await r.conn.preview(inst!, { side: 'buy', type: 'limit', qty: '5', limitPrice: '200', tif: 'day' });
  expect(p.warnings.map((w) => w.code)).not.toContain('settlement');
  expect(p.violations).toEqual([]);
});
