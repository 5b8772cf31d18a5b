/** The Bybit v5 emulator and the ccxt connector (exchange=bybit) pointed at it, for the ccxt tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ccxt from 'ccxt';
import { BybitEmulator } from '../../emulators/bybit';
import { CcxtConnector } from '../../../src-main/engine/venues/ccxt/ccxt-connector';
import { CCXT_KIND_INFO } from '../../../src-main/engine/venues/ccxt/ccxt-config';
import { CCXT_MIGRATIONS } from '../../../src-main/engine/venues/ccxt/ccxt-migrations';
import { openDatabase } from '../../../src-main/engine/store/db';
import { applyOwnedMigrations } from '../../../src-main/engine/store/owned-migrations';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';

export const KEY = 'bybit-key';
export const SECRET = 'bybit-secret';
export const SUBMIT = { method: 'POST', path: '/v5/order/create' } as const;

export function bybitSettings(emu: BybitEmulator): Record<string, string> {
  return { exchange: 'bybit', urlOverride: emu.url, pollMs: '250' };
}

export async function startBybit(): Promise<BybitEmulator> {
  const emu = new BybitEmulator({ apiKey: KEY, secret: SECRET });
  await emu.start();
  return emu;
}

export async function secretsFor(venue: string): Promise<MemorySecretStore> {
  const secrets = new MemorySecretStore();
  await secrets.set(`${venue}/apiKey`, KEY);
  await secrets.set(`${venue}/secret`, SECRET);
  return secrets;
}

export async function connectorRig(emu: BybitEmulator, settings: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-ccxt-'));
  const db = openDatabase(path.join(dir, 'tradeport.db'));
  applyOwnedMigrations(db, CCXT_KIND_INFO.kind, CCXT_MIGRATIONS);
  const secrets = await secretsFor('byb');
  return {
    connector: new CcxtConnector({ name: 'byb', settings: { ...bybitSettings(emu), ...settings }, clock: { now: () => Date.now() }, secrets, db }, { timeoutMs: 2000 }),
    close() {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function control(emu: BybitEmulator, command: string, body: Record<string, unknown> = {}): Promise<unknown> {
  const r = await fetch(`${emu.url}/__control/${command}`, { method: 'POST', body: JSON.stringify(body) });
  const json = (await r.json()) as unknown;
  if (!r.ok) throw new Error(`control ${command}: ${JSON.stringify(json)}`);
  return json;
}

export function submitsSeen(emu: BybitEmulator, coid: string): number {
  return emu.server.requests.filter((r) => r.method === SUBMIT.method && r.path === SUBMIT.path && r.body.includes(`"${coid}"`)).length;
}

const PORT_STATUS: Record<string, string> = { New: 'accepted', PartiallyFilled: 'partially_filled', Filled: 'filled', Cancelled: 'cancelled', Rejected: 'rejected' };

export function venueStatus(emu: BybitEmulator, coid: string): string | undefined {
  const o = [...emu.orders.values()].find((x) => x.orderLinkId === coid);
  return o ? PORT_STATUS[o.orderStatus] : undefined;
}

/** An order placed outside Tradeport: another app (plain ccxt) on the same account. */
export async function placeElsewhere(emu: BybitEmulator, side: 'buy' | 'sell', qty: string, price: string): Promise<void> {
  const ex = new ccxt.bybit({ apiKey: KEY, secret: SECRET, enableRateLimit: false });
  ex.urls['api'] = { spot: emu.url, futures: emu.url, v2: emu.url, public: emu.url, private: emu.url };
  await ex.createOrder('BTC/USDT', 'limit', side, Number(qty), Number(price), { clientOrderId: `web-${Date.now().toString(36)}` });
}

export const REJECT = { retCode: 110007, retMsg: 'Insufficient available balance' };
