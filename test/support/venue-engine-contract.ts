/**
 * The venue contract through the engine: the same venue, now behind the journal, the OMS's
 * unknown-order lookups, reconciliation and the kill switch, on an engine built on a temp dir.
 * Only engine commands (`engine.call`) and the venue's emulator are used.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src-main/engine/engine';
import type { CommandName, CommandOutput, OrderTicket } from '../../src-main/engine/api/commands';
import { caseName, type ContractAbilities, type OrderRef } from './venue-contract';
import { until } from './until';

export interface VenueEngineRig {
  /** The running engine (a getter: restart() replaces it). */
  readonly engine: Engine;
  /** Closes the engine, runs `whileClosed` (the venue keeps running), and starts a new engine on the same data dir. */
  restart(whileClosed: () => Promise<void>): Promise<void>;
  /** The configured venue's name; LIVE mode already armed where the venue has modes. */
  readonly venue: string;
  readonly symbol: string;
  /** A buy limit that rests at the venue and passes the engine's risk checks. */
  resting(): Promise<{ readonly qty: string; readonly limitPrice: string }>;
  /** Ticket fields this venue's capabilities() do not cover (the engine must refuse before journaling). */
  readonly unsupported: Partial<OrderTicket>;
  submitsSeen(clientOrderId: string): number | Promise<number>;
  /** What the venue itself (its emulator) says the order's status is, in the port's words. */
  venueStatus(clientOrderId: string): Promise<string | undefined>;
  /** Makes the venue refuse the next submit; returns text its refusal carries (and ticket fields to use, if any). */
  reject?(): Promise<{ readonly reason: string; readonly ticket?: Partial<OrderTicket> }>;
  fill?(ref: OrderRef, qty: string, price: string): Promise<void>;
  loseNextSubmitAnswer?(): void;
  outage?(whileDown: () => Promise<void>): Promise<void>;
  /** Places an order at the venue outside Tradeport; returns its terms. */
  externalOrder?(): Promise<{ readonly side: 'buy' | 'sell'; readonly qty: string; readonly limitPrice: string }>;
  close(): Promise<void>;
}

/**
 * The engine half of a rig: `engine` always names the running engine, `restart` closes it, runs
 * `whileClosed` and starts a new one on the same data dir (what every venue's rig needs).
 */
export class RestartableEngine {
  private constructor(
    private readonly start: () => Promise<Engine>,
    private current: Engine,
  ) {}

  static async start(start: () => Promise<Engine>): Promise<RestartableEngine> {
    return new RestartableEngine(start, await start());
  }

  get engine(): Engine {
    return this.current;
  }

  async restart(whileClosed: () => Promise<void>): Promise<void> {
    await this.current.close();
    await whileClosed();
    this.current = await this.start();
  }

  close(): Promise<void> {
    return this.current.close();
  }
}

/** Adds a venue and arms it LIVE, failing with the engine's own words if it refuses either. */
export async function addLiveVenue(engine: Engine, kind: string, name: string, settings: Record<string, string> = {}): Promise<void> {
  const added = await engine.call('venue.add', { kind, name, settings });
  if (!added.ok) throw new Error(added.error.message);
  const armed = await engine.call('mode.set', { venue: name, mode: 'live', arm: true });
  if (!armed.ok) throw new Error(armed.error.message);
}

export interface VenueEngineSpec {
  readonly abilities: Pick<ContractAbilities, 'ackLost' | 'fill' | 'outage' | 'externalOrder'> & {
    /** The venue (not the engine's own pre-trade checks) refuses an order. */
    readonly reject: true | string;
  };
  makeRig(): Promise<VenueEngineRig>;
}

function engineCase(title: string, ability: true | string, body: () => Promise<void>): void {
  if (ability === true) it(title, body, 30_000);
  else it(caseName(title, ability), () => expect(ability.trim().length).toBeGreaterThan(10));
}

