/**
 * tastytrade's rate budgets are per login: two venues on two accounts of one login draw on one
 * limiter, a venue of another login on its own — over real sockets against the emulator.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TastytradeEmulator } from '../../emulators/tastytrade';
import { openDatabase } from '../../../src-main/engine/store/db';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';
import { TastytradeConnector } from '../../../src-main/engine/venues/tastytrade/tastytrade-connector';
import { loginIdentity } from '../../../src-main/engine/venues/tastytrade/tastytrade-login';
import { CLIENT_SECRET, REFRESH_TOKEN, startEmulator } from './tastytrade-rig';

let emu: TastytradeEmulator;
let dir: string;
const dbs: { close(): void }[] = [];

beforeEach(async () => {
  emu = await startEmulator();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-tt-login-'));
});
afterEach(async () => {
  for (const db of dbs.splice(0)) db.close();
  await emu.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function venue(name: string, account: string, refreshToken: string): Promise<TastytradeConnector> {
  const secrets = new MemorySecretStore();
  await secrets.set(`${name}/clientSecret`, CLIENT_SECRET);
  await secrets.set(`${name}/refreshToken`, refreshToken);
  const db = openDatabase(path.join(dir, `${name}.db`));
  dbs.push(db);
  return new TastytradeConnector({ name, settings: { account, restUrl: emu.url, streamerUrl: emu.streamerUrl }, clock: { now: () => emu.now() }, secrets, db }, { timeoutMs: 2000 });
}

const requestsUsed = (c: TastytradeConnector): number | undefined => c.health().usage?.budgets.find((b) => b.id === 'requests')?.used;

describe('tastytrade rate budgets per login', () => {
  it('two accounts of one login share the budget; another login does not draw on it', async () => {
    const a = await venue('tt-a', '5WT00001', REFRESH_TOKEN);
    const b = await venue('tt-b', '5WT00002', REFRESH_TOKEN);
    const other = await venue('tt-c', '5WT00001', 'another-login-refresh-token');

    // Each: an OAuth token request and an instrument request, both counted against the login.
    expect(await a.lookupInstrument('AAPL')).toMatchObject({ symbol: 'AAPL' });
    expect(await b.lookupInstrument('SPY')).toMatchObject({ symbol: 'SPY' });
    expect(requestsUsed(a)).toBe(4);
    expect(requestsUsed(b)).toBe(4);

    // Another login (same REST host, even the same account number): its own budget. The emulator
    // refuses its refresh token, but the attempt is counted — against that login only.
    await expect(other.lookupInstrument('AAPL')).rejects.toThrow();
    expect(requestsUsed(other)).toBeGreaterThanOrEqual(1);
    expect(requestsUsed(a)).toBe(4);
    for (const c of [a, b, other]) await c.stop();
  });

  it('the login identity is a short hash that names the pair and reveals neither secret', () => {
    const id = loginIdentity({ clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN });
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(loginIdentity({ clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN })).toBe(id);
    expect(loginIdentity({ clientSecret: CLIENT_SECRET, refreshToken: 'other' })).not.toBe(id);
    expect(loginIdentity({ clientSecret: 'other', refreshToken: REFRESH_TOKEN })).not.toBe(id);
    // The separator keeps ("ab","c") and ("a","bc") apart.
    expect(loginIdentity({ clientSecret: 'ab', refreshToken: 'c' })).not.toBe(loginIdentity({ clientSecret: 'a', refreshToken: 'bc' }));
  });
});
