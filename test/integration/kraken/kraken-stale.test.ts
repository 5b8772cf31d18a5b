/**
 * Kraken's public socket dropping, over real sockets: the emulator takes the public feed down (the
 * private executions socket stays) → the quotes are re-sent stale and risk refuses a market order on
 * them, while risk's REST refresh gives a fresh one → the feed comes back, the resubscribed
 * book's snapshot makes them fresh again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedView, VenueHealthReport } from '../../../src-main/engine/api/venue-health';
import type { Quote } from '../../../src-main/engine/domain/order';
import type { KrakenConnector } from '../../../src-main/engine/venues/kraken/kraken-connector';
import type { KrakenEmulator } from '../../emulators/kraken';
import { marketOrderVerdict } from '../../support/stale-risk';
import { until } from '../../support/until';
import { RecordingListener } from '../../support/venue-contract';
import { connectorRig, control, startEmulator } from './kraken-rig';

class QuoteRecorder extends RecordingListener {
  readonly quotes: Quote[] = [];
  readonly healths: VenueHealthReport[] = [];
  override quote(q: Quote): void {
    this.quotes.push(q);
  }
  health(r: VenueHealthReport): void {
    this.healths.push(r);
  }
  /** The `quotes` feed as last reported to the engine (what the status bar shows). */
  quotesFeed(): FeedView | undefined {
    return this.healths.at(-1)?.feeds?.find((f) => f.id === 'quotes');
  }
}

let emu: KrakenEmulator;
let c: KrakenConnector;
let close: () => void;

afterEach(async () => {
  await c.stop();
  await emu.stop();
  close();
});

describe('Kraken market data dropping', () => {
  it('quotes are stale while the public feed is down (risk refuses a market order), fresh after the resubscribed snapshot', async () => {
    emu = await startEmulator();
    const rig = await connectorRig(emu);
    c = rig.connector;
    close = () => rig.close();
    const l = new QuoteRecorder();
    await c.start(l);
    await until(() => c.state().state === 'connected', { timeoutMs: 10_000, what: 'kraken connected' });
    const inst = c.instrument('BTC/USD')!;
    await until(() => c.quote(inst.id)?.ask, { timeoutMs: 10_000, what: 'a live quote' });
    const live = c.quote(inst.id)!;
    expect(live.stale).toBeUndefined();
    expect(marketOrderVerdict(inst, live, Date.now())).not.toContain('risk.stale_quote');
    expect(l.quotesFeed()).toMatchObject({ label: 'Kraken market data', up: true });

    const out = (await control(emu, 'market-outage', { down: true })) as { dropped: number };
    expect(out.dropped).toBe(1);
    const stale = await until(() => l.quotes.find((q) => q.instrumentId === inst.id && q.stale === true), { timeoutMs: 10_000, what: 'the quote re-sent stale' });
    expect(stale).toMatchObject({ bid: live.bid, ask: live.ask });
    expect(c.quote(inst.id)!.stale).toBe(true);
    expect(marketOrderVerdict(inst, c.quote(inst.id), Date.now())).toContain('risk.stale_quote');
    expect(c.book(inst.id, 10)).toBeUndefined();
    // The status bar hears of it: the health report's `quotes` feed is down, with the reason.
    const down = await until(() => (l.quotesFeed()?.up === false ? l.quotesFeed() : undefined), { timeoutMs: 10_000, what: 'the quotes feed reported down' });
    expect(down).toMatchObject({ label: 'Kraken market data', detail: expect.stringMatching(/down; reconnecting, quotes marked stale/) });
    expect(down!.since).toBeGreaterThan(0);
    expect(c.health().feeds).toEqual([down]);
    // Risk's refresh (a REST touch) gives a quote from now, fresh while the socket is still down.
    const rest = await c.snapshotQuote(inst.id);
    expect(rest).toMatchObject({ bid: live.bid, ask: live.ask });
    expect(c.quote(inst.id)!.stale).toBeUndefined();
    expect(marketOrderVerdict(inst, c.quote(inst.id), Date.now())).not.toContain('risk.stale_quote');

    await control(emu, 'market-outage', { down: false });
    await control(emu, 'book-update', { asks: [['100.1', '0']] });
    const fresh = await until(() => (c.quote(inst.id)?.ask === '100.2' ? c.quote(inst.id) : undefined), { timeoutMs: 20_000, what: 'a quote from the resubscribed book' });
    expect(fresh!.stale).toBeUndefined();
    expect(marketOrderVerdict(inst, fresh, Date.now())).not.toContain('risk.stale_quote');
    await until(() => l.quotesFeed()?.up, { timeoutMs: 10_000, what: 'the quotes feed reported up again' });
    expect(l.quotesFeed()).toMatchObject({ up: true, detail: 'Kraken market data streaming' });
    expect(l.states.some((s) => s.state === 'error')).toBe(false);
  });
});
