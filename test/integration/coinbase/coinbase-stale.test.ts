/**
 * Coinbase's market-data socket dropping, over real sockets: the emulator takes `/` down (the user
 * socket stays) → the quotes are re-sent stale and risk refuses a market order on them → the socket
 * is back, the resubscribed level2 snapshot makes them fresh again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedView, VenueHealthReport } from '../../../src-main/engine/api/venue-health';
import type { Quote } from '../../../src-main/engine/domain/order';
import type { CoinbaseConnector } from '../../../src-main/engine/venues/coinbase';
import type { CoinbaseEmulator } from '../../emulators/coinbase';
import { marketOrderVerdict } from '../../support/stale-risk';
import { until } from '../../support/until';
import { RecordingListener } from '../../support/venue-contract';
import { connectorRig, startEmulator } from './coinbase-rig';

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

let emu: CoinbaseEmulator;
let c: CoinbaseConnector;
let close: () => void;

afterEach(async () => {
  await c.stop();
  await emu.stop();
  close();
});

const control = async (command: string, body: Record<string, unknown>): Promise<unknown> => {
  const r = await fetch(`${emu.url}/__control/${command}`, { method: 'POST', body: JSON.stringify(body) });
  return r.json();
};

describe('Coinbase market data dropping', () => {
  it('quotes are stale while the market-data socket is down (risk refuses a market order), fresh after the resubscribed snapshot', async () => {
    emu = await startEmulator();
    const rig = await connectorRig(emu);
    c = rig.connector;
    close = rig.close;
    const l = new QuoteRecorder();
    await c.start(l);
    await until(() => c.state().state === 'connected', { timeoutMs: 10_000, what: 'coinbase connected' });
    const inst = c.instrument('BTC/USD')!;
    await until(() => c.quote(inst.id)?.ask && c.quote(inst.id)?.volume, { timeoutMs: 10_000, what: 'BTC-USD book and ticker' });
    const live = c.quote(inst.id)!;
    expect(live.stale).toBeUndefined();
    expect(marketOrderVerdict(inst, live, Date.now())).not.toContain('risk.stale_quote');

    const out = (await control('market-outage', { down: true })) as { dropped: number };
    expect(out.dropped).toBe(1);
    const stale = await until(() => l.quotes.find((q) => q.instrumentId === inst.id && q.stale === true), { timeoutMs: 10_000, what: 'the quote re-sent stale' });
    // The last known market and its day figures are kept, flagged.
    expect(stale).toMatchObject({ bid: live.bid, ask: live.ask, volume: live.volume });
    expect(c.quote(inst.id)!.stale).toBe(true);
    expect(marketOrderVerdict(inst, c.quote(inst.id), Date.now())).toContain('risk.stale_quote');
    expect(c.state().state).not.toBe('error');
    const down = await until(() => (l.quotesFeed()?.up === false ? l.quotesFeed() : undefined), { timeoutMs: 10_000, what: 'the quotes feed reported down' });
    expect(down).toMatchObject({ label: 'Coinbase market data', detail: expect.stringMatching(/down; reconnecting, quotes marked stale/) });
    expect(c.health().feeds).toEqual([down]);

    await control('market-outage', { down: false });
    const fresh = await until(() => (c.quote(inst.id)?.stale === undefined ? c.quote(inst.id) : undefined), { timeoutMs: 20_000, what: 'a fresh quote after the resubscription' });
    expect(fresh).toMatchObject({ bid: live.bid, ask: live.ask });
    expect(marketOrderVerdict(inst, fresh, Date.now())).not.toContain('risk.stale_quote');
    await until(() => l.quotesFeed()?.up, { timeoutMs: 10_000, what: 'the quotes feed reported up again' });
    expect(l.quotesFeed()).toMatchObject({ up: true, detail: 'Coinbase market data streaming' });
    expect(l.states.some((s) => s.state === 'error')).toBe(false);
  });
});
