/** Kraken's own cases against its emulator: the checked book, nonces, the rate counter, preview, each order type, duplicate client id. */
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../support/until';
import { contractOrder, RecordingListener } from '../../support/venue-contract';
import { krakenSign } from '../../../src-main/engine/venues/kraken/kraken-auth';
import { krakenLimits } from '../../../src-main/engine/venues/kraken/kraken-limits';
import type { KrakenConnector } from '../../../src-main/engine/venues/kraken/kraken-connector';
import { VenueRejectedError } from '../../../src-main/engine/venues/venue-port';
import type { KrakenEmulator } from '../../emulators/kraken';
import { connectorRig, control, startEmulator } from './kraken-rig';

let emu: KrakenEmulator;
let c: KrakenConnector | undefined;
let close: (() => void) | undefined;

async function connect(
  opts: Parameters<typeof connectorRig>[1] = {},
  emuOpts?: Parameters<typeof startEmulator>[0],
): Promise<{ c: KrakenConnector; l: RecordingListener; rig: Awaited<ReturnType<typeof connectorRig>> }> {
  emu = await startEmulator(emuOpts);
  const rig = await connectorRig(emu, opts);
  c = rig.connector;
  close = () => rig.close();
  const l = new RecordingListener();
  await c.start(l);
  await until(() => c!.state().state === 'connected', { timeoutMs: 10_000, what: 'kraken connected' });
  return { c, l, rig };
}

afterEach(async () => {
  await c?.stop();
  c = undefined;
  await emu?.stop();
  close?.();
});

const levels = (xs: readonly { price: string; qty: string }[]) => xs.map((l) => [Number(l.price), Number(l.qty)]);

describe('Kraken book over WS v2', () => {
  it('equals the emulator book through updates; a bad checksum resubscribes and the book is equal again', async () => {
    const { c } = await connect();
    const id = c.instrument('BTC/USD')!.id;
    const same = () => {
      const b = c.book(id, 10);
      const e = emu.book.levels();
      return !!b && JSON.stringify(levels(b.bids)) === JSON.stringify(levels(e.bids)) && JSON.stringify(levels(b.asks)) === JSON.stringify(levels(e.asks));
    };
    await until(same, { timeoutMs: 10_000, what: 'snapshot equal' });
    await control(emu, 'book-update', { bids: [['99.6', '4']], asks: [['100.1', '0']] });
    await until(() => same() && c.quote(id)?.ask === '100.2', { timeoutMs: 10_000, what: 'update applied' });
    expect(c.bookMismatches(id)).toBe(0);
    await control(emu, 'book-update', { bids: [['99.7', '5']], corrupt: true });
    // The connector drops its copy, resubscribes, and rebuilds from a fresh snapshot.
    await until(() => c.bookMismatches(id) === 1 && same(), { timeoutMs: 10_000, what: 'resynced' });
    expect(levels(c.book(id, 10)!.bids)).toContainEqual([99.7, 5]);
    await control(emu, 'book-update', { asks: [['100.3', '1']] });
    await until(() => same() && levels(c.book(id, 10)!.asks).some(([p]) => p === 100.3), { timeoutMs: 10_000, what: 'updates after the resync' });
    expect(c.bookMismatches(id)).toBe(1);
  });
});

