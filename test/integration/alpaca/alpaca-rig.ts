/** The Alpaca emulator and a connector (or an engine) pointed at it, for the Alpaca tests. */
import fs from 'node:fs';
import Decimal from 'decimal.js';
import os from 'node:os';
import path from 'node:path';
import { AlpacaEmulator, type AlpacaOrder } from '../../emulators/alpaca';
import { AlpacaConnector } from '../../../src-main/engine/venues/alpaca/alpaca-connector';
import { openDatabase } from '../../../src-main/engine/store/db';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';

export const KEY = 'PKTESTKEY';
export const SECRET = 'test-secret';

/** Wednesday 2026-11-18 10:00 New York (regular session), advancing with real time. */
export function sessionNow(): () => number {
  const started = Date.now();
  const t0 = Date.UTC(2026, 10, 18, 15, 0, 0);
  return () => t0 + (Date.now() - started);
}

export function alpacaSettings(emu: AlpacaEmulator): Record<string, string> {
  return { tradingUrl: emu.url, dataUrl: emu.url, streamUrl: emu.server.streamUrl, dataStreamUrl: `ws://127.0.0.1:${emu.server.port}/v2/iex`, watchlist: 'AAPL,SPY,BTC/USD' };
}

export async function startEmulator(now = sessionNow(), rateLimit?: number): Promise<AlpacaEmulator> {
  const emu = new AlpacaEmulator({ keyId: KEY, secret: SECRET, now, ...(rateLimit !== undefined ? { rateLimit } : {}) });
  await emu.start();
  return emu;
}

export async function secretsFor(venue: string): Promise<MemorySecretStore> {
  const secrets = new MemorySecretStore();
  await secrets.set(`${venue}/keyId`, KEY);
  await secrets.set(`${venue}/secretKey`, SECRET);
  return secrets;
}

export async function connectorRig(emu: AlpacaEmulator, now: () => number = () => emu.now()) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-alpaca-'));
  const file = path.join(dir, 'tradeport.db');
  const secrets = await secretsFor('alp');
  let db = openDatabase(file);
  const make = () => new AlpacaConnector({ name: 'alp', settings: alpacaSettings(emu), clock: { now }, secrets, db }, { timeoutMs: 2000 });
  return {
    connector: make(),
    /** A Tradeport restart: the database file closed and opened again, a new connector on it. */
    reopen(): AlpacaConnector {
      db.close();
      db = openDatabase(file);
      return make();
    },
    close() {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function control(emu: AlpacaEmulator, command: string, body: Record<string, unknown> = {}): Promise<unknown> {
  const r = await fetch(`${emu.url}/__control/${command}`, { method: 'POST', body: JSON.stringify(body) });
  const json = (await r.json()) as unknown;
  if (!r.ok) throw new Error(`control ${command}: ${JSON.stringify(json)}`);
  return json;
}

/** Fills in-process (the control API may be down in an outage): `qty` of our order at `price`. */
export function fillNow(emu: AlpacaEmulator, coid: string, qty: string, price: string): void {
  let o: AlpacaOrder | undefined = emu.book.byClientId(coid);
  while (o?.replaced_by) o = emu.book.find(o.replaced_by);
  if (!o) throw new Error(`no order ${coid} at the emulator`);
  emu.book.fill(o, new Decimal(qty), new Decimal(price));
}

export function submitsSeen(emu: AlpacaEmulator, coid: string): number {
  return emu.server.requests.filter((r) => r.method === 'POST' && r.path === '/v2/orders' && r.body.includes(`"${coid}"`)).length;
}

const PORT_STATUS: Record<string, string> = {
  new: 'accepted',
  accepted: 'accepted',
  held: 'accepted',
  partially_filled: 'partially_filled',
  filled: 'filled',
  canceled: 'cancelled',
  expired: 'expired',
  rejected: 'rejected',
};

/** The emulator's status for our client id (following replacements), in the port's words. */
export function venueStatus(emu: AlpacaEmulator, coid: string): string | undefined {
  let o: AlpacaOrder | undefined = emu.book.byClientId(coid);
  while (o?.replaced_by) o = emu.book.find(o.replaced_by);
  return o ? PORT_STATUS[o.status] : undefined;
}
