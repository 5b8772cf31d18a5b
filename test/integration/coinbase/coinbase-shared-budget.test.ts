/**
 * Coinbase counts its rate limits per CDP key: two venues configured with the same `apiKeyName`
 * draw from one limiter, a venue on another key from its own. Over real sockets against the
 * emulator, with the registry's clock frozen so the 1 s window cannot empty between the checks.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { RateLimiterRegistry } from '../../../src-main/engine/net/rate-limiter';
import { openDatabase } from '../../../src-main/engine/store/db';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';
import { CoinbaseConnector } from '../../../src-main/engine/venues/coinbase';
import type { CoinbaseEmulator } from '../../emulators/coinbase';
import { KEY_NAME, PRIVATE_PEM, coinbaseSettings, startEmulator } from './coinbase-rig';

let emu: CoinbaseEmulator | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0)) f();
  await emu?.stop();
});

const frozen = { now: () => 1_000_000, setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout) };

async function connector(e: CoinbaseEmulator, name: string, keyName: string, limiters: RateLimiterRegistry): Promise<CoinbaseConnector> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-cbkey-'));
  const db = openDatabase(path.join(dir, 'tradeport.db'));
  const secrets = new MemorySecretStore();
  await secrets.set(`${name}/apiKeyName`, keyName);
  await secrets.set(`${name}/apiPrivateKey`, PRIVATE_PEM);
  const c = new CoinbaseConnector({ name, settings: coinbaseSettings(e), clock: { now: Date.now }, secrets, db }, { timeoutMs: 2000, limiters });
  cleanups.push(() => {
    void c.stop();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return c;
}

const privateUsed = (c: CoinbaseConnector): number | undefined => c.health().usage?.budgets.find((b) => b.id === 'private')?.used;

it('two venues on one CDP key share one budget; a venue on another key has its own', async () => {
  emu = await startEmulator();
  const limiters = new RateLimiterRegistry({ timers: frozen });
  const a = await connector(emu, 'cb-a', KEY_NAME, limiters);
  const b = await connector(emu, 'cb-b', KEY_NAME, limiters);
  const other = await connector(emu, 'cb-other', 'organizations/org-test/apiKeys/key-other', limiters);

  await a.balances();
  expect(privateUsed(a)).toBe(1);
  await b.balances();
  // One budget: b's call and a's are counted together, seen from either venue.
  expect(privateUsed(a)).toBe(2);
  expect(privateUsed(b)).toBe(2);

  // The emulator knows only KEY_NAME, so the other key is refused, but its call still drew from its own budget.
  await expect(other.balances()).rejects.toThrow();
  expect(privateUsed(other)).toBe(1);
  expect(privateUsed(a)).toBe(2);

  expect(limiters.all()).toHaveLength(2);
  // The limiter is keyed by a digest of the key name: the name never shows in usage reports.
  for (const l of limiters.all()) expect(l.keyId).not.toContain('key-');
});