describe('Kraken trades over WS v2', () => {
  it("the trade channel sets the quote's last price: a public trade, then our own fill on the tape", async () => {
    const { c, l } = await connect();
    const id = c.instrument('BTC/USD')!.id;
    await until(() => c.book(id, 10) !== undefined, { timeoutMs: 10_000, what: 'book ready' });
    await control(emu, 'public-trade', { side: 'sell', price: '99.9', qty: '0.25' });
    await until(() => c.quote(id)?.last === '99.9', { timeoutMs: 10_000, what: 'last from a public trade' });
    expect(c.quote(id)).toMatchObject({ bid: '99.9', ask: '100.1', last: '99.9' });
    const o = contractOrder(c.name, c.instrument('BTC/USD')!, { side: 'buy', type: 'market', qty: '0.01', tif: 'ioc' });
    await c.submit(o);
    await until(() => l.fills.some((f) => f.clientOrderId === o.clientOrderId), { timeoutMs: 10_000, what: 'our fill' });
    await until(() => c.quote(id)?.last === '100.1', { timeoutMs: 10_000, what: 'last from our own trade' });
  });

  it('a late subscriber gets the last trades as a snapshot: its first quote already has the last price', async () => {
    emu = await startEmulator();
    await control(emu, 'public-trade', { side: 'buy', price: '100.2', qty: '1' });
    const rig = await connectorRig(emu, {});
    c = rig.connector;
    close = () => rig.close();
    await c.start(new RecordingListener());
    const id = await until(() => c!.instrument('BTC/USD')?.id, { timeoutMs: 10_000, what: 'instruments' });
    await until(() => c!.quote(id)?.last === '100.2', { timeoutMs: 10_000, what: 'last from the snapshot' });
  });
});

describe('Kraken nonces', () => {
  it('a restart with the clock set back still sends a larger nonce (persisted per key)', async () => {
    let now = Date.now();
    const first = await connect({ now: () => now });
    await first.c.balances();
    await first.c.stop();
    now -= 3_600_000;
    c = first.rig.reopen();
    expect(await c.balances()).toContainEqual(expect.objectContaining({ asset: 'BTC' }));
  });

  it('EAPI:Invalid nonce (another program on the same key) is explained, not retried', async () => {
    const { c } = await connect();
    // Another program signs a call with a nonce far ahead of ours.
    const body = `nonce=${(Date.now() + 86_400_000) * 1000}`;
    const r = await fetch(`${emu.url}/0/private/Balance`, {
      method: 'POST',
      body,
      headers: { 'API-Key': emu.apiKey, 'API-Sign': krakenSign('/0/private/Balance', body.slice(6), body, emu.apiSecret), 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(((await r.json()) as { error: string[] }).error).toEqual([]);
    const seen = emu.server.requests.length;
    const o = contractOrder(c.name, c.instrument('BTC/USD')!, { side: 'buy', type: 'limit', qty: '0.01', limitPrice: '90', tif: 'gtc' });
    const err = await c.submit(o).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VenueRejectedError);
    expect((err as Error).message).toMatch(/EAPI:Invalid nonce.*another program/);
    expect(emu.server.requests.length).toBe(seen + 1);
  });
});

describe('Kraken rate counter', () => {
  it("a burst of queries waits for the counter to decay instead of tripping Kraken's limit", async () => {
    const fast = { counterMax: 15, counterDecayPerSec: 4 };
    const l = krakenLimits('starter');
    const limits = { ...l, budgets: l.budgets.map((b) => (b.kind === 'decay' && b.id === 'calls' ? { ...b, decayPerSec: 4 } : b)) };
    const { c } = await connect({ limits }, fast);
    // 20 calls against a counter of 15 that decays 4/s: the last ones must wait for the decay (about 1.25 s), never trip the limit.
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => c.balances()));
    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    expect(emu.server.requests.filter((r) => r.path === '/0/private/BalanceEx').length).toBe(20);
  }, 90_000);

  it('EAPI:Rate limit exceeded (the key used elsewhere) pauses calls on the key and says so', async () => {
    const { c } = await connect({}, { counterMax: 3, counterDecayPerSec: 0.5 });
    const errors: string[] = [];
    for (let i = 0; i < 5; i++) await c.balances().catch((e: Error) => errors.push(e.message));
    expect(errors.some((m) => /EAPI:Rate limit exceeded/.test(m))).toBe(true);
    expect(c.health().usage?.blockedUntil).toBeGreaterThan(Date.now());
  });
});

