/**
 * One account, one venue: a second IB venue on the same TWS session or account is refused up
 * front, naming the first; one whose account is only known after connecting goes to an error
 * state naming the first and adds nothing to positions, cash or risk; the fallback client id is
 * never taken silently.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Decimal } from '../../../src-main/engine/domain/money';
import type { IbkrConnector } from '../../../src-main/engine/venues/ibkr';
import { engineRig, marketClock, type EngineRig } from './ibkr-harness';
import { until } from '../../support/until';

describe('engine: one IB account, one venue', () => {
  const clock = marketClock();
  let r: EngineRig;
  beforeEach(async () => {
    r = await engineRig(clock, 'tp-ibkr-acct-');
    expect(r.added.ok).toBe(true);
  });
  afterEach(async () => {
    await r.close();
  });
  const base = () => ({ host: '127.0.0.1', port: String(r.emu.port), watchlist: '', reconnectMinMs: '100', reconnectMaxMs: '500' });

  it('adding IB again with the same host, port and client id is refused, naming the first; nothing connects as client 107', async () => {
    const again = await r.engine.call('venue.add', { kind: 'ibkr', settings: { ...base(), clientId: '7' } });
    expect(again.ok).toBe(false);
    expect(!again.ok && again.error).toMatchObject({ code: 'venue_exists' });
    expect(!again.ok && again.error.message).toMatch(/Venue "ib" already connects to the same TWS \(127\.0\.0\.1:\d+\) with the same client id 7\. One account, one venue/);
    expect(r.engine.internals.venues.list().map((v) => v.name)).toEqual(expect.not.arrayContaining(['ibkr']));
    expect(r.emu.connectedClientIds()).toEqual([7]);
  });

  it('a second venue with another client id on the same account goes to error naming the first, and doubles nothing', async () => {
    const pos = async () => {
      const p = await r.engine.call('positions.list', {});
      return p.ok ? p.value : [];
    };
    const cash = async () => {
      const b = await r.engine.call('balances.list', {});
      return b.ok ? b.value.filter((x) => x.asset === 'USD').reduce((a, x) => a.plus(x.total), new Decimal(0)) : new Decimal(0);
    };
    await r.engine.call('mode.set', { venue: 'ib', mode: 'live', arm: true });
    const bought = await r.engine.call('order.place', { venue: 'ib', symbol: 'AAPL', side: 'buy', type: 'market', qty: '5', tif: 'day' });
    expect(bought.ok).toBe(true);
    await until(async () => (await pos()).some((p) => p.venue === 'ib' && p.qty === '5'));
    await until(async () => (await cash()).gt(0));
    const cashBefore = await cash();
    const equityBefore = r.engine.internals.risk.equity();

    // Another client id on the same TWS and account is refused up front too.
    const sameTws = await r.engine.call('venue.add', { kind: 'ibkr', name: 'ib2', settings: { ...base(), clientId: '8' } });
    expect(!sameTws.ok && sameTws.error.message).toMatch(/Venue "ib" already connects to the same TWS \(127\.0\.0\.1:\d+\) for the same account/);
    // Reached under another host name, TWS's account is only known once connected.
    const second = await r.engine.call('venue.add', { kind: 'ibkr', name: 'ib2', settings: { ...base(), host: 'localhost', clientId: '8' } });
    expect(second.ok && second.value).toMatchObject({ name: 'ib2', state: 'error' });
    expect(second.ok && second.value.detail).toContain('IB account DU123456 is already traded by venue "ib"');
    expect((await pos()).filter((p) => p.venue === 'ib2')).toEqual([]);
    expect((await cash()).eq(cashBefore)).toBe(true);
    expect(r.engine.internals.risk.equity().eq(equityBefore)).toBe(true);
    // it let go of TWS: only the first venue's session remains
    await until(() => r.emu.connectedClientIds().join() === '7');
    // with the account known, naming it up front is refused before anything starts
    const third = await r.engine.call('venue.add', { kind: 'ibkr', name: 'ib3', settings: { ...base(), host: 'localhost', port: String(r.emu.port), clientId: '9', account: 'DU123456' } });
    expect(!third.ok && third.error.message).toMatch(/Venue "ib" already trades the account DU123456/);
  });

  it('the fallback client id is said in the status line, never taken silently', async () => {
    await r.engine.call('venue.remove', { name: 'ib' });
    r.emu.holdClientId(7);
    const added = await r.engine.call('venue.add', { kind: 'ibkr', name: 'ibx', settings: { ...base(), clientId: '7' } });
    expect(added.ok && added.value.detail).toBe('TWS 193 · DU123456 · client 107 (fallback: client id 7 is held by another session)');
  });

  it("account.summary takes IB's own net liquidation and buying power (cash plus the stock, not cash only)", async () => {
    await r.engine.call('mode.set', { venue: 'ib', mode: 'live', arm: true });
    const bought = await r.engine.call('order.place', { venue: 'ib', symbol: 'AAPL', side: 'buy', type: 'market', qty: '5', tif: 'day' });
    expect(bought.ok).toBe(true);
    const ib = r.engine.internals.venues.get('ib') as IbkrConnector;
    const s = await until(async () => {
      const a = await r.engine.call('account.summary', {});
      const v = a.ok ? a.value.venues.find((x) => x.venue === 'ib') : undefined;
      return v && v.source === 'venue' && new Decimal(v.cash).lt(1_000_000) && v.netLiquidation === new Decimal(ib.accountValue('NetLiquidation')!).toDecimalPlaces(2).toFixed() ? v : undefined;
    });
    expect(new Decimal(s.netLiquidation).gt(s.cash)).toBe(true);
    expect(s.buyingPower).toBe(new Decimal(ib.accountValue('BuyingPower')!).toDecimalPlaces(2).toFixed());
  });
});
