/**
 * Composition root. Builds the engine from a config object: store, venues, order manager, the
 * command table and the event fan-out. Electron, the headless bridge and the CLI all talk to the
 * result through `callRaw` / `subscribe` and nothing else.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ZodError } from 'zod';
import { commandSchemas, type CommandName, type CommandOutput, type EngineInfo, type QuoteView, type Snapshot, type VenueInfo } from './api/commands';
import { fail, ok, TradeportError, type Result } from './api/errors';
import type { CallContext, EngineApi } from './api/engine-api';
import type { EngineEvent } from './api/events';
import { Decimal, toStr } from './domain/money';
import type { Instrument } from './domain/instrument';
import type { Position } from './domain/order';
import type { Clock } from './ports/clock';
import { systemClock } from './ports/clock';
import { SeededRandom } from './ports/random';
import type { SecretStore } from './ports/secrets';
import { openDatabase, DB_FILE, type Db } from './store/db';
import { OrdersRepo } from './store/orders-repo';
import { AuditRepo } from './store/audit-repo';
import { VenuesRepo } from './store/venues-repo';
import { PortfolioRepo } from './store/portfolio-repo';
import { OrderManager } from './oms/order-manager';
import { reconcileVenue } from './oms/reconciler';
import { buildPreview, resolveTicket } from './oms/preview';
import { VenueManager } from './venues/venue-manager';
import { VENUE_FACTORIES } from './venues/registry';
import type { VenueFactory } from './venues/venue-port';

export interface EngineConfig {
  readonly dataDir: string;
  readonly secrets: SecretStore;
  readonly clock?: Clock;
  /** Seed for the Paper price source (deterministic sessions in tests). */
  readonly paperSeed?: number;
  /** Paper price-source tick interval in ms (default 250). 0 disables the timer (tests step by hand). */
  readonly paperTickMs?: number;
  readonly version?: string;
  /** Venue kinds this engine can run (default: every kind in venues/registry.ts). Tests add scripted venues here. */
  readonly venueFactories?: ReadonlyMap<string, VenueFactory>;
  /** Delays between lookups of an order whose submit outcome is unknown. */
  readonly unknownLookupDelays?: readonly number[];
}

export interface Engine extends EngineApi {
  readonly info: EngineInfo;
  /** For tests and the composition of other transports: the parts behind the API. */
  readonly internals: { readonly db: Db; readonly venues: VenueManager; readonly oms: OrderManager; readonly orders: OrdersRepo; readonly audit: AuditRepo };
  close(): Promise<void>;
}

type Handler = (input: never, ctx: CallContext) => Promise<unknown> | unknown;

const SECRET_FIELDS = new Set(['value']);

