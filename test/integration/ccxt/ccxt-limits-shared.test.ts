/**
 * ccxt's own throttler is off and our limiter takes its place, shared per API key: two ccxt venues
 * on one Bybit key, over real sockets to the Bybit v5 emulator, draw from one budget and never
 * enter ccxt's throttle; a venue on another key has its own.
 */
import ccxt from 'ccxt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RecordingListener } from '../../support/venue-contract';
import { until } from '../../support/until';
import type { CcxtConnector } from '../../../src-main/engine/venues/ccxt/ccxt-connector';
import type { CcxtHttp } from '../../../src-main/engine/venues/ccxt/ccxt-http';
import { BybitEmulator } from '../../emulators/bybit';
import { KEY, SECRET, startBybit } from './bybit-rig';
import { ccxtRig } from './ccxt-rig';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const f of cleanups.splice(0).reverse()) await f();
});

/** The connector's live parts (private), read here only to check what they are. */
const live = (c: CcxtConnector) => (c as unknown as { ready: { http: CcxtHttp; ex: { enableRateLimit: boolean } } }).ready;

describe("ccxt's throttler off, our limiter shared per key", () => {
  it('two venues on one key share one limiter, a third key has its own, and ccxt never throttles', async () => {
    const throttle = vi.spyOn(ccxt.Exchange.prototype, 'throttle');
    const emu = await startBybit();
    cleanups.push(() => emu.stop());
    // The other key's account: a second emulator that knows that key.
    const emu2 = new BybitEmulator({ apiKey: 'another-key', secret: SECRET });
    await emu2.start();
    cleanups.push(() => emu2.stop());
    const make = async (venue: string, apiKey: string, url = emu.url) => {
      const rig = await ccxtRig(venue, { exchange: 'bybit', urlOverride: url, pollMs: '60000' }, { apiKey, secret: SECRET });
      cleanups.push(() => rig.close());
      await rig.connector.start(new RecordingListener());
      cleanups.push(() => rig.connector.stop());
      await until(() => rig.connector.state().state === 'connected', { timeoutMs: 30_000, what: `${venue} connected` });
      return rig.connector;
    };
    const a = await make('lim-a', KEY);
    const b = await make('lim-b', KEY);
    const other = await make('lim-c', 'another-key', emu2.url);

    expect(live(a).ex.enableRateLimit).toBe(false);
    expect(live(a).http.limiter()).toBe(live(b).http.limiter());
    expect(live(other).http.limiter()).not.toBe(live(a).http.limiter());

    const used = () => live(a).http.limiter().usage().budgets[0]!.used;
    const before = used();
    await b.balances();
    await b.balances();
    expect(used()).toBeGreaterThan(before);
    expect(throttle).not.toHaveBeenCalled();
  }, 90_000);
});
