/** The Binance emulator and a connector (or an engine) pointed at it, for the Binance tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BinanceEmulator } from '../../emulators/binance';
import { BinanceConnector } from '../../../src-main/engine/venues/binance/binance-connector';
import { openDatabase } from '../../../src-main/engine/store/db';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';
import type { VenueListener } from '../../../src-main/engine/venues/venue-port';
import { until } from '../../support/until';
import { sessionClock } from '../../support/venue-engine-contract';
import { createEngine } from '../../../src-main/engine/engine';
import type { CommandName, CommandOutput } from '../../../src-main/engine/api/commands';
import { VENUE_FACTORIES } from '../../../src-main/engine/venues/registry';
import { binanceFactory } from '../../../src-main/engine/venues/binance';
import type { VenueFactory } from '../../../src-main/engine/venues/venue-port';

export const KEY = 'bn-test-key';
export const SECRET = 'bn-test-secret';

export function binanceSettings(emu: BinanceEmulator): Record<string, string> {
  const ws = `ws://127.0.0.1:${emu.server.port}`;
  return { restUrl: emu.url, wsUrl: ws, wsApiUrl: `${ws}/ws-api/v3`, watchlist: 'BTCUSDT' };
}

export async function startEmulator(now?: () => number): Promise<BinanceEmulator> {
  const emu = new BinanceEmulator({ apiKey: KEY, apiSecret: SECRET, ...(now ? { now } : {}) });
  await emu.start();
  return emu;
}

export async function secretsFor(venue: string): Promise<MemorySecretStore> {
  const secrets = new MemorySecretStore();
  await secrets.set(`${venue}/apiKey`, KEY);
  await secrets.set(`${venue}/apiSecret`, SECRET);
  return secrets;
}

export async function connectorRig(emu: BinanceEmulator, now: () => number = Date.now) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-binance-'));
  const file = path.join(dir, 'tradeport.db');
  const secrets = await secretsFor('bn');
  let db = openDatabase(file);
  const make = () => new BinanceConnector({ name: 'bn', settings: binanceSettings(emu), clock: { now }, secrets, db }, { timeoutMs: 2000 });
  return {
    connector: make(),
    reopen(): BinanceConnector {
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

export async function control(emu: BinanceEmulator, command: string, body: Record<string, unknown> = {}): Promise<unknown> {
  const r = await fetch(`${emu.url}/__control/${command}`, { method: 'POST', body: JSON.stringify(body) });
  const json = (await r.json()) as unknown;
  if (!r.ok) throw new Error(`control ${command}: ${JSON.stringify(json)}`);
  return json;
}

/** New-order requests that carried `coid` (query or body). */
export function submitsSeen(emu: BinanceEmulator, coid: string): number {
  return emu.server.requests.filter((r) => r.method === 'POST' && r.path === '/api/v3/order' && sentCid(r) === coid).length;
}

const sentCid = (r: { body: string; query?: string }): string | null => new URLSearchParams(r.query ?? '').get('newClientOrderId') ?? new URLSearchParams(r.body).get('newClientOrderId');

const PORT_STATUS: Record<string, string> = { NEW: 'accepted', PARTIALLY_FILLED: 'partially_filled', FILLED: 'filled', CANCELED: 'cancelled', EXPIRED: 'expired', REJECTED: 'rejected' };

export function venueStatus(emu: BinanceEmulator, coid: string): string | undefined {
  const o = emu.orders.find((x) => x.clientOrderId === coid);
  return o ? PORT_STATUS[o.status] : undefined;
}

/** An emulator and a connector started with `listener` and connected; `stop` ends both and removes the rig's files. */
export async function connectedRig(listener: VenueListener) {
  const emu = await startEmulator();
  const rig = await connectorRig(emu);
  const c = rig.connector;
  await c.start(listener);
  await until(() => c.state().state === 'connected', { timeoutMs: 10_000, what: 'binance connected' });
  return {
    emu,
    c,
    inst: c.instrument('BTC/USDT')!,
    async stop() {
      await c.stop();
      await emu.stop();
      rig.close();
    },
  };
}

/** The emulator on a session clock and a LIVE engine with the Binance venue `bn` connected to it; `close` ends both and removes the data dir. */
export async function engineRig() {
  const clock = sessionClock();
  const emu = await startEmulator(() => clock.now());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-bnx-'));
  const engine = await createEngine({
    dataDir: dir,
    secrets: await secretsFor('bn'),
    clock,
    paperSeed: 7,
    paperTickMs: 0,
    venueFactories: new Map<string, VenueFactory>([...VENUE_FACTORIES, ['binance', binanceFactory({ timeoutMs: 2000 })]]),
    unknownLookupDelays: [20, 50, 100, 200],
  });
  const ok = async <C extends CommandName>(command: C, input: unknown): Promise<CommandOutput<C>> => {
    const r = await engine.call(command, input);
    if (!r.ok) throw new Error(`${command} failed: ${r.error.code}: ${r.error.message}`);
    return r.value;
  };
  await ok('venue.add', { kind: 'binance', name: 'bn', settings: binanceSettings(emu) });
  await ok('mode.set', { venue: 'bn', mode: 'live', arm: true });
  await until(async () => (await ok('venues.list', {})).find((v) => v.name === 'bn')?.state === 'connected', { timeoutMs: 15_000, what: 'binance connected' });
  return {
    emu,
    engine,
    ok,
    dir,
    async close() {
      await engine.close();
      await emu.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
