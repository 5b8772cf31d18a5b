/** The Coinbase emulator and a connector (or an engine) pointed at it, for the Coinbase tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { CoinbaseEmulator, type CbOrder } from '../../emulators/coinbase';
import { CoinbaseConnector } from '../../../src-main/engine/venues/coinbase/coinbase-connector';
import { openDatabase } from '../../../src-main/engine/store/db';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';
import { createEngine, type Engine } from '../../../src-main/engine/engine';
import type { CommandName, CommandOutput } from '../../../src-main/engine/api/commands';
import { VENUE_FACTORIES } from '../../../src-main/engine/venues/registry';
import { coinbaseFactory } from '../../../src-main/engine/venues/coinbase';
import type { VenueFactory } from '../../../src-main/engine/venues/venue-port';

export const KEY_NAME = 'organizations/org-test/apiKeys/key-test';
const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
export const PRIVATE_PEM = pair.privateKey.export({ type: 'sec1', format: 'pem' }).toString();

export function coinbaseSettings(emu: CoinbaseEmulator): Record<string, string> {
  return { restUrl: emu.url, wsUrl: `ws://127.0.0.1:${emu.server.port}/`, userWsUrl: `ws://127.0.0.1:${emu.server.port}/user`, watchlist: 'BTC/USD' };
}

export async function startEmulator(now?: () => number): Promise<CoinbaseEmulator> {
  const emu = new CoinbaseEmulator({ keyName: KEY_NAME, publicKey: pair.publicKey, ...(now ? { now } : {}), heartbeatMs: 200 });
  await emu.start();
  return emu;
}

export async function secretsFor(venue: string, pem = PRIVATE_PEM): Promise<MemorySecretStore> {
  const secrets = new MemorySecretStore();
  await secrets.set(`${venue}/apiKeyName`, KEY_NAME);
  await secrets.set(`${venue}/apiPrivateKey`, pem);
  return secrets;
}

export async function connectorRig(emu: CoinbaseEmulator, now: () => number = Date.now) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-coinbase-'));
  const db = openDatabase(path.join(dir, 'tradeport.db'));
  const secrets = await secretsFor('cb');
  return {
    connector: new CoinbaseConnector({ name: 'cb', settings: coinbaseSettings(emu), clock: { now }, secrets, db }, { timeoutMs: 2000 }),
    close() {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function control(emu: CoinbaseEmulator, command: string, body: Record<string, unknown> = {}): Promise<unknown> {
  const r = await fetch(`${emu.url}/__control/${command}`, { method: 'POST', body: JSON.stringify(body) });
  const json = (await r.json()) as unknown;
  if (!r.ok) throw new Error(`control ${command}: ${JSON.stringify(json)}`);
  return json;
}

export function submitsSeen(emu: CoinbaseEmulator, coid: string): number {
  return emu.server.requests.filter((r) => r.method === 'POST' && r.path === '/api/v3/brokerage/orders' && r.body.includes(`"${coid}"`)).length;
}

export function byClientId(emu: CoinbaseEmulator, coid: string): CbOrder | undefined {
  return [...emu.orders.values()].find((o) => o.client_order_id === coid);
}

const PORT_STATUS: Record<string, string> = { OPEN: 'accepted', FILLED: 'filled', CANCELLED: 'cancelled', EXPIRED: 'expired', FAILED: 'rejected' };

/** The emulator's status for our client id, in the port's words. */
export function venueStatus(emu: CoinbaseEmulator, coid: string): string | undefined {
  const o = byClientId(emu, coid);
  if (!o) return undefined;
  return o.status === 'OPEN' && Number(o.filled_size) > 0 ? 'partially_filled' : PORT_STATUS[o.status];
}

/** An engine on `dataDir` with the Coinbase factory (short timeouts), as the engine-level Coinbase tests run it. */
export async function coinbaseEngine(dataDir: string, clock: { now(): number }): Promise<Engine> {
  return createEngine({
    dataDir,
    secrets: await secretsFor('cb'),
    clock,
    paperSeed: 7,
    paperTickMs: 0,
    venueFactories: new Map<string, VenueFactory>([...VENUE_FACTORIES, ['coinbase', coinbaseFactory({ timeoutMs: 2000 })]]),
    unknownLookupDelays: [20, 50, 100, 200],
  });
}

/** A command's value, or the engine's error as a thrown Error. */
export function caller(engine: () => Engine) {
  return async <C extends CommandName>(command: C, input: unknown): Promise<CommandOutput<C>> => {
    const r = await engine().call(command, input);
    if (!r.ok) throw new Error(`${command} failed: ${r.error.code}: ${r.error.message}`);
    return r.value;
  };
}
