/**
 * The venue contract: what every connector promises the engine (venues/venue-port.ts), checked
 * only through the VenueConnector port against the venue's emulator. A venue's test file is its
 * rig (connector + emulator + how to inject each fault) and one `describeVenueContract` call.
 *
 * A rig says which faults its venue can express. One it cannot (a socket venue has no HTTP 429)
 * is declared with the reason, and the case still appears — "… — not applicable: <reason>" —
 * so a reader of the test report sees every gap; nothing passes silently.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Instrument } from '../../src-main/engine/domain/instrument';
import type { Balance, Order, Position, Quote } from '../../src-main/engine/domain/order';
import type { VenueState } from '../../src-main/engine/api/commands';
import { OutcomeUnknownError, VenueRejectedError, type SubmitAck, type VenueConnector, type VenueFillReport, type VenueListener, type VenueOrderReport } from '../../src-main/engine/venues/venue-port';
import { until } from './until';

/** The venue-side abilities the contract's cases need; each is `true` or the reason it cannot be expressed. */
export interface ContractAbilities {
  /** The venue creates the order but the answer is lost (reset after the request, restart before the ack). */
  readonly ackLost: true | string;
  /** The emulator fills a chosen working order by a chosen quantity. */
  readonly fill: true | string;
  /** The venue goes away and comes back (socket drop, restart) with the connector running. */
  readonly outage: true | string;
  /** Modify in place (VenueConnector.replace). */
  readonly replace: true | string;
  /** An order placed outside Tradeport (the venue's website, TWS by hand). */
  readonly externalOrder: true | string;
  /** HTTP 429 with Retry-After. */
  readonly rateLimit: true | string;
  /** A burst of HTTP 5xx. */
  readonly serverErrors: true | string;
  /** The connector has a circuit breaker (health().breaker). */
  readonly breaker: true | string;
  /** The venue's stream numbers its messages and can skip some. */
  readonly streamGap: true | string;
}

/** A limit order's terms; `symbol` etc. come from the instrument. */
export interface ContractTerms {
  readonly side: Order['side'];
  readonly type: Order['type'];
  readonly qty: string;
  readonly limitPrice?: string;
  readonly tif: Order['tif'];
}

export interface OrderRef {
  readonly clientOrderId: string;
  readonly venueOrderId?: string | undefined;
}

export interface VenueContractRig {
  /** Not started: the suite starts it with its own listener. */
  readonly connector: VenueConnector;
  /** The instrument the cases trade, found through the port. */
  instrument(): Promise<Instrument>;
  /** A buy limit that rests at the venue without filling. */
  resting(inst: Instrument): Promise<ContractTerms>;
  /** An order the venue fills at once (used where `fill` is not applicable). */
  marketable(inst: Instrument): Promise<ContractTerms>;
  /** Makes the next submit be refused: arms the emulator or shapes the terms. `reason` is text the venue's refusal carries. */
  reject(inst: Instrument): Promise<{ readonly terms?: Partial<ContractTerms>; readonly reason: string }>;
  /** Submit requests the venue received for this client id (two would be a resend). */
  submitsSeen(clientOrderId: string): number | Promise<number>;
  fill?(ref: OrderRef, qty: string, price: string): Promise<void>;
  loseNextSubmitAnswer?(): void;
  /** Takes the venue down, runs `whileDown` (the venue stays down until it resolves), brings it back. */
  outage?(whileDown: () => Promise<void>): Promise<void>;
  rateLimitNext?(retryAfterS: number): void;
  /** The next stream message skips sequence numbers (the messages in between are lost). */
  streamGapNext?(): void;
  serverErrorBurst?(count: number): void;
  externalOrder?(inst: Instrument): Promise<void>;
  close(): Promise<void>;
}

export interface VenueContractSpec {
  readonly abilities: ContractAbilities;
  makeRig(): Promise<VenueContractRig>;
}

export class RecordingListener implements VenueListener {
  readonly reports: VenueOrderReport[] = [];
  readonly fills: VenueFillReport[] = [];
  readonly states: Array<{ state: VenueState; detail: string }> = [];
  orderReport(r: VenueOrderReport): void {
    this.reports.push(r);
  }
  fill(f: VenueFillReport): void {
    this.fills.push(f);
  }
  quote(_q: Quote): void {}
  position(_p: Position): void {}
  balance(_b: Balance): void {}
  state(state: VenueState, detail: string): void {
    this.states.push({ state, detail });
  }
}

