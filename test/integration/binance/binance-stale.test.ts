/**
 * Binance's market-data sockets dropping, over real sockets: the emulator takes the depth and ticker
 * streams down (the user stream and WS API stay) → the quote is re-sent stale, with its day figures,
 * and risk refuses a market order on it → the streams are back, the rebuilt book's quote is fresh.
 */
import { afterEach, expect, it } from 'vitest';
import type { Quote } from '../../../src-main/engine/domain/order';
import { marketOrderVerdict } from '../../support/stale-risk';
import { until } from '../../support/until';
import { RecordingListener } from '../../support/venue-contract';
import { connectedRig, control } from './binance-rig';

class QuoteListener extends RecordingListener {
  readonly quotes: Quote[] = [];
  override quote(q: Quote): void {
    this.quotes.push(q);
  }
}

let stopRig: (() => Promise<void>) | undefined;
afterEach(() => stopRig?.());

it('quotes are stale while the market-data streams are down (risk refuses a market order), fresh once the book is rebuilt', async () => {
  const l = new QuoteListener();
  const { emu, c, inst, stop } = await connectedRig(l);
  stopRig = stop;
  // A book or quote asked for is followed; trades until the ticker's day figures reach the quote.
  c.book(inst.id, 10);
  await until(
    async () => {
      await control(emu, 'market-trade', { symbol: 'BTCUSDT', price: '60010', qty: '0.5' });
      return c.quote(inst.id)?.volume !== undefined && c.quote(inst.id)?.ask !== undefined;
    },
    { timeoutMs: 10_000, what: 'a live quote with day figures' },
  );
  const live = c.quote(inst.id)!;
  expect(live.stale).toBeUndefined();
  expect(marketOrderVerdict(inst, live, Date.now())).not.toContain('risk.stale_quote');

  const out = (await control(emu, 'market-outage', { down: true })) as { dropped: number };
  expect(out.dropped).toBeGreaterThanOrEqual(1);
  const stale = await until(() => l.quotes.find((q) => q.instrumentId === inst.id && q.stale === true), { timeoutMs: 10_000, what: 'the quote re-sent stale' });
  expect(stale).toMatchObject({ bid: live.bid, ask: live.ask, volume: live.volume });
  expect(c.quote(inst.id)!.stale).toBe(true);
  expect(marketOrderVerdict(inst, c.quote(inst.id), Date.now())).toContain('risk.stale_quote');
  expect(c.state().state).toBe('connected');

  await control(emu, 'market-outage', { down: false });
  const fresh = await until(() => (c.quote(inst.id)?.stale === undefined ? c.quote(inst.id) : undefined), { timeoutMs: 20_000, what: 'a fresh quote from the rebuilt book' });
  expect(fresh).toMatchObject({ bid: live.bid, ask: live.ask, volume: live.volume });
  expect(marketOrderVerdict(inst, fresh, Date.now())).not.toContain('risk.stale_quote');
  expect(l.states.some((s) => s.state === 'error')).toBe(false);
});
