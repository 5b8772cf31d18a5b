/**
 * `strategy simulate`: the strategy runs in a sandbox engine — a fresh engine of its own with a
 * manual clock and the Paper venue — so the plan is driven by the same runner, through the same
 * `order.place`, risk checks and matching as when it runs for real; nothing reaches the trader's
 * engine. Simulated time moves a tick at a time (a day in seconds), the runner's timers firing on
 * the way, and the Paper venue's price source walks (seeded) from the instrument's current price,
 * or follows a given path. It reports the orders and fills, fees, realized and unrealized P&L at
 * the end (quote currency, at average cost) and the largest drawdown of the P&L over the window.
 */
import type { EngineApi } from '../api/engine-api';
import type { StrategyStepView } from '../api/commands';
import type { EngineEvent } from '../api/events';
import { TradeportError } from '../api/errors';
import type { SimulatedFill, SimulatedOrder, SimulationResult } from '../api/strategy-simulation';
import type { Instrument } from '../domain/instrument';
import type { RiskConfig } from '../domain/risk-limits';
import { Decimal, toStr } from '../domain/money';
import type { Fill, Order } from '../domain/order';
import { strategyPnl } from './strategy-pnl';

/** A sandbox engine: what a simulation needs of it. */
export interface StrategySandbox {
  readonly call: EngineApi['callRaw'];
  subscribe(fn: (e: EngineEvent) => void): () => void;
  now(): number;
  /** Moves the manual clock to `ms` (the runner's timers due on the way fire) and lets the work it started finish. */
  advanceTo(ms: number): Promise<void>;
  /** The Paper venue's instrument for a symbol (the sandbox trades on Paper). */
  instrument(symbol: string): Instrument | undefined;
  /** Moves the Paper mid of an instrument to a price, then matches and quotes it as a tick does. */
  setPrice(instrumentId: string, price: Decimal): void;
  /** A tick of the Paper price source at the clock's time: every price walks, working orders match, quotes go out. */
  tick(): void;
  /** Resolves once the sandbox's background work (the runner's sends and wakes) has finished. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** What the live run would be checked against, for the sandbox to check the same (strategy-sandbox.ts). */
export interface LiveGuards {
  readonly venue: string;
  readonly symbol: string;
  /** The instrument on the live venue (instrument-scoped limits are keyed by it). */
  readonly instrumentId: string;
  /** The trader's risk limits as configured. */
  readonly risk: RiskConfig;
  /** The live venue's buying power now; null when it reports none. */
  readonly buyingPower: string | null;
}

/** The sandbox's clock starts at `from`; its prices move once every `tickMs`; it checks orders as the live run would (`live`). */
export type SandboxFactory = (o: { readonly from: number; readonly seed: number; readonly tickMs: number; readonly live?: LiveGuards }) => Promise<StrategySandbox>;

/** The simulation's quote cadence: a simulated day in a few seconds. */
export const SIM_TICK_MS = 60_000;

export interface SimulationRun {
  readonly kind: string;
  readonly params: Record<string, unknown>;
  readonly symbol: string;
  readonly from: number;
  readonly hours: number;
  readonly seed: number;
  /** Where the price starts (the instrument's current price); absent = Paper's own. */
  readonly startPrice?: Decimal;
  /** A scripted price path (tests, replays): the mid at each tick; absent = Paper's seeded walk. */
  readonly priceAt?: (ts: number) => Decimal;
  /** Quote cadence in simulated time: the sandbox's (SIM_TICK_MS). */
  readonly tickMs: number;
}

/** A seed string as the Paper price source's integer seed (FNV-1a). */
export function seedOf(s: string): number {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h;
}

async function must<T>(sb: StrategySandbox, command: string, input: unknown): Promise<T> {
  const r = await sb.call(command, input);
  if (!r.ok) throw new TradeportError(r.error.code, r.error.message);
  return r.value as T;
}

export async function runSimulation(sb: StrategySandbox, x: SimulationRun): Promise<SimulationResult> {
  const inst = sb.instrument(x.symbol);
  if (!inst) throw new TradeportError('unknown_instrument', `Simulations run on the Paper venue's price model, which lists no "${x.symbol}".`);
  const tickMs = x.tickMs;
  const to = x.from + Math.round(x.hours * 3_600_000);
  const mark = () => {
    const q = sb.call('quote.get', { venue: 'paper', symbol: inst.symbol });
    return q
      .then((r) => (r.ok ? (r.value as { bid?: string; ask?: string; last?: string }) : undefined))
      .then((t) => (t?.bid && t.ask ? new Decimal(t.bid).plus(t.ask).div(2) : t?.last ? new Decimal(t.last) : undefined));
  };
  const first = x.priceAt?.(x.from) ?? x.startPrice;
  if (first) sb.setPrice(inst.id, first);
  const startPrice = await mark();

  const fills: SimulatedFill[] = [];
  let prefix = '';
  const stepOf = (clientOrderId: string) => parseInt(clientOrderId.slice(prefix.length), 36);
  const off = sb.subscribe((e) => {
    if (prefix && e.type === 'fill' && e.fill.clientOrderId.startsWith(prefix)) fills.push(simulatedFill(e.fill, stepOf(e.fill.clientOrderId)));
  });
  try {
    const added = await must<{ id: string }>(sb, 'strategy.add', { kind: x.kind, venue: 'paper', symbol: inst.symbol, params: x.params });
    prefix = `${added.id}-`;
    await sb.idle();
    let peak = new Decimal(0);
    let maxDrawdown = new Decimal(0);
    const sample = async () => {
      const p = strategyPnl(fills, await mark());
      const pnl = p.realized.plus(p.unrealized ?? 0);
      if (pnl.gt(peak)) peak = pnl;
      if (peak.minus(pnl).gt(maxDrawdown)) maxDrawdown = peak.minus(pnl);
    };
    await sample();
    for (let t = x.from + tickMs; t <= to; t += tickMs) {
      await sb.advanceTo(t);
      if (x.priceAt) sb.setPrice(inst.id, x.priceAt(t));
      else sb.tick();
      await sb.idle();
      await sample();
    }
    const shown = await must<{ state: string; reason: string | null; steps: StrategyStepView[] }>(sb, 'strategy.show', {
      id: added.id,
    });
    const tags = new Map(shown.steps.map((s) => [s.clientOrderId, s.tag]));
    // The journal's orders are the ones placed (with the first steps', placed before the id was known here).
    const orders = (await must<Order[]>(sb, 'orders.list', { all: true }))
      .filter((o) => o.clientOrderId.startsWith(prefix))
      .map((o) => simulatedOrder(o, stepOf(o.clientOrderId), tags.get(o.clientOrderId) ?? ''))
      .sort((a, b) => a.step - b.step);
    const end = await mark();
    const p = strategyPnl(fills, end);
    return {
      from: x.from,
      to,
      currency: inst.quote,
      startPrice: startPrice ? toStr(startPrice) : '',
      endPrice: end ? toStr(end) : '',
      orders,
      fills: fills.map((f) => ({ ...f, tag: tags.get(`${prefix}${f.step.toString(36).toUpperCase()}`) ?? '' })),
      bought: toStr(p.bought),
      sold: toStr(p.sold),
      spent: toStr(p.spent),
      received: toStr(p.received),
      fees: toStr(p.fees),
      held: toStr(p.held),
      avgCost: toStr(p.avgCost.toDecimalPlaces(8)),
      realizedPnl: toStr(p.realized.toDecimalPlaces(8)),
      unrealizedPnl: toStr((p.unrealized ?? new Decimal(0)).toDecimalPlaces(8)),
      pnl: toStr(p.realized.plus(p.unrealized ?? 0).toDecimalPlaces(8)),
      maxDrawdown: toStr(maxDrawdown.toDecimalPlaces(8)),
      steps: shown.steps.length,
      refused: shown.steps
        .filter((s) => s.status === 'refused')
        .map((s) => ({ ts: s.ts, step: s.step, tag: s.tag, side: s.side, qty: s.qty, ...(s.notional ? { notional: s.notional } : {}), price: s.price, reason: s.error ?? '' })),
      done: shown.state === 'done' ? shown.reason : null,
    };
  } finally {
    off();
  }
}

function simulatedOrder(o: Order, step: number, tag: string): SimulatedOrder {
  const notional = o.notional;
  return {
    ts: o.createdAt,
    step,
    tag,
    side: o.side,
    type: o.type as SimulatedOrder['type'],
    qty: o.qty,
    ...(notional ? { notional } : {}),
    // A market order's is where it filled.
    price: o.limitPrice ?? o.stopPrice ?? o.avgFillPrice,
    status: o.status,
  };
}

function simulatedFill(f: Fill, step: number): SimulatedFill {
  return { ts: f.ts, step, tag: '', side: f.side, qty: f.qty, price: f.price, fee: f.fee };
}