let seq = 0;
export function contractOrder(venue: string, inst: Instrument, t: ContractTerms): Order {
  const id = `c${Date.now().toString(36)}${(++seq).toString(36)}`;
  return {
    id,
    clientOrderId: `tp-${id}`,
    venue,
    instrumentId: inst.id,
    symbol: inst.symbol,
    side: t.side,
    type: t.type,
    qty: t.qty,
    ...(t.limitPrice !== undefined ? { limitPrice: t.limitPrice } : {}),
    tif: t.tif,
    status: 'pending_submit',
    filledQty: '0',
    avgFillPrice: '0',
    fees: '0',
    source: 'user',
    createdAt: 0,
    updatedAt: 0,
  };
}

const WORKING = ['submitted', 'accepted'];

/** `title`, or the visible not-applicable form of it. */
export function caseName(title: string, ability: true | string): string {
  return ability === true ? title : `${title} — not applicable: ${ability}`;
}

/** An it() that runs `body` when the venue can express it, else visibly records why not. */
function contractCase(title: string, ability: true | string, body: () => Promise<void>, timeoutMs = 30_000): void {
  if (ability === true) it(title, body, timeoutMs);
  else
    it(caseName(title, ability), () => {
      expect(ability.trim().length).toBeGreaterThan(10);
    });
}

/** Applicable only when both abilities are. */
function both(x: true | string, y: true | string): true | string {
  return x !== true ? x : y !== true ? `needs fills too: ${y}` : true;
}

function need<T>(hook: T | undefined, name: string): T {
  if (hook === undefined) throw new Error(`the rig declares this ability but has no ${name}()`);
  return hook;
}

