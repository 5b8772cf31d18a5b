/**
 * Venue bars over real sockets against the Kraken emulator's `GET /0/public/OHLC` (Kraken's
 * documented shape): the Kraken connector (kraken-bars.ts) and the ccxt connector through
 * ccxt.kraken's fetchOHLCV (ccxt-bars.ts) read the same tape as the same exact bars.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Bar } from '../../../src-main/engine/domain/bar';
import type { KrakenEmulator } from '../../emulators/kraken';
import { until } from '../../support/until';
import { contractOrder, RecordingListener } from '../../support/venue-contract';
import { ccxtRig } from '../ccxt/ccxt-rig';
import { connectorRig, control, startEmulator } from './kraken-rig';

const MIN = 60_000;
let emu: KrakenEmulator | undefined;
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
  await emu?.stop();
  emu = undefined;
});

const view = (bars: readonly Bar[]) => bars.map((b) => [b.ts, b.open.toFixed(), b.high.toFixed(), b.low.toFixed(), b.close.toFixed(), b.volume.toFixed()]);

/** A tape over three minutes ending in the current one. */
function tape(e: KrakenEmulator, now: number): number {
  const m0 = Math.floor(now / MIN) * MIN - 2 * MIN;
  e.book.trade('buy', '100.1', '0.5', 'market', m0 + 1_000);
  e.book.trade('sell', '99.7', '0.25', 'market', m0 + 20_000);
  e.book.trade('buy', '100.4', '1', 'limit', m0 + 50_000);
  e.book.trade('sell', '99.9', '2', 'market', m0 + MIN + 5_000);
  e.book.trade('buy', '101.0', '0.1', 'market', m0 + 2 * MIN);
  return m0;
}

describe('venue bars from Kraken OHLC', () => {
  it('the Kraken connector reads one-minute and five-minute bars, oldest first, the current bar last, with since and limit', async () => {
    emu = await startEmulator();
    const m0 = tape(emu, Date.now());
    const rig = await connectorRig(emu);
    cleanup.push(() => rig.close());
    const c = rig.connector;
    const l = new RecordingListener();
    await c.start(l);
    cleanup.push(() => c.stop());
    await until(() => c.state().state === 'connected', { timeoutMs: 10_000, what: 'kraken connected' });
    const id = c.instrument('BTC/USD')!.id;

    expect(view(await c.bars(id, 60, undefined, 500))).toEqual([
      [m0, '100.1', '100.4', '99.7', '100.4', '1.75'],
      [m0 + MIN, '99.9', '99.9', '99.9', '99.9', '2'],
      [m0 + 2 * MIN, '101', '101', '101', '101', '0.1'],
    ]);
    expect(view(await c.bars(id, 60, m0 + MIN, 500)).map((r) => r[0])).toEqual([m0 + MIN, m0 + 2 * MIN]);
    expect(view(await c.bars(id, 60, undefined, 1)).map((r) => r[0])).toEqual([m0 + 2 * MIN]);
    const five = await c.bars(id, 300, undefined, 500);
    expect(five.map((b) => b.ts % (5 * MIN))).toEqual(five.map(() => 0));
    expect(five.reduce((a, b) => a.plus(b.volume), five[0]!.volume.minus(five[0]!.volume)).toFixed()).toBe('3.85');

    // Our own fill prints on the tape and so in the current bar.
    const o = contractOrder(c.name, c.instrument('BTC/USD')!, { side: 'buy', type: 'market', qty: '0.01', tif: 'ioc' });
    await c.submit(o);
    await until(() => l.fills.some((f) => f.clientOrderId === o.clientOrderId), { timeoutMs: 10_000, what: 'our fill' });
    const after = await c.bars(id, 60, undefined, 500);
    expect(after[after.length - 1]!.volume.gte('0.01')).toBe(true);
  });

  it('a bar row Kraken could not have sent is refused with what was wrong', async () => {
    emu = await startEmulator();
    const rig = await connectorRig(emu);
    cleanup.push(() => rig.close());
    const c = rig.connector;
    await c.start(new RecordingListener());
    cleanup.push(() => c.stop());
    await until(() => c.state().state === 'connected', { timeoutMs: 10_000, what: 'kraken connected' });
    emu.book.trade('buy', '-1', '1', 'market', Date.now());
    await expect(c.bars(c.instrument('BTC/USD')!.id, 60, undefined, 10)).rejects.toThrow(/Kraken sent OHLC bars Tradeport cannot read/);
  });

  it('ccxt.kraken fetchOHLCV through the ccxt connector gives the same bars', async () => {
    emu = await startEmulator();
    const m0 = tape(emu, Date.now());
    const rig = await ccxtRig('ckr', { exchange: 'kraken', urlOverride: emu.url, pollMs: '250' }, { apiKey: emu.apiKey, secret: emu.apiSecret });
    cleanup.push(() => rig.close());
    const c = rig.connector;
    await c.start(new RecordingListener());
    cleanup.push(() => c.stop());
    await until(() => c.state().state === 'connected', { timeoutMs: 15_000, what: 'ccxt connected' });
    const id = c.instrument('BTC/USD')!.id;
    expect(view(await c.bars(id, 60, undefined, 500))).toEqual([
      [m0, '100.1', '100.4', '99.7', '100.4', '1.75'],
      [m0 + MIN, '99.9', '99.9', '99.9', '99.9', '2'],
      [m0 + 2 * MIN, '101', '101', '101', '101', '0.1'],
    ]);
    expect(view(await c.bars(id, 60, m0 + MIN, 500)).map((r) => r[0])).toEqual([m0 + MIN, m0 + 2 * MIN]);
    await control(emu, 'public-trade', { side: 'buy', price: '100.2', qty: '3' });
    const after = await c.bars(id, 60, undefined, 500);
    expect(after[after.length - 1]!.volume.gte(3)).toBe(true);
  });
});