describe('Kraken orders', () => {
  it('each order type and TIF round-trips: market, limit IOC, post-only, GTD, stop, stop-limit', async () => {
    const { c, l } = await connect();
    const inst = c.instrument('BTC/USD')!;
    const market = contractOrder(c.name, inst, { side: 'buy', type: 'market', qty: '0.01', tif: 'ioc' });
    await c.submit(market);
    await until(() => l.fills.find((f) => f.clientOrderId === market.clientOrderId), { timeoutMs: 10_000, what: 'market filled' });
    const ioc = contractOrder(c.name, inst, { side: 'buy', type: 'limit', qty: '0.01', limitPrice: '50', tif: 'ioc' });
    await c.submit(ioc);
    await until(async () => (await c.lookup(ioc.clientOrderId))?.status === 'cancelled', { timeoutMs: 10_000, what: 'IOC cancelled' });
    const post = { ...contractOrder(c.name, inst, { side: 'buy', type: 'limit', qty: '0.01', limitPrice: '200', tif: 'gtc' }), postOnly: true };
    await c.submit(post);
    await until(async () => (await c.lookup(post.clientOrderId))?.status === 'cancelled', { timeoutMs: 10_000, what: 'post-only that would take: cancelled' });
    const gtd = { ...contractOrder(c.name, inst, { side: 'buy', type: 'limit', qty: '0.01', limitPrice: '80', tif: 'gtd' }), expireAt: Date.now() + 3_600_000 };
    await c.submit(gtd);
    expect(await c.lookup(gtd.clientOrderId)).toMatchObject({ tif: 'gtd', limitPrice: '80', status: 'accepted' });
    const stop = { ...contractOrder(c.name, inst, { side: 'sell', type: 'stop', qty: '0.01', tif: 'gtc' }), stopPrice: '90' };
    await c.submit(stop);
    expect(await c.lookup(stop.clientOrderId)).toMatchObject({ type: 'stop', stopPrice: '90' });
    const sl = { ...contractOrder(c.name, inst, { side: 'sell', type: 'stop_limit', qty: '0.01', limitPrice: '89', tif: 'gtc' }), stopPrice: '90' };
    await c.submit(sl);
    expect(await c.lookup(sl.clientOrderId)).toMatchObject({ type: 'stop_limit', stopPrice: '90', limitPrice: '89' });
  });

  it("a duplicate client id among open orders is refused with Kraken's words, and only one order exists", async () => {
    const { c } = await connect();
    const inst = c.instrument('BTC/USD')!;
    const o = contractOrder(c.name, inst, { side: 'buy', type: 'limit', qty: '0.01', limitPrice: '90', tif: 'gtc' });
    await c.submit(o);
    const err = await c.submit(o).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VenueRejectedError);
    expect((err as Error).message).toContain('EOrder:Duplicate order');
    expect(emu.orders.all().filter((x) => x.cl_ord_id === o.clientOrderId)).toHaveLength(1);
  });

  it('preview: validate=true places nothing; fee from the pair schedule; a refusal is a violation in Kraken words', async () => {
    const { c } = await connect();
    const inst = c.instrument('BTC/USD')!;
    const before = emu.orders.all().length;
    const p = await c.preview(inst, { side: 'buy', type: 'limit', qty: '1', limitPrice: '100.5', tif: 'gtc' });
    expect(p).toMatchObject({ estPrice: '100.5', estNotional: '100.5', estFee: '0.402', currency: 'USD', violations: [] });
    const bad = await c.preview(inst, { side: 'buy', type: 'limit', qty: '1', limitPrice: '100.55', tif: 'gtc' });
    expect(bad.violations[0]?.message).toContain('EOrder:Invalid price');
    expect(emu.orders.all().length).toBe(before);
    // Past 10,000 USD of 30-day volume (TradeVolume) the account is in the next tier: 0.35 % taker.
    await c.submit(contractOrder(c.name, inst, { side: 'buy', type: 'market', qty: '100', tif: 'ioc' }));
    const next = await c.preview(inst, { side: 'buy', type: 'limit', qty: '1', limitPrice: '100.5', tif: 'gtc' });
    expect(next.estFee).toBe('0.35175');
  });
});