export function describeVenueEngineContract(name: string, spec: VenueEngineSpec): void {
  const a = spec.abilities;
  describe(`venue engine contract: ${name}`, () => {
    let rig: VenueEngineRig;
    let n = 0;
    beforeEach(async () => {
      rig = await spec.makeRig();
    }, 30_000);
    afterEach(async () => {
      await rig?.close();
    }, 30_000);

    async function ok<C extends CommandName>(command: C, input: unknown): Promise<CommandOutput<C>> {
      const r = await rig.engine.call(command, input);
      if (!r.ok) throw new Error(`${command} failed: ${r.error.code}: ${r.error.message}`);
      return r.value;
    }
    const order = async (id: string) => (await ok('orders.list', { all: true })).find((o) => o.id === id);
    const restingTicket = async () => ({
      venue: rig.venue,
      symbol: rig.symbol,
      side: 'buy',
      type: 'limit',
      tif: 'gtc',
      ...(await rig.resting()),
      clientOrderId: `ec-${Date.now().toString(36)}-${++n}`,
    });

    it('place: journaled, sent once, acknowledged, and listed as working', async () => {
      const t = await restingTicket();
      const placed = await ok('order.place', t);
      expect(['submitted', 'accepted']).toContain(placed.status);
      expect(placed.clientOrderId).toBe(t.clientOrderId);
      expect((await order(placed.id))?.venueOrderId).toMatch(/\S/);
      expect(await rig.submitsSeen(t.clientOrderId)).toBe(1);
      expect(['submitted', 'accepted']).toContain(await rig.venueStatus(t.clientOrderId));
    });

    engineCase("venue reject: the order ends rejected (not unknown) with the venue's reason, sent once", a.reject, async () => {
      const r = await rig.reject!();
      const t = { ...(await restingTicket()), ...r.ticket };
      const placed = await ok('order.place', t);
      expect(placed).toMatchObject({ status: 'rejected' });
      expect(placed.rejectReason).toContain(r.reason);
      expect(await rig.submitsSeen(t.clientOrderId)).toBe(1);
    });

    engineCase('ack lost: the order is unknown (unless the stream already told), then resolved to working — one venue order, never resent', a.ackLost, async () => {
      rig.loseNextSubmitAnswer!();
      const t = await restingTicket();
      const placed = await ok('order.place', t);
      // A venue with an order stream may report the order before the lost answer times out.
      expect(['unknown', 'accepted']).toContain(placed.status);
      await until(async () => (await order(placed.id))?.status === 'accepted', { timeoutMs: 20_000, what: 'resolved to accepted' });
      expect(await rig.submitsSeen(t.clientOrderId)).toBe(1);
    });

    engineCase('reconcile after a reconnect finds the fill made while disconnected', a.outage !== true ? a.outage : a.fill, async () => {
      const t = await restingTicket();
      const placed = await ok('order.place', t);
      const withVenueId = await until(
        async () => {
          const o = await order(placed.id);
          return o?.venueOrderId ? o : undefined;
        },
        { timeoutMs: 10_000, what: 'venue order id' },
      );
      // Recorded from events, not polled: a short outage may be over before a poll would see it.
      const states: string[] = [];
      const off = rig.engine.subscribe((e) => {
        if (e.type === 'venue' && e.venue.name === rig.venue) states.push(e.venue.state);
      });
      await rig.outage!(async () => {
        await until(() => states.some((st) => st !== 'connected'), { timeoutMs: 10_000, what: 'engine sees the venue down' });
        await rig.fill!({ clientOrderId: t.clientOrderId, venueOrderId: withVenueId.venueOrderId }, t.qty, t.limitPrice);
      });
      off();
      await until(async () => (await order(placed.id))?.status === 'filled', { timeoutMs: 20_000, what: 'filled after reconcile' });
      // The fill record may follow the status (IB joins each execution with its commission report).
      const fills = await until(
        async () => {
          const fs = (await ok('fills.list', { venue: rig.venue })).filter((f) => f.orderId === placed.id);
          return fs.length > 0 && fs;
        },
        { timeoutMs: 20_000, what: 'the fill recorded' },
      );
      expect(fills.reduce((s, f) => s + Number(f.qty), 0)).toBe(Number(t.qty));
    });

    it('Tradeport restart: a working order is still tracked and still cancellable afterwards', async () => {
      const t = await restingTicket();
      const placed = await ok('order.place', t);
      await rig.restart(async () => undefined);
      await until(async () => (await ok('venues.list', {})).find((v) => v.name === rig.venue)?.state === 'connected', { timeoutMs: 15_000, what: 'venue up after restart' });
      expect((await order(placed.id))?.status).toBe(placed.status);
      await ok('order.cancel', { id: placed.id });
      await until(async () => (await order(placed.id))?.status === 'cancelled', { timeoutMs: 15_000, what: 'cancelled after restart' });
      expect(await rig.venueStatus(t.clientOrderId)).toBe('cancelled');
      expect(await rig.submitsSeen(t.clientOrderId)).toBe(1);
    });

    engineCase('Tradeport restart: a fill made while it was closed is recorded on start (reconcile)', a.fill, async () => {
      const t = await restingTicket();
      const placed = await ok('order.place', t);
      const o = await until(
        async () => {
          const x = await order(placed.id);
          return x?.venueOrderId ? x : undefined;
        },
        { timeoutMs: 10_000, what: 'venue order id' },
      );
      await rig.restart(() => rig.fill!({ clientOrderId: t.clientOrderId, venueOrderId: o.venueOrderId }, t.qty, t.limitPrice));
      await until(async () => (await order(placed.id))?.status === 'filled', { timeoutMs: 20_000, what: 'filled after restart' });
      const fills = await until(
        async () => {
          const fs = (await ok('fills.list', { venue: rig.venue })).filter((f) => f.orderId === placed.id);
          return fs.length > 0 && fs;
        },
        { timeoutMs: 20_000, what: 'the fill recorded' },
      );
      expect(fills.reduce((sum, f) => sum + Number(f.qty), 0)).toBe(Number(t.qty));
    });

    engineCase('an order placed outside Tradeport is adopted by reconcile, with its symbol and terms', a.externalOrder, async () => {
      const ext = await rig.externalOrder!();
      await ok('reconcile.run', { venue: rig.venue });
      const adopted = await until(async () => (await ok('orders.list', { all: true })).find((o) => o.source === 'external'), { timeoutMs: 15_000, what: 'adopted' });
      expect(adopted).toMatchObject({ venue: rig.venue, symbol: rig.symbol, side: ext.side, type: 'limit' });
      expect(Number(adopted.qty)).toBe(Number(ext.qty));
      expect(Number(adopted.limitPrice)).toBe(Number(ext.limitPrice));
      expect(['submitted', 'accepted']).toContain(adopted.status);
    });

    it('kill switch: working orders are cancelled at the venue, and a new order is refused and never journaled', async () => {
      const t = await restingTicket();
      const placed = await ok('order.place', t);
      await ok('killSwitch.trip', { reason: 'venue contract' });
      await until(async () => (await order(placed.id))?.status === 'cancelled', { timeoutMs: 20_000, what: 'cancelled by the kill switch' });
      expect(await rig.venueStatus(t.clientOrderId)).toBe('cancelled');
      const before = (await ok('orders.list', { all: true })).length;
      const t2 = await restingTicket();
      const r = await rig.engine.call('order.place', t2);
      expect(r.ok ? 'placed' : r.error.code).toBe('halted');
      expect((await ok('orders.list', { all: true })).length).toBe(before);
      expect(await rig.submitsSeen(t2.clientOrderId)).toBe(0);
      await ok('killSwitch.reset', { confirm: true });
    });

    it('capability refusal before journaling: what the venue cannot carry is refused, never written, never sent', async () => {
      const t = { ...(await restingTicket()), ...rig.unsupported };
      const before = (await ok('orders.list', { all: true })).length;
      const r = await rig.engine.call('order.place', t);
      expect(r.ok ? 'placed' : r.error.code).toBe('unsupported_order');
      expect((await ok('orders.list', { all: true })).length).toBe(before);
      expect(await rig.submitsSeen(t.clientOrderId)).toBe(0);
    });
  });
}

/** Wednesday 2026-11-18 15:00 UTC (10:00 New York, markets open), advancing with real time. */
export function sessionClock(): { now(): number } {
  const started = Date.now();
  const t0 = Date.UTC(2026, 10, 18, 15, 0, 0);
  return { now: () => t0 + (Date.now() - started) };
}