export async function createEngine(config: EngineConfig): Promise<Engine> {
  const clock = config.clock ?? systemClock;
  fs.mkdirSync(config.dataDir, { recursive: true });
  const db = openDatabase(path.join(config.dataDir, DB_FILE));
  const orders = new OrdersRepo(db);
  const audit = new AuditRepo(db);
  const venuesRepo = new VenuesRepo(db);
  const portfolio = new PortfolioRepo(db);
  const random = new SeededRandom((config.paperSeed ?? Date.now()) ^ 0x5eed);
  const info: EngineInfo = { version: config.version ?? '0.1.0', dataDir: config.dataDir, pid: process.pid, startedAt: clock.now() };

  const listeners = new Set<(e: EngineEvent) => void>();
  const emit = (e: EngineEvent) => {
    for (const l of listeners) {
      try {
        l(e);
      } catch {
        // A broken listener (a closed socket) must not stop the others or the engine.
      }
    }
  };

  let oms!: OrderManager;
  const venues = new VenueManager({
    db,
    repo: venuesRepo,
    clock,
    secrets: config.secrets,
    paperSeed: config.paperSeed,
    paperTickMs: config.paperTickMs,
    factories: config.venueFactories ?? VENUE_FACTORIES,
    emit,
    listener: (venue) => ({
      orderReport: (r) => oms.applyReport(venue, r, 'venue'),
      fill: (f) => oms.applyFill(venue, f, 'venue'),
      quote: (q) => {
        const inst = venues.get(venue)?.instrument(q.instrumentId);
        emit({ type: 'quote', quote: { ...q, venue, symbol: inst?.symbol ?? q.instrumentId } });
      },
      position: (p) => {
        if (new Decimal(p.qty).isZero()) portfolio.deletePosition(venue, p.instrumentId);
        else portfolio.upsertPosition(p, clock.now());
        emit({ type: 'position', position: withMark(p) });
      },
      balance: (b) => {
        portfolio.upsertBalance(b, clock.now());
        emit({ type: 'balance', balance: b });
      },
      state: () => {
        const v = venues.info(venue);
        if (v) emit({ type: 'venue', venue: v });
      },
    }),
  });
  oms = new OrderManager({ repo: orders, clock, random, emit, connector: (v) => venues.get(v), ...(config.unknownLookupDelays ? { unknownLookupDelays: config.unknownLookupDelays } : {}) });

  function withMark(p: Position): Position {
    const conn = venues.get(p.venue);
    const inst = conn?.instrument(p.instrumentId);
    const q = conn?.quote(p.instrumentId);
    const mark = q?.bid && q?.ask ? new Decimal(q.bid).plus(q.ask).div(2) : q?.last ? new Decimal(q.last) : undefined;
    if (!mark || !inst) return p;
    const upnl = mark.minus(p.avgPrice).mul(p.qty).mul(inst.multiplier);
    return { ...p, mark: toStr(mark.toDecimalPlaces(new Decimal(inst.tickSize).decimalPlaces() + 1)), unrealizedPnl: toStr(upnl.toDecimalPlaces(2)) };
  }

  function quoteView(venue: string, inst: Instrument): QuoteView | undefined {
    const q = venues.get(venue)?.quote(inst.id);
    return q ? { ...q, venue, symbol: inst.symbol } : undefined;
  }

  function findInstrument(venue: string, symbol: string): Instrument {
    const conn = venues.require(venue);
    const inst = conn.instrument(symbol);
    if (!inst) throw new TradeportError('unknown_instrument', `${venue} has no instrument "${symbol}". Search with: tradeport instruments ${venue} ${symbol.slice(0, 3)}`);
    return inst;
  }

  async function reconcile(venue: string) {
    const conn = venues.require(venue);
    const report = await reconcileVenue(venue, conn, oms, orders, portfolio, clock);
    audit.append({ ts: clock.now(), actor: 'reconcile', transport: 'internal', action: 'reconcile', venue, ok: true, detail: { changes: report.changes } });
    if (report.changes.length > 0) {
      emit({ type: 'notice', level: 'info', ts: report.ts, message: `${venue} reconciled: ${report.changes.map((c) => c.message).join('; ')}` });
    }
    return report;
  }
  venues.onStarted = (name) => reconcile(name).then(() => undefined);

  const handlers: { [C in CommandName]: (input: ReturnType<(typeof commandSchemas)[C]['parse']>, ctx: CallContext) => Promise<CommandOutput<C>> | CommandOutput<C> } = {
    'engine.info': () => info,
    'snapshot.get': (): Snapshot => {
      const quotes: QuoteView[] = [];
      for (const v of venues.list()) {
        const conn = venues.get(v.name);
        if (!conn) continue;
        for (const inst of conn.instruments()) {
          const q = quoteView(v.name, inst);
          if (q) quotes.push(q);
        }
      }
      const working = orders.list({ workingOnly: true, limit: 5000 });
      const recent = orders.list({ limit: 300 });
      const seen = new Set(working.map((o) => o.id));
      return {
        info,
        venues: venues.list(),
        orders: [...working, ...recent.filter((o) => !seen.has(o.id))],
        fills: orders.fills({ limit: 300 }),
        positions: portfolio.positions().map(withMark),
        balances: portfolio.balances(),
        quotes,
      };
    },
    'venues.list': () => venues.list(),
    'venue.kinds': () => venues.kinds(),
    'venue.add': (i) => venues.add(i.kind, i.name, i.settings),
    'venue.set': (i) => venues.set(i.name, i.settings),
    'venue.remove': async (i) => {
      const working = orders.list({ venue: i.name, workingOnly: true, limit: 1 });
      if (working.length > 0) {
        throw new TradeportError('invalid_input', `Venue "${i.name}" still has working orders. Cancel them first (tradeport cancel-all ${i.name}).`);
      }
      await venues.remove(i.name);
      portfolio.clearVenue(i.name);
      return { name: i.name, removed: true as const };
    },
    'secret.set': (i) => venues.setSecret(i.venue, i.field, i.value),
    'secret.status': (i) => venues.secretStatus(i.venue),
    'instruments.search': (i) => {
      const conn = venues.require(i.venue);
      const q = i.query.trim().toUpperCase();
      const rank = (inst: Instrument) => {
        if (!q) return 3;
        const s = inst.symbol.toUpperCase();
        if (s === q || inst.venueSymbol.toUpperCase() === q) return 0;
        if (s.startsWith(q) || inst.base.toUpperCase().startsWith(q)) return 1;
        if (s.includes(q) || inst.description.toUpperCase().includes(q)) return 2;
        return -1;
      };
      return conn
        .instruments()
        .map((inst) => [rank(inst), inst] as const)
        .filter(([r]) => r >= 0)
        .sort((a, b) => a[0] - b[0] || a[1].symbol.localeCompare(b[1].symbol))
        .slice(0, i.limit)
        .map(([, inst]) => inst);
    },
    'quote.get': (i) => {
      const inst = findInstrument(i.venue, i.symbol);
      const q = quoteView(i.venue, inst);
      if (!q) throw new TradeportError('no_quote', `No quote for ${inst.symbol} on ${i.venue} yet.`);
      return q;
    },
    'book.get': (i) => {
      const inst = findInstrument(i.venue, i.symbol);
      const b = venues.require(i.venue).book(inst.id, i.depth);
      if (!b) throw new TradeportError('no_quote', `No order book for ${inst.symbol} on ${i.venue} yet.`);
      return { ...b, venue: i.venue, symbol: inst.symbol };
    },
    'order.preview': async (i) => {
      const { inst, ticket } = resolveTicket(i, findInstrument(i.venue, i.symbol));
      return buildPreview({ venue: i.venue, connector: venues.require(i.venue), instrument: inst, ticket, route: venues.route(i.venue), clock });
    },
    'order.place': async (i, ctx) => {
      const { inst, ticket } = resolveTicket(i, findInstrument(i.venue, i.symbol));
      if (i.clientOrderId) {
        // A repeated idempotency key returns the order it made, even if the market has moved since.
        const existing = orders.byClientId(i.clientOrderId);
        if (existing) return oms.place({ venue: i.venue, instrument: inst, ticket, clientOrderId: i.clientOrderId, route: venues.route(i.venue), actor: ctx.actor });
      }
      const preview = await buildPreview({ venue: i.venue, connector: venues.require(i.venue), instrument: inst, ticket, route: venues.route(i.venue), clock });
      if (!preview.allowed) {
        const first = preview.violations[0]!;
        const code = (['insufficient_funds', 'insufficient_position', 'market_closed', 'no_quote', 'notional_below_minimum'] as const).find((c) => c === first.code) ?? 'risk_violation';
        throw new TradeportError(code, preview.violations.map((v) => v.message).join(' '), { violations: preview.violations });
      }
      return oms.place({ venue: i.venue, instrument: inst, ticket, ...(i.clientOrderId ? { clientOrderId: i.clientOrderId } : {}), route: venues.route(i.venue), actor: ctx.actor });
    },
    'order.cancel': (i, ctx) => {
      const o =
        orders.byId(i.id) ??
        orders.byClientId(i.id) ??
        (i.venue ? orders.byVenueOrderId(i.venue, i.id) : venues.list().map((v) => orders.byVenueOrderId(v.name, i.id)).find(Boolean));
      if (!o || (i.venue && o.venue !== i.venue)) throw new TradeportError('order_not_found', `No order "${i.id}"${i.venue ? ` on ${i.venue}` : ''}. List working orders with: tradeport orders`);
      return oms.cancel(o.id, ctx.actor);
    },
    'order.cancelAll': async (i, ctx) => {
      const working = orders.list({ workingOnly: true, limit: 100_000, ...(i.venue ? { venue: i.venue } : {}) }).filter((o) => o.status !== 'pending_cancel' && o.status !== 'pending_submit');
      const results = await Promise.allSettled(working.map((o) => oms.cancel(o.id, ctx.actor)));
      return { requested: working.length, orders: results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])) };
    },
    'orders.list': (i) => orders.list({ workingOnly: !i.all, limit: i.limit, ...(i.venue ? { venue: i.venue } : {}) }),
    'fills.list': (i) => orders.fills({ limit: i.limit, ...(i.venue ? { venue: i.venue } : {}) }),
    'positions.list': (i) => portfolio.positions(i.venue).map(withMark),
    'balances.list': (i) => portfolio.balances(i.venue),
  };

  const READ_ONLY = new Set<CommandName>(['engine.info', 'snapshot.get', 'venues.list', 'venue.kinds', 'secret.status', 'instruments.search', 'quote.get', 'book.get', 'order.preview', 'orders.list', 'fills.list', 'positions.list', 'balances.list']);
  let closed = false;

  async function callRaw(command: string, input: unknown, ctx: CallContext = { actor: 'system', transport: 'internal' }): Promise<Result<unknown>> {
    if (closed) return fail('engine_busy', 'The engine is shutting down.');
    if (!Object.prototype.hasOwnProperty.call(commandSchemas, command)) {
      return fail('unknown_command', `Unknown command "${String(command).slice(0, 64)}".`);
    }
    const name = command as CommandName;
    const parsed = commandSchemas[name].safeParse(input ?? {});
    if (!parsed.success) return fail('invalid_input', describeZodError(parsed.error), { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
    let result: Result<unknown>;
    try {
      const handler = handlers[name] as unknown as Handler;
      result = ok(await handler(parsed.data as never, ctx));
    } catch (err) {
      result = err instanceof TradeportError ? { ok: false, error: err.toApiError() } : fail('internal', `Internal error in ${name}: ${(err as Error).message ?? String(err)}`);
    }
    if (!READ_ONLY.has(name)) {
      audit.append({
        ts: clock.now(),
        actor: ctx.actor,
        transport: ctx.transport,
        action: name,
        venue: (parsed.data as { venue?: string; name?: string }).venue ?? (parsed.data as { name?: string }).name ?? null,
        ok: result.ok,
        detail: { input: redact(parsed.data), ...(result.ok ? {} : { error: result.error }) },
      });
    }
    return result;
  }

  await venues.startAll();

  const engine: Engine = {
    info,
    internals: { db, venues, oms, orders, audit },
    call: <C extends CommandName>(command: C, input: unknown, ctx?: CallContext) => callRaw(command, input, ctx) as Promise<Result<CommandOutput<C>>>,
    callRaw,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      oms.close();
      await venues.stopAll();
      listeners.clear();
      db.close();
    },
  };
  return engine;
}

function redact(input: unknown): unknown {
  if (!input || typeof input !== 'object') return input;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) out[k] = SECRET_FIELDS.has(k) ? '[redacted]' : v;
  return out;
}

function describeZodError(e: ZodError): string {
  const first = e.issues[0];
  if (!first) return 'Invalid input.';
  const where = first.path.length ? `"${first.path.join('.')}"` : 'input';
  if (first.code === 'unrecognized_keys') return `Unknown field(s): ${(first as { keys: string[] }).keys.join(', ')}.`;
  if (first.code === 'invalid_value' && 'values' in first) return `${where} must be one of: ${(first.values as unknown[]).join(', ')}.`;
  return `${where}: ${first.message}`;
}

export type { VenueInfo };
