/**
 * tastytrade quotes over DXLink against the emulator's hub, over real sockets: a quote set at the
 * emulator reaches `connector.quote(id)` and the listener, a trade becomes `last`, a chain pick is
 * subscribed too, and after the kit's `drop-sockets` fault the feed comes back resubscribed. While
 * the emulator holds DXLink down, health() shows the `quotes` feed down and the quotes are stale;
 * once it is back the feed is up and the next quotes are fresh.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VenueHealthReport } from '../../../src-main/engine/api/venue-health';
import type { Quote } from '../../../src-main/engine/domain/order';
import { RecordingListener } from '../../support/venue-contract';
import { until } from '../../support/until';
import type { TastytradeEmulator } from '../../emulators/tastytrade';
import type { TastytradeConnector } from '../../../src-main/engine/venues/tastytrade/tastytrade-connector';
import { connectedRig, control } from './tastytrade-rig';

class QuoteListener extends RecordingListener {
  readonly quotes: Quote[] = [];
  readonly healthReports: VenueHealthReport[] = [];
  override quote(q: Quote): void {
    this.quotes.push(q);
  }
  health(h: VenueHealthReport): void {
    this.healthReports.push(h);
  }
}

let emu: TastytradeEmulator;
let c: TastytradeConnector;
let l: QuoteListener;
let stop: () => Promise<void>;

beforeEach(async () => {
  l = new QuoteListener();
  ({ emu, connector: c, stop } = await connectedRig(l));
});
afterEach(() => stop());

describe('tastytrade quotes over DXLink', () => {
  it('a quote set at the emulator reaches quote(id) and the listener; a trade sets last', async () => {
    const aapl = (await c.lookupInstrument('AAPL'))!;
    await until(() => c.state().detail.includes('DXLink quotes streaming'), { timeoutMs: 10_000, what: 'DXLink up in the state detail' });
    await until(() => emu.dxlink.state().subscriptions.some((s) => s.includes('AAPL')), { timeoutMs: 10_000, what: 'AAPL subscribed' });
    const before = emu.now();
    await control(emu, 'set-quote', { symbol: 'AAPL', bid: '151.25', ask: '151.3' });
    const q = await until(() => (c.quote(aapl.id)?.bid === '151.25' ? c.quote(aapl.id) : undefined), { timeoutMs: 10_000, what: 'the new AAPL quote' });
    expect(q).toMatchObject({ instrumentId: aapl.id, bid: '151.25', ask: '151.3' });
    // ts comes from the connector's injected clock (the rig gives it the emulator's).
    expect(q!.ts).toBeGreaterThanOrEqual(before);
    expect(q!.ts).toBeLessThanOrEqual(emu.now());
    expect(q!.bidSize).toMatch(/^\d+(\.\d+)?$/);
    expect(l.quotes.some((x) => x.instrumentId === aapl.id && x.bid === '151.25' && x.ask === '151.3')).toBe(true);
    emu.dxlink.pushTrade('AAPL', '151.27', '10');
    const traded = await until(() => (c.quote(aapl.id)?.last === '151.27' ? c.quote(aapl.id) : undefined), { timeoutMs: 10_000, what: 'the trade as last' });
    expect(traded).toMatchObject({ bid: '151.25', ask: '151.3', last: '151.27' });
  });

  it('an option picked from the chain streams too', async () => {
    const chain = await c.optionChain('AAPL');
    const call = chain.expiries[0]!.strikes.find((k) => k.strike === '150')!.call!;
    await control(emu, 'set-quote', { symbol: 'AAPL  260320C00150000', bid: '4.1', ask: '4.2' });
    const q = await until(() => (c.quote(call)?.bid === '4.1' ? c.quote(call) : undefined), { timeoutMs: 10_000, what: 'the option quote' });
    expect(q).toMatchObject({ instrumentId: call, bid: '4.1', ask: '4.2' });
  });

  it('after drop-sockets the feed comes back resubscribed; the venue never errors over quotes', async () => {
    const aapl = (await c.lookupInstrument('AAPL'))!;
    await until(() => emu.dxlink.state().subscriptions.some((s) => s.includes('AAPL')), { timeoutMs: 10_000, what: 'AAPL subscribed' });
    const dropped = (await control(emu, 'fault', { kind: 'drop-sockets' })) as { dropped: number };
    expect(dropped.dropped).toBeGreaterThanOrEqual(2);
    await until(() => emu.dxlink.state().subscriptions.some((s) => s.includes('AAPL')), { timeoutMs: 10_000, what: 'AAPL resubscribed' });
    await control(emu, 'set-quote', { symbol: 'AAPL', bid: '152.5', ask: '152.6' });
    const q = await until(() => (c.quote(aapl.id)?.bid === '152.5' ? c.quote(aapl.id) : undefined), { timeoutMs: 10_000, what: 'a quote after the drop' });
    expect(q).toMatchObject({ ask: '152.6' });
    await until(() => c.state().state === 'connected' && c.state().detail.includes('DXLink quotes streaming'), { timeoutMs: 10_000, what: 'connected with quotes again' });
    expect(l.states.some((s) => s.state === 'error')).toBe(false);
  });

  it('DXLink down: health shows the quotes feed down, the quotes are marked stale; back: feed up, quotes fresh', async () => {
    const aapl = (await c.lookupInstrument('AAPL'))!;
    await until(() => emu.dxlink.state().subscriptions.some((s) => s.includes('AAPL')), { timeoutMs: 10_000, what: 'AAPL subscribed' });
    await control(emu, 'set-quote', { symbol: 'AAPL', bid: '150.5', ask: '150.6' });
    await until(() => c.quote(aapl.id)?.bid === '150.5', { timeoutMs: 10_000, what: 'a live AAPL quote' });
    expect(c.health().feeds).toEqual([expect.objectContaining({ id: 'quotes', label: 'DXLink quotes', up: true })]);
    expect(c.quote(aapl.id)!.stale).toBeUndefined();

    const out = (await control(emu, 'dxlink-outage', { down: true })) as { dropped: number };
    expect(out.dropped).toBe(1);
    const stale = await until(() => l.quotes.find((q) => q.instrumentId === aapl.id && q.stale === true), { timeoutMs: 10_000, what: 'the AAPL quote re-sent stale' });
    expect(stale).toMatchObject({ bid: '150.5', ask: '150.6' });
    expect(c.quote(aapl.id)).toMatchObject({ bid: '150.5', stale: true });
    const down = c.health().feeds![0]!;
    expect(down).toMatchObject({ up: false });
    expect(down.detail).toContain('quotes marked stale');
    expect(l.healthReports.some((h) => h.feeds?.[0]?.up === false)).toBe(true);
    // The account streamer is untouched: the venue stays connected, never in error.
    expect(c.state().state).toBe('connected');

    await control(emu, 'dxlink-outage', { down: false });
    await until(() => c.health().feeds![0]!.up, { timeoutMs: 10_000, what: 'DXLink back up' });
    expect(c.health().feeds![0]!.since).toBeGreaterThanOrEqual(down.since);
    await until(() => emu.dxlink.state().subscriptions.some((s) => s.includes('AAPL')), { timeoutMs: 10_000, what: 'AAPL resubscribed' });
    await control(emu, 'set-quote', { symbol: 'AAPL', bid: '151', ask: '151.1' });
    const fresh = await until(() => (c.quote(aapl.id)?.bid === '151' ? c.quote(aapl.id) : undefined), { timeoutMs: 10_000, what: 'a fresh AAPL quote' });
    expect(fresh!.stale).toBeUndefined();
    expect(l.healthReports.at(-1)?.feeds?.[0]?.up).toBe(true);
    expect(l.states.some((s) => s.state === 'error')).toBe(false);
  });
});
