/** The tastytrade emulator and a connector (or an engine) pointed at it, for the tastytrade tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TastytradeEmulator, type TtOrder } from '../../emulators/tastytrade';
import { TastytradeConnector } from '../../../src-main/engine/venues/tastytrade/tastytrade-connector';
import { openDatabase } from '../../../src-main/engine/store/db';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';
import type { VenueListener } from '../../../src-main/engine/venues/venue-port';
import { until } from '../../support/until';

export const CLIENT_SECRET = 'test-client-secret';
export const REFRESH_TOKEN = 'test-refresh-token';

export async function startEmulator(now?: () => number, tokenTtlS?: number): Promise<TastytradeEmulator> {
  const emu = new TastytradeEmulator({ clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN, ...(now ? { now } : {}), ...(tokenTtlS !== undefined ? { tokenTtlS } : {}) });
  await emu.start();
  return emu;
}

export function tastytradeSettings(emu: TastytradeEmulator): Record<string, string> {
  return { account: emu.accountNumber, restUrl: emu.url, streamerUrl: emu.streamerUrl };
}

export async function secretsFor(venue: string): Promise<MemorySecretStore> {
  const secrets = new MemorySecretStore();
  await secrets.set(`${venue}/clientSecret`, CLIENT_SECRET);
  await secrets.set(`${venue}/refreshToken`, REFRESH_TOKEN);
  return secrets;
}

export async function connectorRig(emu: TastytradeEmulator, now: () => number = () => emu.now()) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-tt-'));
  const db = openDatabase(path.join(dir, 'tradeport.db'));
  const secrets = await secretsFor('tt');
  const connector = new TastytradeConnector({ name: 'tt', settings: tastytradeSettings(emu), clock: { now }, secrets, db }, { timeoutMs: 2000, streamBackoff: { initialMs: 50, maxMs: 200 } });
  return {
    connector,
    close() {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh emulator and a connector started on it with `listener`, connected; `stop` ends both. */
export async function connectedRig(listener: VenueListener) {
  const emu = await startEmulator();
  const rig = await connectorRig(emu);
  await rig.connector.start(listener);
  await until(() => rig.connector.state().state === 'connected', { timeoutMs: 10_000, what: 'connected' });
  return {
    emu,
    connector: rig.connector,
    async stop() {
      await rig.connector.stop();
      await emu.stop();
      rig.close();
    },
  };
}

export async function control(emu: TastytradeEmulator, command: string, body: Record<string, unknown> = {}): Promise<unknown> {
  const r = await fetch(`${emu.url}/__control/${command}`, { method: 'POST', body: JSON.stringify(body) });
  const json = (await r.json()) as unknown;
  if (!r.ok) throw new Error(`control ${command}: ${JSON.stringify(json)}`);
  return json;
}

/** The newest order carrying our client id (a replacement supersedes what it replaced). */
export function orderOf(emu: TastytradeEmulator, coid: string): TtOrder | undefined {
  return [...emu.account.orders.values()].filter((o) => o['external-identifier'] === coid).at(-1);
}

/** Fills in-process (the control API may be down in an outage). */
export function fillNow(emu: TastytradeEmulator, coid: string, qty: string, price: string): void {
  const o = orderOf(emu, coid);
  if (!o) throw new Error(`no order ${coid} at the emulator`);
  emu.account.fill(o, qty, price);
}

/** Submits the venue received for this client id (two would be a resend: tastytrade does not deduplicate). */
export function submitsSeen(emu: TastytradeEmulator, coid: string): number {
  return emu.server.requests.filter((r) => r.method === 'POST' && r.path === `/accounts/${emu.accountNumber}/orders` && r.body.includes(`"${coid}"`)).length;
}

const PORT_STATUS: Record<string, string> = {
  Received: 'accepted',
  Routed: 'accepted',
  'In Flight': 'accepted',
  Live: 'accepted',
  Filled: 'filled',
  Cancelled: 'cancelled',
  Expired: 'expired',
  Rejected: 'rejected',
};

export function venueStatus(emu: TastytradeEmulator, coid: string): string | undefined {
  const o = orderOf(emu, coid);
  if (!o) return undefined;
  if (o.status === 'Live' && o.legs[0]!.fills.length > 0) return 'partially_filled';
  return PORT_STATUS[o.status];
}

export const EXTERNAL_ORDER = {
  'time-in-force': 'GTC',
  'order-type': 'Limit',
  price: '250',
  'price-effect': 'Credit',
  legs: [{ 'instrument-type': 'Equity', symbol: 'AAPL', quantity: '3', action: 'Sell to Open' }],
};
