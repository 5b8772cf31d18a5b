/** A ccxt connector on a fresh database with its tables, for any exchange and emulator. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CcxtConnector } from '../../../src-main/engine/venues/ccxt/ccxt-connector';
import { CCXT_KIND_INFO } from '../../../src-main/engine/venues/ccxt/ccxt-config';
import { CCXT_MIGRATIONS } from '../../../src-main/engine/venues/ccxt/ccxt-migrations';
import { openDatabase } from '../../../src-main/engine/store/db';
import { applyOwnedMigrations } from '../../../src-main/engine/store/owned-migrations';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';

/** What every ccxt contract run exercises (a run overrides what its exchange cannot show). */
export const CCXT_ABILITIES = {
  ackLost: true,
  fill: true,
  outage: true,
  replace: true,
  externalOrder: true,
  rateLimit: true,
  serverErrors: true,
  breaker: true,
  streamGap: 'the ccxt connector polls REST (no stream messages to number); every failed poll reports disconnected and the next good one connected, so the engine reconciles',
} as const;

/** ccxt.binance options for the Binance emulator (spot only: no futures, currencies or margin endpoints). */
export const BINANCE_SPOT_ONLY = '{"fetchMarkets":{"types":["spot"]},"fetchCurrencies":false,"fetchMargins":false}';

export async function ccxtRig(venue: string, settings: Record<string, string>, secrets: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tp-${venue}-`));
  const db = openDatabase(path.join(dir, 'tradeport.db'));
  applyOwnedMigrations(db, CCXT_KIND_INFO.kind, CCXT_MIGRATIONS);
  const store = new MemorySecretStore();
  for (const [field, value] of Object.entries(secrets)) await store.set(`${venue}/${field}`, value);
  return {
    connector: new CcxtConnector({ name: venue, settings, clock: { now: () => Date.now() }, secrets: store, db }, { timeoutMs: 2000 }),
    close() {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