export function describeVenueContract(name: string, spec: VenueContractSpec): void {
  const a = spec.abilities;
  describe(`venue contract: ${name}`, () => {
    let rig: VenueContractRig;
    let c: VenueConnector;
    let l: RecordingListener;
    let inst: Instrument;

    beforeEach(async () => {
      rig = await spec.makeRig();
      c = rig.connector;
      l = new RecordingListener();
      await c.start(l);
      await until(() => c.state().state === 'connected', { timeoutMs: 10_000, what: `${name} connected` });
      inst = await rig.instrument();
    }, 30_000);
    afterEach(async () => {
      await c?.stop();
      await rig?.close();
    }, 30_000);

    const submitResting = async (): Promise<{ o: Order; ack: SubmitAck }> => {
      const o = contractOrder(c.name, inst, await rig.resting(inst));
      const ack = await c.submit(o);
      return { o: { ...o, venueOrderId: ack.venueOrderId }, ack };
    };
    const statusOf = async (coid: string): Promise<string | undefined> => (await c.lookup(coid))?.status;

    it('submit acknowledged: a venue order id, and lookup by client id finds the order working', async () => {
      const { o, ack } = await submitResting();
      expect(ack.venueOrderId).toMatch(/\S/);
      expect(WORKING).toContain(ack.status);
      const found = await until(() => c.lookup(o.clientOrderId), { timeoutMs: 10_000, what: 'lookup' });
      expect(found).toMatchObject({ clientOrderId: o.clientOrderId, venueOrderId: ack.venueOrderId });
      expect(WORKING).toContain(found.status);
      expect(await rig.submitsSeen(o.clientOrderId)).toBe(1);
    });

    it('lookup of a client id the venue never saw is undefined', async () => {
      expect(await c.lookup(`tp-never-${Date.now()}`)).toBeUndefined();
    });

    contractCase('ack lost (order created, answer dropped) → OutcomeUnknownError; lookup by client id finds it; never resent', a.ackLost, async () => {
      need(rig.loseNextSubmitAnswer, 'loseNextSubmitAnswer')();
      const o = contractOrder(c.name, inst, await rig.resting(inst));
      await expect(c.submit(o)).rejects.toBeInstanceOf(OutcomeUnknownError);
      const found = await until(async () => c.state().state === 'connected' && (await c.lookup(o.clientOrderId)), { timeoutMs: 15_000, what: 'lookup after the lost ack' });
      expect(found.clientOrderId).toBe(o.clientOrderId);
      expect(WORKING).toContain(found.status);
      expect(await rig.submitsSeen(o.clientOrderId)).toBe(1);
    });

    it("venue reject → VenueRejectedError carrying the venue's reason", async () => {
      const r = await rig.reject(inst);
      const o = contractOrder(c.name, inst, { ...(await rig.resting(inst)), ...r.terms });
      const err = await c.submit(o).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VenueRejectedError);
      expect((err as Error).message).toContain(r.reason);
    });

    it('cancel: a working order ends cancelled at the venue', async () => {
      const { o } = await submitResting();
      await c.cancel(o);
      await until(async () => (await statusOf(o.clientOrderId)) === 'cancelled', { timeoutMs: 10_000, what: 'cancelled' });
      expect((await c.openOrders()).map((r) => r.clientOrderId)).not.toContain(o.clientOrderId);
    });

    it('cancel of an order the venue no longer has (already cancelled) → VenueRejectedError, nothing else changes', async () => {
      const { o } = await submitResting();
      await c.cancel(o);
      await until(async () => (await statusOf(o.clientOrderId)) === 'cancelled', { timeoutMs: 10_000, what: 'cancelled' });
      await expect(c.cancel(o)).rejects.toBeInstanceOf(VenueRejectedError);
      expect(await statusOf(o.clientOrderId)).toBe('cancelled');
    });

    contractCase('replace: the limit price changes in place (same client id), and lookup shows the new terms', a.replace, async () => {
      const { o, ack } = await submitResting();
      const next = (Number(o.limitPrice) - 1).toFixed(2);
      const r = await need(c.replace?.bind(c), 'replace')(o, { limitPrice: next });
      expect(r.venueOrderId).toBe(ack.venueOrderId);
      expect(Number(r.limitPrice)).toBe(Number(next));
      await until(async () => Number((await c.lookup(o.clientOrderId))?.limitPrice) === Number(next), { timeoutMs: 10_000, what: 'new limit at the venue' });
    });

    contractCase('partial fills: partially_filled, then filled; one fill report per execution', a.fill, async () => {
      const fill = need(rig.fill, 'fill');
      const { o } = await submitResting();
      const half = (Number(o.qty) / 2).toString();
      await fill(o, half, o.limitPrice!);
      await until(async () => (await statusOf(o.clientOrderId)) === 'partially_filled', { timeoutMs: 10_000, what: 'partially filled' });
      await fill(o, half, o.limitPrice!);
      const done = await until(
        async () => {
          const r = await c.lookup(o.clientOrderId);
          return r?.status === 'filled' && r;
        },
        { timeoutMs: 10_000, what: 'filled' },
      );
      expect(Number(done.filledQty)).toBe(Number(o.qty));
      const mine = await until(() => l.fills.filter((f) => f.clientOrderId === o.clientOrderId).length === 2 && l.fills.filter((f) => f.clientOrderId === o.clientOrderId), {
        timeoutMs: 10_000,
        what: 'two fill reports',
      });
      expect(new Set(mine.map((f) => f.venueFillId)).size).toBe(2);
      expect(mine.reduce((s, f) => s + Number(f.qty), 0)).toBe(Number(o.qty));
    });

    it('openOrders: every working order with enough fields to adopt it (instrument, side, type, qty, price, tif)', async () => {
      const { o, ack } = await submitResting();
      if (rig.externalOrder) await rig.externalOrder(inst);
      const open = await until(
        async () => {
          const xs = await c.openOrders();
          return xs.some((r) => r.clientOrderId === o.clientOrderId) && xs.length >= (rig.externalOrder ? 2 : 1) && xs;
        },
        { timeoutMs: 10_000, what: 'open orders' },
      );
      expect(open.find((r) => r.clientOrderId === o.clientOrderId)).toMatchObject({ venueOrderId: ack.venueOrderId, instrumentId: inst.id, side: o.side, type: o.type, tif: o.tif });
      for (const r of open) {
        expect(r.clientOrderId).toMatch(/\S/);
        expect(r.venueOrderId).toMatch(/\S/);
        expect(c.instrument(r.instrumentId!)?.id).toBe(r.instrumentId);
        expect(['buy', 'sell']).toContain(r.side);
        expect(r.type).toBeDefined();
        expect(Number(r.qty)).toBeGreaterThan(0);
        expect(r.tif).toBeDefined();
        if (r.type === 'limit') expect(Number(r.limitPrice)).toBeGreaterThan(0);
        expect([...WORKING, 'partially_filled']).toContain(r.status);
      }
    });

    contractCase('openOrders includes an order placed outside Tradeport, adoptable', a.externalOrder, async () => {
      const before = (await c.openOrders()).length;
      await need(rig.externalOrder, 'externalOrder')(inst);
      const open = await until(
        async () => {
          const xs = await c.openOrders();
          return xs.length > before && xs;
        },
        { timeoutMs: 10_000, what: 'external order listed' },
      );
      const ext = open.at(-1)!;
      expect(ext).toMatchObject({ instrumentId: inst.id });
      expect(ext.qty).toBeDefined();
      expect(ext.side).toBeDefined();
    });

    it('fillsSince never repeats a venueFillId, and asking twice gives the same fills', async () => {
      if (rig.fill) {
        const { o } = await submitResting();
        const third = (Number(o.qty) / 4).toString();
        for (let i = 0; i < 3; i++) await rig.fill(o, third, o.limitPrice!);
      } else {
        for (let i = 0; i < 2; i++) await c.submit(contractOrder(c.name, inst, await rig.marketable(inst)));
      }
      const first = await until(
        async () => {
          const fs = await c.fillsSince(0);
          return fs.length >= (rig.fill ? 3 : 2) && fs;
        },
        { timeoutMs: 10_000, what: 'fills' },
      );
      const ids = first.map((f) => f.venueFillId);
      expect(new Set(ids).size).toBe(ids.length);
      const again = (await c.fillsSince(0)).map((f) => f.venueFillId);
      expect(new Set(again)).toEqual(new Set(ids));
      for (const f of first) expect(Number(f.qty)).toBeGreaterThan(0);
    });

    contractCase('disconnect and reconnect: states reported, and a fill made while down is found by fillsSince', both(a.outage, a.fill), async () => {
      const fill = need(rig.fill, 'fill');
      const { o } = await submitResting();
      const from = l.states.length;
      await need(
        rig.outage,
        'outage',
      )(async () => {
        await until(() => l.states.slice(from).some((s) => s.state !== 'connected'), { timeoutMs: 10_000, what: 'a not-connected state' });
        await fill(o, o.qty, o.limitPrice!);
      });
      await until(() => c.state().state === 'connected' && l.states.at(-1)?.state === 'connected', { timeoutMs: 15_000, what: 'connected again' });
      const found = await until(async () => (await c.fillsSince(0)).find((f) => f.clientOrderId === o.clientOrderId), { timeoutMs: 15_000, what: 'the missed fill' });
      expect(Number(found.qty)).toBe(Number(o.qty));
    });

    contractCase('a stream sequence gap: the connector reconnects (so the engine reconciles) and the fill it carried is found', a.streamGap, async () => {
      const { o } = await submitResting();
      const from = l.states.length;
      need(rig.streamGapNext, 'streamGapNext')();
      await need(rig.fill, 'fill')(o, o.qty, o.limitPrice!);
      await until(() => l.states.slice(from).some((s) => s.state !== 'connected'), { timeoutMs: 10_000, what: 'a reconnect after the gap' });
      await until(() => c.state().state === 'connected' && l.states.at(-1)?.state === 'connected', { timeoutMs: 15_000, what: 'connected again' });
      expect((await c.fillsSince(0)).filter((f) => f.clientOrderId === o.clientOrderId).map((f) => Number(f.qty))).toEqual([Number(o.qty)]);
    });

    contractCase('429 with Retry-After: the submit is refused (not executed), later calls wait, nothing is resent', a.rateLimit, async () => {
      need(rig.rateLimitNext, 'rateLimitNext')(1);
      const o = contractOrder(c.name, inst, await rig.resting(inst));
      const err = await c.submit(o).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VenueRejectedError);
      const blockedUntil = c.health?.().usage?.blockedUntil;
      expect(blockedUntil).toBeGreaterThan(Date.now());
      const o2 = contractOrder(c.name, inst, await rig.resting(inst));
      await c.submit(o2);
      // The second order waited for Retry-After instead of hitting the venue again at once.
      expect(Date.now()).toBeGreaterThanOrEqual(blockedUntil!);
      expect(await c.lookup(o.clientOrderId)).toBeUndefined();
      expect(await rig.submitsSeen(o.clientOrderId)).toBe(1);
      expect(await rig.submitsSeen(o2.clientOrderId)).toBe(1);
    });

    contractCase('a 5xx burst makes each submit unknown and opens the breaker; the next submit fails fast, unsent', a.serverErrors, async () => {
      need(rig.serverErrorBurst, 'serverErrorBurst')(5);
      for (let i = 0; i < 5; i++) await expect(c.submit(contractOrder(c.name, inst, await rig.resting(inst)))).rejects.toBeInstanceOf(OutcomeUnknownError);
      expect(c.health?.().breaker?.state).toBe('open');
      const o = contractOrder(c.name, inst, await rig.resting(inst));
      await expect(c.submit(o)).rejects.toBeInstanceOf(VenueRejectedError);
      expect(await rig.submitsSeen(o.clientOrderId)).toBe(0);
    });

    contractCase('a run of venue rejections (4xx) never opens the breaker', a.breaker, async () => {
      for (let i = 0; i < 6; i++) {
        const r = await rig.reject(inst);
        await expect(c.submit(contractOrder(c.name, inst, { ...(await rig.resting(inst)), ...r.terms }))).rejects.toBeInstanceOf(VenueRejectedError);
      }
      expect(c.health?.().breaker).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
      await submitResting();
    });
  });
}
