/**
 * The IBKR connector reports its pacing limiter and its connection breaker through the venue
 * port: TWS down for several reconnect attempts opens the breaker (the engine then pauses the
 * venue's strategies and tells the user); TWS back closes it again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { VenueHealthReport } from '../../../src-main/engine/api/venue-health';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';
import { openDatabase, type Db } from '../../../src-main/engine/store/db';
import { IbkrConnector } from '../../../src-main/engine/venues/ibkr/ibkr-connector';
import { TwsEmulator } from '../../emulators/tws/server';
import { marketClock, RecordingListener } from './ibkr-harness';
import { until } from '../../support/until';

class HealthListener extends RecordingListener {
  readonly reportsOfHealth: VenueHealthReport[] = [];
  health(r: VenueHealthReport): void {
    this.reportsOfHealth.push(r);
  }
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('IBKR venue health', () => {
  it('reports pacing usage, opens the breaker while TWS is gone and closes it when TWS is back', async () => {
    const clock = marketClock();
    const emu = new TwsEmulator({ port: 0, now: clock.now });
    await emu.start();
    cleanup.push(() => emu.stop());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-ibkr-health-'));
    const db: Db = openDatabase(path.join(dir, 'tradeport.db'));
    cleanup.push(() => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const conn = new IbkrConnector(
      {
        name: 'ib',
        settings: { host: '127.0.0.1', port: String(emu.port), clientId: '7', watchlist: 'AAPL', reconnectMinMs: '50', reconnectMaxMs: '100' },
        clock,
        secrets: new MemorySecretStore(),
        db,
      },
      { breaker: { failureThreshold: 3, openMs: 400 } },
    );
    const l = new HealthListener();
    await conn.start(l);
    cleanup.push(() => conn.stop());

    await until(() => conn.state().state === 'connected', { timeoutMs: 5000, what: 'connected' });
    // Session setup sent TWS messages through the pacing limiter: the gauge saw them.
    await until(() => l.reportsOfHealth.some((h) => (h.usage?.budgets.find((b) => b.id === 'messages')?.used ?? 0) > 0), { timeoutMs: 3000, what: 'usage report' });
    expect(conn.health().breaker).toMatchObject({ state: 'closed' });

    await emu.restart({ downMs: 1500 });
    const open = await until(() => l.reportsOfHealth.find((h) => h.breaker?.state === 'open'), { timeoutMs: 5000, what: 'breaker open' });
    expect(open.breaker!.reason).toMatch(/3 consecutive failures/);
    expect(open.breaker!.retryAt).toBeGreaterThan(Date.now() - 1000);

    await until(() => conn.state().state === 'connected' && conn.health().breaker?.state === 'closed', { timeoutMs: 8000, what: 'breaker closed after TWS is back' });
    const states = l.reportsOfHealth.map((h) => h.breaker!.state).filter((s, i, a) => i === 0 || a[i - 1] !== s);
    // OPEN, then a probe every 400 ms that fails while TWS is down (OPEN again), until one succeeds
    // (when TWS reconnected during the open period, the live session is the probe: OPEN → CLOSED at once).
    expect(states.slice(0, 2)).toEqual(['closed', 'open']);
    expect(states.at(-1)).toBe('closed');
    expect(states.slice(1, -1).every((s, i) => s === (i % 2 === 0 ? 'open' : 'half_open'))).toBe(true);
  });
});
