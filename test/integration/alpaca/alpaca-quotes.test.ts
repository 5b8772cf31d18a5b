/**
 * Alpaca quotes over real sockets against the emulator: every symbol subscribed is seeded from
 * Alpaca's snapshots (one batched request per asset class), so the watchlist shows the previous
 * close, day high/low and volume before any streamed daily bar; a failed snapshot leaves the stream
 * working; and the market-data sockets dropping marks the quotes stale (risk refuses a market order
 * on them) until the reconnected stream's next quote.
 */
import Decimal from 'decimal.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Quote } from '../../../src-main/engine/domain/order';
import type { AlpacaConnector } from '../../../src-main/engine/venues/alpaca/alpaca-connector';
import type { AlpacaEmulator } from '../../emulators/alpaca';
import { RecordingListener } from '../../support/venue-contract';
import { marketOrderVerdict } from '../../support/stale-risk';
import { until } from '../../support/until';
import { connectorRig, control, startEmulator } from './alpaca-rig';

class QuoteRecorder extends RecordingListener {
  readonly quotes: Quote[] = [];
  override quote(q: Quote): void {
    this.quotes.push(q);
  }
}

let emu: AlpacaEmulator;
let c: AlpacaConnector;
let l: QuoteRecorder;
let closeRig: () => void;

async function connect(before?: () => Promise<void>): Promise<void> {
  emu = await startEmulator();
  await before?.();
  const rig = await connectorRig(emu);
  c = rig.connector;
  closeRig = rig.close;
  l = new QuoteRecorder();
  await c.start(l);
  await until(() => c.state().state === 'connected', { timeoutMs: 10_000, what: 'alpaca connected' });
}

afterEach(async () => {
  await c.stop();
  await emu.stop();
  closeRig();
});

const seeded = (id: string): Quote | undefined => {
  const q = c.quote(id);
  return q?.prevClose !== undefined ? q : undefined;
};
const snapshotCalls = (path: string) => emu.server.requests.filter((r) => r.method === 'GET' && r.path === path);

