/**
 * @stoqey/ib's IBApiNext (the RxJS client with auto-reconnect) against the TWS emulator.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionState, IBApiNext, OrderAction, OrderType, SecType, type AccountPositionsUpdate, type AccountSummariesUpdate, type Logger } from '@stoqey/ib';
import type { TwsEmulator } from '../../emulators/tws';
import { AAPL, startEmulator } from './harness';
import { until } from '../../support/until';

interface Subscribable<T> {
  subscribe(observer: { next: (v: T) => void; error: (e: unknown) => void }): { unsubscribe(): void };
}

/** First value of an observable that satisfies `pred`. */
function first<T>(obs: Subscribable<T>, pred: (v: T) => boolean = () => true, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    let sub: { unsubscribe(): void } | undefined;
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      sub?.unsubscribe();
      reject(new Error('timed out'));
    }, timeoutMs);
    sub = obs.subscribe({
      next: (v) => {
        if (done || !pred(v)) return;
        done = true;
        clearTimeout(timer);
        queueMicrotask(() => sub?.unsubscribe());
        resolve(v);
      },
      error: (e) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(JSON.stringify(e)));
      },
    });
  });
}

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe.each([193, 176])('IBApiNext end to end at server version %i', (sv) => {
  let emu: TwsEmulator;
  let ib: IBApiNext;

  afterEach(async () => {
    ib.disconnect();
    await emu.stop();
  });

  async function start(reconnectInterval = 0): Promise<void> {
    emu = await startEmulator({ serverVersion: sv, nextValidId: 100 });
    ib = new IBApiNext({ host: '127.0.0.1', port: emu.port, reconnectInterval, logger: quiet });
    ib.connect(11);
    await first(ib.connectionState, (s) => s === ConnectionState.Connected);
    // "Connected" fires on the server-version reply; a round trip makes sure START_API has landed too.
    await ib.getCurrentTime();
  }

  it('accounts, contract details, ids, orders, executions, commissions, positions, account summary, market data', async () => {
    await start();
    expect(await ib.getManagedAccounts()).toEqual(['DU123456']);
    const details = await ib.getContractDetails({ symbol: 'ES', secType: SecType.FUT, exchange: 'CME', currency: 'USD' });
    expect(details).toHaveLength(3);
    await expect(ib.getContractDetails({ symbol: 'NOPE', secType: SecType.STK, exchange: 'SMART', currency: 'USD' })).rejects.toMatchObject({ code: 200 });

    const id = await ib.getNextValidOrderId();
    expect(id).toBe(100);
    ib.placeOrder(id, AAPL, { action: OrderAction.BUY, totalQuantity: 4, orderType: OrderType.MKT, orderRef: 'next-1' });
    ib.placeOrder(id + 1, AAPL, { action: OrderAction.SELL, totalQuantity: 1, orderType: OrderType.LMT, lmtPrice: 300 });
    await until(() => emu.order({ clientId: 11, orderId: id }).status === 'Filled' && emu.order({ clientId: 11, orderId: id + 1 }).status === 'Submitted', { what: 'both orders at the emulator' });
    const open = await ib.getAllOpenOrders();
    expect(open.map((o) => [o.orderId, o.orderState.status])).toEqual([[id + 1, 'Submitted']]);

    const execs = await ib.getExecutionDetails({});
    expect(execs).toHaveLength(1);
    expect(execs[0]?.execution).toMatchObject({ orderId: id, shares: 4, orderRef: 'next-1' });
    const reports = await ib.getCommissionReport({});
    expect(reports[0]).toMatchObject({ execId: execs[0]?.execution.execId, commission: 1 });

    const positions = await first<AccountPositionsUpdate>(ib.getPositions(), (u) => (u.all.get('DU123456')?.length ?? 0) > 0);
    expect(positions.all.get('DU123456')?.[0]).toMatchObject({ pos: 4, contract: { symbol: 'AAPL' } });

    const summary = await first<AccountSummariesUpdate>(ib.getAccountSummary('All', 'NetLiquidation,TotalCashValue'), (u) => u.all.get('DU123456')?.get('TotalCashValue') !== undefined);
    expect(summary.all.get('DU123456')?.get('TotalCashValue')?.get('USD')?.value).toBe('999198.96');

    const snap = await ib.getMarketDataSnapshot(AAPL, '', false);
    expect(snap.get(1)?.value).toBe(199.99); // bid
    expect(snap.get(0)?.value).toBe(300); // bid size, from the separate tickSize
    expect(snap.get(2)?.value).toBe(200.01);

    ib.cancelOrder(id + 1);
    await until(() => emu.order({ clientId: 11, orderId: id + 1 }).status === 'Cancelled', { what: 'the cancel at the emulator' });
  });

  it('1100 is treated as a disconnect; with auto-reconnect it comes back on the same client id', async () => {
    await start(200);
    emu.injectConnectivity(1100);
    await first(ib.connectionState, (s) => s === ConnectionState.Disconnected);
    await first(ib.connectionState, (s) => s === ConnectionState.Connected, 5000);
    await ib.getCurrentTime();
    expect(emu.connectedClientIds()).toEqual([11]);
  });

  it('a TWS restart drops the socket and auto-reconnect rides through it', async () => {
    await start(200);
    const restarted = emu.restart({ downMs: 300, nextValidId: 5 });
    await first(ib.connectionState, (s) => s === ConnectionState.Disconnected);
    await restarted;
    await first(ib.connectionState, (s) => s === ConnectionState.Connected, 5000);
    expect(await ib.getNextValidOrderId()).toBe(5);
  });
});
