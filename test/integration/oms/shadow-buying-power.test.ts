/**
 * SHADOW orders are judged against the REAL account's buying power, from the real venue's own
 * preview figures: an order the real account could not afford is blocked (as LIVE would be), with
 * a message that says it is the real account's; a venue that gives no buying power gets a warning.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Decimal } from '../../../src-main/engine/domain/money';
import { makeHarness, type Harness } from './harness';

const buy = (qty: string, px = '99.50') => ({ venue: 'scripted', symbol: 'XYZ/USD', side: 'buy', type: 'limit', qty, limitPrice: px, tif: 'gtc' }) as const;

describe('SHADOW buying power (the scripted venue, in its default SHADOW mode)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('blocks preview and place when the real account would go negative; nothing journaled or simulated', async () => {
    h.venue().buyingPower = new Decimal('1000');
    const p = await h.ok('order.preview', buy('20'));
    expect(p).toMatchObject({ route: 'shadow', allowed: false, buyingPowerBefore: '1000', buyingPowerAfter: '-990' });
    const v = p.violations.find((x) => x.code === 'insufficient_funds');
    expect(v?.message).toMatch(
      /^Not enough buying power in your real .+ account: it would go from 1000 to -990 USD with this order\. This SHADOW order is only simulated, but the same order sent LIVE would be refused\./,
    );
    expect(p.warnings.map((w) => w.code)).not.toContain('shadow.buying_power_unknown');

    const before = (await h.ok('orders.list', { all: true })).length;
    const r = await h.engine.call('order.place', buy('20'));
    expect(!r.ok && r.error).toMatchObject({ code: 'insufficient_funds', message: expect.stringContaining(v!.message) });
    expect((await h.ok('orders.list', { all: true })).length).toBe(before);
    expect(await h.engine.internals.shadow('scripted').openOrders()).toEqual([]);
    expect(h.venue().submitCalls).toBe(0);
    const audit = await h.ok('audit.list', { action: 'risk.breach' });
    expect(audit[0]).toMatchObject({ ok: false, detail: { route: 'shadow', violations: [expect.objectContaining({ code: 'insufficient_funds' })] } });
  });

  it('an affordable SHADOW order passes without a buying-power warning; a modify past the real buying power is refused', async () => {
    h.venue().buyingPower = new Decimal('1000');
    const p = await h.ok('order.preview', buy('5'));
    expect(p).toMatchObject({ route: 'shadow', allowed: true, buyingPowerAfter: '502.5' });
    expect(p.warnings.map((w) => w.code)).not.toContain('shadow.buying_power_unknown');
    const o = await h.ok('order.place', buy('5'));
    expect(o).toMatchObject({ route: 'shadow', status: 'accepted' });
    // The real account reserves nothing for a simulated order, so the whole new ticket is judged.
    const r = await h.engine.call('order.replace', { id: o.id, qty: '15' });
    expect(!r.ok && r.error).toMatchObject({ code: 'insufficient_funds', message: expect.stringMatching(/your real .+ account/) });
    expect(h.engine.internals.orders.byId(o.id)).toMatchObject({ status: 'accepted', qty: '5' });
    expect((await h.ok('order.replace', { id: o.id, qty: '8' })).qty).toBe('8');
  });

  it("the venue's own insufficient_funds is reworded to name the real account, not doubled", async () => {
    h.venue().buyingPower = new Decimal('1000');
    h.venue().previewViolations = [{ code: 'insufficient_funds', message: 'Margin after this order would be -990 USD.' }];
    const p = await h.ok('order.preview', buy('20'));
    const v = p.violations.filter((x) => x.code === 'insufficient_funds');
    expect(v).toHaveLength(1);
    expect(v[0]!.message).toMatch(/^Not enough buying power in your real .+ account: Margin after this order would be -990 USD\. This SHADOW order is only simulated/);
  });

  it('an order that does not lower the buying power (a sell) passes even when the account is already negative', async () => {
    h.venue().buyingPower = new Decimal('-5');
    // The scripted venue leaves buying power as it is on a sell.
    const sell = await h.ok('order.preview', { ...buy('1', '100.50'), side: 'sell' });
    expect(sell).toMatchObject({ allowed: true, buyingPowerBefore: '-5', buyingPowerAfter: '-5' });
    const more = await h.ok('order.preview', buy('1'));
    expect(more.violations.find((x) => x.code === 'insufficient_funds')?.message).toMatch(/it would go from -5 to -104.5 USD/);
  });

  it('a venue without buying power: a warning that the real account could not be checked; the order is allowed', async () => {
    const p = await h.ok('order.preview', buy('20'));
    expect(p).toMatchObject({ route: 'shadow', allowed: true, buyingPowerBefore: null, buyingPowerAfter: null });
    const w = p.warnings.find((x) => x.code === 'shadow.buying_power_unknown');
    expect(w?.message).toMatch(/did not report buying power for this order, so SHADOW could not check whether your real .+ account could afford it/);
    expect((await h.ok('order.place', buy('20'))).status).toBe('accepted');
  });

  it('LIVE and Paper routes are not touched: the venue itself judges its account there', async () => {
    await h.ok('mode.set', { venue: 'scripted', mode: 'live', arm: true });
    const p = await h.ok('order.preview', buy('20'));
    expect(p.route).toBe('live');
    expect(p.warnings.map((w) => w.code)).not.toContain('shadow.buying_power_unknown');
    h.venue().buyingPower = new Decimal('1000');
    expect((await h.ok('order.preview', buy('20'))).violations.map((v) => v.code)).not.toContain('insufficient_funds');
  });
});
