/**
 * The REST poll slows to the reconcile cadence while the ccxt.pro streams are live, and speeds
 * back up the moment one drops: CcxtStreams + CcxtPoller on a ManualClock, over a fake exchange
 * whose watch calls the test resolves or fails.
 */
import { describe, expect, it } from 'vitest';
import type { Exchange } from 'ccxt';
import { ManualClock } from '../../../src-main/engine/ports/clock';
import { CcxtStreams } from '../../../src-main/engine/venues/ccxt/ccxt-streams';
import { CcxtPoller } from '../../../src-main/engine/venues/ccxt/ccxt-poller';

const FAST = 1_000;
const SLOW = 30_000;
const SETTLE = 5_000;

/** A watch stream the test drives: each call returns a promise the test resolves or rejects. */
class Watch {
  calls = 0;
  private pending: { resolve(x: unknown[]): void; reject(e: Error): void } | undefined;
  call = (): Promise<unknown[]> => {
    this.calls++;
    return new Promise((resolve, reject) => (this.pending = { resolve, reject }));
  };
  deliver(batch: unknown[]): void {
    this.pending?.resolve(batch);
  }
  fail(msg: string): void {
    this.pending?.reject(new Error(msg));
  }
}

function rig(has: Record<string, boolean> = { watchOrders: true, watchMyTrades: true }) {
  const clock = new ManualClock();
  const orders = new Watch();
  const trades = new Watch();
  const ex = { has, watchOrders: orders.call, watchMyTrades: trades.call, close: async () => undefined } as unknown as Exchange;
  const rounds: number[] = [];
  const seen: unknown[] = [];
  const health: boolean[] = [];
  let poller!: CcxtPoller;
  const streams = new CcxtStreams(
    ex,
    {
      orders: (xs) => seen.push(...xs),
      trades: (xs) => seen.push(...xs),
      book: () => undefined,
      trouble: () => undefined,
      health: (live) => {
        health.push(live);
        poller.streamsChanged();
      },
    },
    { retryMs: FAST, settleMs: SETTLE, timers: clock },
  );
  poller = new CcxtPoller({ timers: clock, fastMs: FAST, slowMs: SLOW, round: async () => void rounds.push(clock.now()), streamsLive: () => streams.live() });
  const t0 = clock.now();
  const at = () => rounds.map((t) => t - t0);
  return { clock, orders, trades, streams, poller, at, seen, health };
}

describe('ccxt poll cadence', () => {
  it('polls at the fast cadence while no stream is live (an exchange without streams)', async () => {
    const r = rig({});
    r.streams.start();
    r.poller.start();
    await r.clock.advanceAsync(3_500);
    expect(r.at()).toEqual([0, 1_000, 2_000, 3_000]);
    expect(r.streams.live()).toBe(false);
    r.poller.stop();
  });

  it('slows to the reconcile cadence once both private streams are live (quiet watches settle), and speeds up when one fails', async () => {
    const r = rig();
    r.streams.start();
    r.poller.start();
    await r.clock.advanceAsync(4_500);
    expect(r.at()).toEqual([0, 1_000, 2_000, 3_000, 4_000]);
    await r.clock.advanceAsync(500); // t = 5 000: both watches stayed open SETTLE ms without failing
    expect(r.streams.live()).toBe(true);
    expect(r.health).toEqual([true]);
    expect(r.poller.interval()).toBe(SLOW);
    // The round due at 5 000 moved to 30 s after the last one (4 000).
    await r.clock.advanceAsync(30_000); // t = 35 000
    expect(r.at().slice(5)).toEqual([34_000]);
    await r.clock.advanceAsync(6_000); // t = 41 000: the socket drops
    r.orders.fail('socket closed');
    await r.clock.advanceAsync(0);
    expect(r.health).toEqual([true, false]);
    // Overdue by the fast cadence (last round at 34 000): the next round comes at once, then every second.
    await r.clock.advanceAsync(2_000);
    expect(r.at().slice(6)).toEqual([41_000, 42_000, 43_000]);
    r.poller.stop();
    await r.streams.stop();
  });

  it('a stream that delivers is live at once; the batch reaches the handler', async () => {
    const r = rig();
    r.streams.start();
    r.poller.start();
    await r.clock.advanceAsync(100);
    r.orders.deliver([{ id: 'o1' }]);
    r.trades.deliver([{ id: 't1' }]);
    await r.clock.advanceAsync(0);
    expect(r.seen).toEqual([{ id: 'o1' }, { id: 't1' }]);
    expect(r.streams.live()).toBe(true);
    await r.clock.advanceAsync(31_000);
    expect(r.at()).toEqual([0, 30_000]);
    r.poller.stop();
    await r.streams.stop();
  });

  it('never live while one of the two streams keeps failing', async () => {
    const r = rig();
    r.streams.start();
    r.poller.start();
    for (let i = 0; i < 8; i++) {
      r.trades.fail('auth refused');
      await r.clock.advanceAsync(1_000);
    }
    expect(r.streams.live()).toBe(false);
    expect(r.at()).toEqual([0, 1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 8_000]);
    r.poller.stop();
    await r.streams.stop();
  });
});