describe('Alpaca snapshots seed the day figures', () => {
  it('the watchlist quote has the previous close, day high/low and volume before any streamed bar, from one request per asset class', async () => {
    await connect(async () => {
      await control(emu, 'set-prev-close', { symbol: 'AAPL', close: '185' });
    });
    // Nothing has been streamed (the emulator has no tick timer): these come from the snapshot.
    const q = await until(() => seeded('alp:AAPL'), { timeoutMs: 10_000, what: 'the AAPL snapshot' });
    expect(q).toMatchObject({ bid: '189.99', ask: '190.01', last: '190', prevClose: '185', dayHigh: '190', dayLow: '190', volume: '300' });
    expect(q!.stale).toBeUndefined();
    expect(c.quote('alp:BTC/USD')).toMatchObject({ bid: '91000', ask: '91010', prevClose: '89184.9' });
    expect(l.quotes.some((x) => x.instrumentId === 'alp:AAPL' && x.prevClose === '185' && x.volume === '300')).toBe(true);
    // Change since the previous close is now computable for the watchlist: 190 vs 185.
    expect(new Decimal(q!.last!).minus(q!.prevClose!).toString()).toBe('5');
    const stocks = snapshotCalls('/v2/stocks/snapshots');
    expect(stocks).toHaveLength(1);
    expect(new URLSearchParams(stocks[0]!.query).get('symbols')!.split(',').sort()).toEqual(['AAPL', 'SPY']);
    expect(new URLSearchParams(stocks[0]!.query).get('feed')).toBe('iex');
    const crypto = snapshotCalls('/v1beta3/crypto/us/snapshots');
    expect(crypto.map((r) => new URLSearchParams(r.query ?? '').get('symbols'))).toEqual(['BTC/USD']);

    // The stream then moves them; the previous close stays.
    await control(emu, 'set-quote', { symbol: 'AAPL', bid: '195.00', ask: '195.10' });
    const moved = await until(() => (c.quote('alp:AAPL')?.bid === '195' && c.quote('alp:AAPL')?.dayHigh !== '190' ? c.quote('alp:AAPL') : undefined), {
      timeoutMs: 10_000,
      what: 'the streamed quote and daily bar',
    });
    expect(moved).toMatchObject({ prevClose: '185', dayHigh: '195.05', last: '195.05' });
    expect(new Decimal(moved!.volume!).gt(300)).toBe(true);
  });

  it('a symbol subscribed later is seeded from its own snapshot', async () => {
    await connect();
    expect(c.quote('alp:MSFT')).toBeUndefined(); // subscribes MSFT
    const q = await until(() => seeded('alp:MSFT'), { timeoutMs: 10_000, what: 'the MSFT snapshot' });
    expect(q).toMatchObject({ bid: '409.95', ask: '410.05', prevClose: '401.8', volume: '200' });
    expect(snapshotCalls('/v2/stocks/snapshots').map((r) => new URLSearchParams(r.query ?? '').get('symbols'))).toContain('MSFT');
  });

  it('a failed snapshot is logged and shown as degraded; the stream goes on', async () => {
    const logged: string[] = [];
    const warn = console.warn;
    console.warn = (line: string) => logged.push(line);
    try {
      await connect(async () => {
        await control(emu, 'fault', { kind: '5xx', status: 503, count: 50, path: '/v2/stocks/snapshots' });
      });
      await until(() => l.states.some((s) => s.state === 'degraded' && /snapshots for AAPL, SPY failed/.test(s.detail)), { timeoutMs: 15_000, what: 'the degraded notice' });
      expect(logged.some((x) => /Alpaca snapshots for AAPL, SPY failed/.test(x))).toBe(true);
      // Crypto's snapshot is its own request and seeds BTC/USD; the stock stream still streams.
      expect(seeded('alp:BTC/USD')).toMatchObject({ prevClose: '89184.9' });
      await control(emu, 'set-quote', { symbol: 'AAPL', bid: '191.10', ask: '191.20' });
      await until(() => c.quote('alp:AAPL')?.bid === '191.1', { timeoutMs: 10_000, what: 'a streamed quote after the failure' });
      expect(c.quote('alp:AAPL')!.prevClose).toBeUndefined();
      expect(l.states.some((s) => s.state === 'error')).toBe(false);
    } finally {
      console.warn = warn;
    }
  });
});

describe('Alpaca market data dropping', () => {
  it('quotes are marked stale (risk refuses a market order) while the data streams are down, fresh again with the next quote', async () => {
    await connect();
    await control(emu, 'set-quote', { symbol: 'AAPL', bid: '191.10', ask: '191.20' });
    await until(() => c.quote('alp:AAPL')?.bid === '191.1', { timeoutMs: 10_000, what: 'a live AAPL quote' });
    const aapl = c.instrument('AAPL')!;
    expect(marketOrderVerdict(aapl, c.quote(aapl.id), emu.now())).not.toContain('risk.stale_quote');

    const out = (await control(emu, 'market-outage', { down: true })) as { dropped: number };
    expect(out.dropped).toBe(2);
    const stale = await until(() => l.quotes.find((q) => q.instrumentId === aapl.id && q.stale === true), { timeoutMs: 10_000, what: 'AAPL re-sent stale' });
    expect(stale).toMatchObject({ bid: '191.1', ask: '191.2' });
    expect(c.quote(aapl.id)!.stale).toBe(true);
    expect(marketOrderVerdict(aapl, c.quote(aapl.id), emu.now())).toContain('risk.stale_quote');
    // The trade stream is untouched: the venue stays connected.
    expect(c.state().state).toBe('connected');

    await control(emu, 'market-outage', { down: false });
    await until(() => emu.data.subscribed('AAPL'), { timeoutMs: 15_000, what: 'AAPL resubscribed' });
    await control(emu, 'set-quote', { symbol: 'AAPL', bid: '192.00', ask: '192.10' });
    const fresh = await until(() => (c.quote(aapl.id)?.bid === '192' ? c.quote(aapl.id) : undefined), { timeoutMs: 10_000, what: 'a fresh AAPL quote' });
    expect(fresh!.stale).toBeUndefined();
    expect(marketOrderVerdict(aapl, fresh, emu.now())).not.toContain('risk.stale_quote');
  });
});
