/** Shared setup for the IB connector tests: an emulator on a random port and a connector on a fresh SQLite file. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TwsEmulator, type TwsEmulatorOptions } from '../../emulators/tws';
import { openDatabase, type Db } from '../../../src-main/engine/store/db';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';
import type { Clock } from '../../../src-main/engine/ports/clock';
import { IbkrConnector } from '../../../src-main/engine/venues/ibkr';
import type { VenueFillReport, VenueListener, VenueOrderReport } from '../../../src-main/engine/venues/venue-port';
import type { Balance, Position, Quote } from '../../../src-main/engine/domain/order';
import type { VenueInfo, VenueState } from '../../../src-main/engine/api/commands';
import type { Result } from '../../../src-main/engine/api/errors';
import { engineRig as baseEngineRig, type EngineRig as BaseEngineRig } from '../../support/engine-rig';
import { VENUE_FACTORIES } from '../../../src-main/engine/venues/registry';

/** Wednesday 2026-11-18 15:00 UTC = 10:00 New York (regular session), advancing with real time. */
export const T0 = Date.UTC(2026, 10, 18, 15, 0, 0);
export function marketClock(): Clock {
  const started = Date.now();
  return { now: () => T0 + (Date.now() - started) };
}

export class RecordingListener implements VenueListener {
  readonly reports: VenueOrderReport[] = [];
  readonly fills: VenueFillReport[] = [];
  readonly quotes: Quote[] = [];
  readonly positions: Position[] = [];
  readonly balances: Balance[] = [];
  readonly states: Array<{ state: VenueState; detail: string }> = [];
  orderReport(r: VenueOrderReport): void {
    this.reports.push(r);
  }
  fill(f: VenueFillReport): void {
    this.fills.push(f);
  }
  quote(q: Quote): void {
    this.quotes.push(q);
  }
  position(p: Position): void {
    this.positions.push(p);
  }
  balance(b: Balance): void {
    this.balances.push(b);
  }
  state(state: VenueState, detail: string): void {
    this.states.push({ state, detail });
  }
  lastReport(clientOrderId: string): VenueOrderReport | undefined {
    return this.reports.filter((r) => r.clientOrderId === clientOrderId).at(-1);
  }
}

export interface Rig {
  emu: TwsEmulator;
  conn: IbkrConnector;
  listener: RecordingListener;
  db: Db;
  dir: string;
  clock: Clock;
  /** A second connector on the same database (a Tradeport restart). */
  reopen(settings?: Record<string, string>): Promise<{ conn: IbkrConnector; listener: RecordingListener }>;
  close(): Promise<void>;
}

export async function rig(opts: { emu?: TwsEmulatorOptions; settings?: Record<string, string>; start?: boolean } = {}): Promise<Rig> {
  const clock = marketClock();
  const emu = new TwsEmulator({ port: 0, now: clock.now, ...opts.emu });
  await emu.start();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-ibkr-'));
  const db = openDatabase(path.join(dir, 'tradeport.db'));
  const settings = (extra: Record<string, string> = {}) => ({
    host: '127.0.0.1',
    port: String(emu.port),
    clientId: '7',
    watchlist: 'AAPL',
    reconnectMinMs: '100',
    reconnectMaxMs: '1000',
    ...opts.settings,
    ...extra,
  });
  const connectors: IbkrConnector[] = [];
  const make = async (extra?: Record<string, string>) => {
    const conn = new IbkrConnector({ name: 'ib', settings: settings(extra), clock, secrets: new MemorySecretStore(), db });
    connectors.push(conn);
    const listener = new RecordingListener();
    if (opts.start !== false) await conn.start(listener);
    return { conn, listener };
  };
  const first = await make();
  return {
    emu,
    conn: first.conn,
    listener: first.listener,
    db,
    dir,
    clock,
    reopen: make,
    async close() {
      for (const c of connectors) await c.stop();
      await emu.stop();
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A whole engine with an `ib` venue added against a fresh emulator (shared by the engine-level IB tests). */
export interface EngineRig extends BaseEngineRig<Clock> {
  readonly emu: TwsEmulator;
  /** The `venue.add` result, for tests that check what the trader sees on adding the venue. */
  readonly added: Result<VenueInfo>;
}

export async function engineRig(clock: Clock, prefix: string, settings: Record<string, string> = {}): Promise<EngineRig> {
  const emu = new TwsEmulator({ port: 0, now: clock.now, nextValidId: 1000 });
  await emu.start();
  const base = await baseEngineRig({ clock, prefix, paperSeed: 1, venueFactories: VENUE_FACTORIES });
  const added = await base.engine.call('venue.add', {
    kind: 'ibkr',
    name: 'ib',
    settings: { host: '127.0.0.1', port: String(emu.port), clientId: '7', watchlist: 'AAPL', reconnectMinMs: '100', reconnectMaxMs: '500', ...settings },
  });
  const closeBase = base.close;
  return Object.assign(base, {
    emu,
    added,
    async close() {
      await closeBase();
      await emu.stop();
    },
  });
}
