/** The Kraken emulator and a connector (or an engine) pointed at it, for the Kraken tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKrakenEmulator, type KrakenEmulator, type KrakenEmulatorOptions } from '../../emulators/kraken';
import { KrakenConnector } from '../../../src-main/engine/venues/kraken/kraken-connector';
import { krakenLimits } from '../../../src-main/engine/venues/kraken/kraken-limits';
import type { VenueLimits } from '../../../src-main/engine/net/venue-limits';
import { openDatabase } from '../../../src-main/engine/store/db';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';

/** A counter roomy enough for the contract's polling lookups; the rate-counter case uses Kraken's own numbers. */
export const ROOMY = { counterMax: 10_000, counterDecayPerSec: 100 };

/** Kraken's budgets, scaled to the roomy emulator counter. */
export function roomyLimits(): VenueLimits {
  const l = krakenLimits('pro');
  return { ...l, budgets: l.budgets.map((b) => (b.kind === 'decay' ? { ...b, max: ROOMY.counterMax, decayPerSec: ROOMY.counterDecayPerSec } : { ...b, limit: 1000 })) };
}

export async function startEmulator(opts: KrakenEmulatorOptions = ROOMY): Promise<KrakenEmulator> {
  return startKrakenEmulator(opts);
}

export function krakenSettings(emu: KrakenEmulator, extra: Record<string, string> = {}): Record<string, string> {
  return { restUrl: emu.url, wsUrl: emu.wsUrl, wsAuthUrl: emu.wsUrl, ...extra };
}

export async function secretsFor(emu: KrakenEmulator, venue: string): Promise<MemorySecretStore> {
  const secrets = new MemorySecretStore();
  await secrets.set(`${venue}/apiKey`, emu.apiKey);
  await secrets.set(`${venue}/apiSecret`, emu.apiSecret);
  return secrets;
}

export async function connectorRig(emu: KrakenEmulator, opts: { settings?: Record<string, string>; limits?: VenueLimits; now?: () => number } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-kraken-'));
  const file = path.join(dir, 'tradeport.db');
  const secrets = await secretsFor(emu, 'kr');
  let db = openDatabase(file);
  const make = () =>
    new KrakenConnector(
      { name: 'kr', settings: krakenSettings(emu, opts.settings), clock: { now: opts.now ?? (() => Date.now()) }, secrets, db },
      { timeoutMs: 2000, limits: opts.limits ?? roomyLimits() },
    );
  return {
    connector: make(),
    /** A Tradeport restart: the database file closed and opened again, a new connector on it. */
    reopen(): KrakenConnector {
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

export async function control(emu: KrakenEmulator, command: string, body: Record<string, unknown> = {}): Promise<unknown> {
  const r = await fetch(`${emu.url}/__control/${command}`, { method: 'POST', body: JSON.stringify(body) });
  const json = (await r.json()) as unknown;
  if (!r.ok) throw new Error(`control ${command}: ${JSON.stringify(json)}`);
  return json;
}

/** AddOrder requests (not validate-only) that carried this client id. */
export function submitsSeen(emu: KrakenEmulator, coid: string): number {
  return emu.server.requests.filter(
    (r) => r.method === 'POST' && r.path === '/0/private/AddOrder' && new URLSearchParams(r.body).get('cl_ord_id') === coid && new URLSearchParams(r.body).get('validate') !== 'true',
  ).length;
}

const PORT_STATUS: Record<string, string> = { pending: 'accepted', open: 'accepted', closed: 'filled', canceled: 'cancelled', expired: 'expired' };

/** The emulator's status for our client id, in the port's words. */
export function venueStatus(emu: KrakenEmulator, coid: string): string | undefined {
  const o = emu.orders
    .all()
    .filter((x) => x.cl_ord_id === coid)
    .at(-1);
  if (!o) return undefined;
  return o.status === 'open' && Number(o.vol_exec) > 0 ? 'partially_filled' : PORT_STATUS[o.status];
}

/** Fills in-process (the control API may be down in an outage). */
export function fillNow(emu: KrakenEmulator, coid: string, volume: string, price: string): void {
  emu.orders.fill(coid, volume, price);
}

const ADD_ORDER = { method: 'POST', path: '/0/private/AddOrder' } as const;
const INSUFFICIENT = 'EOrder:Insufficient funds';

/** The venue contract's fault and venue-side hooks on the Kraken emulator (any connector pointed at it). */
export function krakenContractHooks(emu: KrakenEmulator) {
  const s = emu.server;
  return {
    reject: async () => {
      await control(emu, 'reject-next', { error: INSUFFICIENT });
      return { reason: INSUFFICIENT };
    },
    submitsSeen: (coid: string) => submitsSeen(emu, coid),
    fill: async (ref: { clientOrderId: string }, qty: string, price: string) => fillNow(emu, ref.clientOrderId, qty, price),
    loseNextSubmitAnswer: () => s.faults.arm({ kind: 'lose-response', ...ADD_ORDER }),
    outage: async (whileDown: () => Promise<void>) => {
      await s.stop();
      await whileDown();
      await s.start();
    },
    rateLimitNext: (retryAfterS: number) => s.faults.arm({ kind: '429', retryAfterS, ...ADD_ORDER }),
    serverErrorBurst: (count: number) => s.faults.arm({ kind: '5xx', count, ...ADD_ORDER }),
    externalOrder: async () => void (await control(emu, 'external-order', { type: 'sell', volume: '3', price: '250' })),
  };
}
