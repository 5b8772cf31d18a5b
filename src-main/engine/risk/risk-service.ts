/**
 * The integrator of the pure risk modules: it owns the persisted risk config and kill switch, the
 * orders-per-minute counter, and gathers the PreTradeContext (position, equity, today's P&L, open
 * orders, quote, session) from the journal, the portfolio cache and the running connectors.
 *
 * Exposure model (what "position" means to a risk check):
 *  - paper / live routes: the venue's own word (the positions cache the venue and the reconciler
 *    keep), because that includes what was traded outside Tradeport;
 *  - shadow route: derived from the journal's shadow fills, since no venue holds them;
 *  - both are added per (venue, instrument).
 * Today's P&L (the daily loss limit): realized = today's fills replayed at average cost from the
 * position held at the start of the UTC day, minus today's fees; unrealized = the open P&L of the
 * current positions at the mid. Counting all open P&L (not only today's move) is the conservative
 * simplification: a position that was losing before today still counts against today's limit.
 */
import { TradeportError } from '../api/errors';
import type { Instrument } from '../domain/instrument';
import { Decimal, toStr, ZERO } from '../domain/money';
import type { Actor, Fill, Position, Quote } from '../domain/order';
import type { NormalizedTicket } from '../domain/order-validation';
import { sessionState } from '../market/sessions';
import type { Clock } from '../ports/clock';
import type { EngineStateRepo } from '../store/kv';
import type { OrdersRepo } from '../store/orders-repo';
import type { PortfolioRepo } from '../store/portfolio-repo';
import type { VenueConnector } from '../venues/venue-port';
import { KillSwitch, RUNNING } from './kill-switch';
import { applyRiskSet, emptyRiskConfig, resolveLimits, riskConfigSchema, type RiskConfig, type RiskSetTarget } from '../domain/risk-limits';
import { OrderRateCounter, rateKey } from './order-rate';
import { fxRate } from './fx';
import { spreadRisk, type SpreadRisk } from './spread-risk';
import { dailyLossBreached, evaluateOrder, type PreTradeContext, type PreTradeResult } from './pre-trade';

export const RISK_CONFIG_KEY = 'risk.config';
export const KILL_SWITCH_KEY = 'risk.killSwitch';

export interface RiskServiceDeps {
  readonly state: EngineStateRepo;
  readonly orders: OrdersRepo;
  readonly portfolio: PortfolioRepo;
  readonly clock: Clock;
  readonly connector: (venue: string) => VenueConnector | undefined;
  /** Every running venue by name: a currency rate one venue lacks may be quoted on another. */
  readonly connectors?: () => Iterable<readonly [string, VenueConnector]>;
  /** Money limits are in this currency (default USD). */
  readonly accountCurrency?: string;
  /** A stored config that fails validation is reported here (the defaults apply instead). */
  readonly onProblem?: (message: string) => void;
  /** The account a venue trades (orders per minute count per account); default: the venue's name. */
  readonly accountKey?: (venue: string) => string;
}

export interface Exposure {
  readonly venue: string;
  readonly instrumentId: string;
  readonly symbol: string;
  /** Signed. */
  readonly qty: Decimal;
  readonly avgPrice: Decimal;
  /** Part of qty that is simulated (shadow). */
  readonly shadowQty: Decimal;
  readonly venueQty: Decimal;
}

export interface EvaluateInput {
  readonly venue: string;
  readonly instrument: Instrument;
  readonly ticket: NormalizedTicket;
  readonly actor: Actor;
  readonly strategyId?: string | undefined;
  readonly flatten?: boolean;
  /**
   * The working order this ticket would replace (a modify): it is not counted as another open
   * order, and its filled part, already in the position, is not counted twice.
   */
  readonly replacing?: { readonly id: string } | undefined;
  /** A spread's quote and worst case, when the caller already combined them (else computed here). */
  readonly spread?: SpreadRisk | undefined;
}

export class RiskService {
  readonly killSwitch: KillSwitch;
  /** Places and modifies per actor/strategy key: a loop that modifies one order endlessly is as runaway as one that places. */
  readonly rate: OrderRateCounter;
  /** The modifies among `rate`'s entries, counted apart only so a refusal can say what was counted. */
  readonly modifies: OrderRateCounter;
  private cfg: RiskConfig;
  readonly accountCurrency: string;

  constructor(private readonly d: RiskServiceDeps) {
    this.accountCurrency = d.accountCurrency ?? 'USD';
    const stored = d.state.get<unknown>(RISK_CONFIG_KEY);
    const parsed = stored === undefined ? undefined : riskConfigSchema.safeParse(stored);
    if (parsed && !parsed.success) d.onProblem?.('Stored risk limits could not be read; the built-in defaults apply until they are set again (tradeport risk set).');
    this.cfg = parsed?.success ? (parsed.data as RiskConfig) : emptyRiskConfig();
    const ks = d.state.get<unknown>(KILL_SWITCH_KEY);
    // Never stored means never tripped. Stored but unreadable restores as HALTED (KillSwitch.parse): fail closed.
    this.killSwitch = ks === undefined ? new KillSwitch({ clock: d.clock, initial: RUNNING }) : KillSwitch.fromJSON(ks, { clock: d.clock });
    this.killSwitch.onChange((c) => d.state.set(KILL_SWITCH_KEY, c.snapshot));
    this.rate = new OrderRateCounter({ clock: d.clock });
    this.modifies = new OrderRateCounter({ clock: d.clock });
  }

  /** A modify about to be sent to the venue: it counts against `max_orders_per_minute` like a place. */
  recordModify(key: string): void {
    this.rate.record(key);
    this.modifies.record(key);
  }

  /**
   * The send-time half of the runaway-loop guard. The preview checked the rate, then awaited the
   * venue; orders the same caller sent meanwhile (a loop firing in parallel) are only visible here,
   * in the same tick as the journal write. Counts the order when it is let through.
   */
  admitToRate(key: string, venue: string, instrumentId: string, kind: 'order' | 'modify'): void {
    const limit = this.limits(venue, instrumentId).maxOrdersPerMinute.value;
    const sent = this.rate.count(key);
    if (limit !== null && new Decimal(sent).plus(1).gt(limit)) {
      throw new TradeportError(
        'risk_violation',
        `${sent} orders were sent ${key.includes('|strategy:') ? `by strategy ${key.split('|strategy:')[1]}` : `on ${key}`} in the last minute while this ${kind === 'modify' ? 'modify' : 'order'} was being checked; your max orders per minute is ${limit.toFixed()}. It was not sent.`,
        { violations: [{ code: 'risk.order_rate', message: 'max orders per minute reached at send time' }] },
      );
    }
    if (kind === 'modify') this.recordModify(key);
    else this.rate.record(key);
  }

  get config(): RiskConfig {
    return this.cfg;
  }

  set(t: RiskSetTarget): RiskConfig {
    const next = applyRiskSet(this.cfg, t);
    // Validate what we are about to persist with the same schema that guards the load.
    riskConfigSchema.parse(next);
    this.d.state.set(RISK_CONFIG_KEY, next);
    this.cfg = next;
    return next;
  }

  limits(venue: string, instrumentId: string) {
    return resolveLimits(this.cfg, venue, instrumentId);
  }

  /** The orders-per-minute key of an order to `venue`: its account, and the strategy when one sends it. */
  rateKeyFor(venue: string, strategyId?: string): string {
    return rateKey(this.d.accountKey?.(venue) ?? venue, strategyId);
  }

  /**
   * Before the checks: a quote that is missing, stale or older than the max quote age is refreshed from
   * the venue when it can give a snapshot, so an order that could execute at once is judged on a
   * price from now. A spread's market is its legs' combined, so every leg's quote is freshened (in
   * parallel), not only the first's. When the venue cannot, pre-trade blocks such an order
   * (risk.stale_quote) and says why.
   */
  async freshenQuote(venue: string, instrumentId: string, legs?: readonly { readonly instrumentId: string }[]): Promise<void> {
    const conn = this.d.connector(venue);
    if (!conn?.snapshotQuote) return;
    const maxAge = this.limits(venue, instrumentId).maxQuoteAgeMs.value;
    const fresh = (id: string): boolean => {
      const q = conn.quote(id);
      return q !== undefined && !q.stale && (maxAge === null || new Decimal(this.d.clock.now() - q.ts).lte(maxAge));
    };
    const ids = [...new Set(legs ? legs.map((l) => l.instrumentId) : [instrumentId])].filter((id) => !fresh(id));
    await Promise.all(ids.map((id) => conn.snapshotQuote!(id).catch(() => undefined)));
  }

  /** A spread's market (from its legs' quotes) and worst case, combined once for the preview and the checks. */
  spread(venue: string, ticket: NormalizedTicket): SpreadRisk | undefined {
    const conn = this.d.connector(venue);
    return ticket.legs && conn ? spreadRisk(conn, ticket) : undefined;
  }

  /** All pre-trade checks for one order. Pure apart from reading state; records nothing. */
  evaluate(i: EvaluateInput): PreTradeResult {
    return evaluateOrder(this.context(i));
  }

  context(i: EvaluateInput): PreTradeContext {
    const now = this.d.clock.now();
    const inst = i.instrument;
    const conn = this.d.connector(i.venue);
    // A spread is judged on its own market (from its legs' quotes) and its worst-case loss.
    const spread = i.spread ?? this.spread(i.venue, i.ticket);
    const q = spread ? spread.quote : conn?.quote(inst.id);
    const exposures = this.exposures();
    const pos = exposures.find((e) => e.venue === i.venue && e.instrumentId === inst.id);
    // Kept as running counts by the repository: the same cost with 10 or 10,000 working orders.
    const w = this.d.orders.workingStats(i.venue, inst.id, i.replacing?.id);
    const replaced = w.excluded;
    const wBuy = w.buy;
    const wSell = w.sell;
    // A modify's new quantity includes what already filled, which the position holds too: the
    // checks see the position without it, so the worst case counts those lots once.
    let posQty = pos?.qty ?? ZERO;
    if (replaced) posQty = replaced.side === 'buy' ? posQty.minus(replaced.filledQty) : posQty.plus(replaced.filledQty);
    const ks = this.killSwitch.snapshot();
    const pnl = this.pnlToday(exposures);
    const fx = this.fxToAccount(i.venue, inst.quote);
    return {
      order: {
        side: i.ticket.side,
        type: i.ticket.type,
        qty: i.ticket.qty,
        limitPrice: i.ticket.limitPrice,
        stopPrice: i.ticket.stopPrice,
        tif: i.ticket.tif,
        ...(i.ticket.notional !== undefined ? { notional: i.ticket.notional } : {}),
        ...(spread?.maxLossPerUnit !== undefined ? { maxLossPerUnit: spread.maxLossPerUnit } : {}),
        instrument: { id: inst.id, venue: i.venue, symbol: inst.symbol, quote: inst.quote, multiplier: inst.multiplier, session: inst.session, tickSize: inst.tickSize },
      },
      limits: this.limits(i.venue, inst.id),
      quote: q ? { bid: q.bid, ask: q.ask, last: q.last, ts: q.ts, ...(q.stale ? { stale: true } : {}) } : null,
      now,
      position: { qty: toStr(posQty), avgPrice: toStr(pos?.avgPrice ?? ZERO) },
      workingQty: { buy: toStr(wBuy), sell: toStr(wSell) },
      account: { equity: toStr(this.equity(exposures)), currency: this.accountCurrency, ...(fx ? { quoteToAccount: toStr(fx) } : {}) },
      openOrders: { total: w.total - (replaced ? 1 : 0), venue: w.venue, instrument: w.instrument },
      ordersLastMinute: this.rate.count(this.rateKeyFor(i.venue, i.strategyId)),
      modifiesLastMinute: this.modifies.count(this.rateKeyFor(i.venue, i.strategyId)),
      actorLabel: i.strategyId ? `strategy ${i.strategyId}` : `anyone on ${i.venue}`,
      pnlToday: { realized: toStr(pnl.realized), unrealized: toStr(pnl.unrealized) },
      halt: ks.state,
      haltReason: ks.reason,
      session: { open: (conn?.sessionState?.(inst, now) ?? sessionState(inst.session, now)).open },
      flatten: i.flatten === true,
    };
  }

  /** For the fill path: has today's loss reached the daily limit that applies to this instrument? */
  dailyLossBreached(venue: string, instrumentId: string): { breached: boolean; realized: Decimal; unrealized: Decimal } {
    const pnl = this.pnlToday(this.exposures());
    return { breached: dailyLossBreached(this.limits(venue, instrumentId), { realized: toStr(pnl.realized), unrealized: toStr(pnl.unrealized) }), ...pnl };
  }

  /** Positions the risk checks see: the venue's word plus shadow fills (see the header). */
  exposures(): Exposure[] {
    const map = new Map<string, { venue: string; instrumentId: string; symbol: string; vq: Decimal; va: Decimal; sq: Decimal; sa: Decimal }>();
    const key = (v: string, i: string) => `${v}\u0000${i}`;
    for (const p of this.d.portfolio.positions()) {
      map.set(key(p.venue, p.instrumentId), { venue: p.venue, instrumentId: p.instrumentId, symbol: p.symbol, vq: new Decimal(p.qty), va: new Decimal(p.avgPrice), sq: ZERO, sa: ZERO });
    }
    const shadow = new Map<string, { venue: string; instrumentId: string; symbol: string; fills: Fill[] }>();
    for (const f of this.d.orders.shadowFills()) {
      const k = key(f.venue, f.instrumentId);
      const e = shadow.get(k) ?? { venue: f.venue, instrumentId: f.instrumentId, symbol: f.symbol, fills: [] };
      e.fills.push(f);
      shadow.set(k, e);
    }
    for (const [k, s] of shadow) {
      const mult = new Decimal(this.d.connector(s.venue)?.instrument(s.instrumentId)?.multiplier ?? '1');
      const r = replay(ZERO, ZERO, s.fills, mult);
      const cur = map.get(k) ?? { venue: s.venue, instrumentId: s.instrumentId, symbol: s.symbol, vq: ZERO, va: ZERO, sq: ZERO, sa: ZERO };
      map.set(k, { ...cur, sq: r.qty, sa: r.avg });
    }
    const out: Exposure[] = [];
    for (const e of map.values()) {
      const qty = e.vq.plus(e.sq);
      let avg = ZERO;
      if (!qty.isZero()) {
        // Same-sign parts average by size; mixed signs (shadow short vs real long) fall back to the bigger part's price.
        if (e.vq.isZero() || e.sq.isZero() || e.vq.isNeg() === e.sq.isNeg()) avg = e.vq.mul(e.va).plus(e.sq.mul(e.sa)).div(qty);
        else avg = e.vq.abs().gte(e.sq.abs()) ? e.va : e.sa;
      }
      out.push({ venue: e.venue, instrumentId: e.instrumentId, symbol: e.symbol, qty, avgPrice: avg, shadowQty: e.sq, venueQty: e.vq });
    }
    return out;
  }

  /** Start of the risk day: 00:00 UTC. One fixed boundary for every venue keeps the limit predictable. */
  dayStart(now = this.d.clock.now()): number {
    return now - (now % 86_400_000);
  }

  pnlToday(exposures: readonly Exposure[] = this.exposures()): { realized: Decimal; unrealized: Decimal } {
    const fills = this.d.orders.fillsWithRouteSince(this.dayStart());
    const byKey = new Map<string, Fill[]>();
    for (const f of fills) {
      const k = `${f.venue}\u0000${f.instrumentId}`;
      const list = byKey.get(k) ?? [];
      list.push(f);
      byKey.set(k, list);
    }
    const expByKey = new Map(exposures.map((e) => [`${e.venue}\u0000${e.instrumentId}`, e]));
    let realized = ZERO;
    for (const [k, list] of byKey) {
      const first = list[0]!;
      const inst = this.d.connector(first.venue)?.instrument(first.instrumentId);
      const mult = new Decimal(inst?.multiplier ?? '1');
      const fx = inst ? this.fxToAccount(first.venue, inst.quote) : new Decimal(1);
      if (!fx) continue;
      const exp = expByKey.get(k);
      const net = list.reduce((a, f) => a.plus(f.side === 'buy' ? f.qty : new Decimal(f.qty).neg()), ZERO);
      const openQty = (exp?.qty ?? ZERO).minus(net);
      const openAvg = exp && !exp.avgPrice.isZero() ? exp.avgPrice : new Decimal(first.price);
      const r = replay(openQty, openQty.isZero() ? ZERO : openAvg, list, mult);
      const fees = list.reduce((a, f) => (inst && f.feeCurrency.toUpperCase() === inst.quote.toUpperCase() ? a.plus(f.fee) : a), ZERO);
      realized = realized.plus(r.realized.minus(fees).mul(fx));
    }
    let unrealized = ZERO;
    for (const e of exposures) {
      if (e.qty.isZero()) continue;
      const conn = this.d.connector(e.venue);
      const inst = conn?.instrument(e.instrumentId);
      const mark = markOf(conn?.quote(e.instrumentId));
      const fx = inst ? this.fxToAccount(e.venue, inst.quote) : undefined;
      if (!inst || !mark || !fx) continue;
      unrealized = unrealized.plus(mark.minus(e.avgPrice).mul(e.qty).mul(inst.multiplier).mul(fx));
    }
    return { realized, unrealized };
  }

  /**
   * Equity for the concentration limit: account-currency cash the venues report, plus the value of
   * their positions (futures count only their open P&L), plus the open P&L of shadow positions
   * (shadow trades move no real cash, so only their gain or loss is the trader's).
   */
  equity(exposures: readonly Exposure[] = this.exposures()): Decimal {
    let eq = ZERO;
    for (const b of this.d.portfolio.balances()) if (b.asset.toUpperCase() === this.accountCurrency) eq = eq.plus(b.total);
    for (const e of exposures) {
      const conn = this.d.connector(e.venue);
      const inst = conn?.instrument(e.instrumentId);
      const mark = markOf(conn?.quote(e.instrumentId)) ?? (e.avgPrice.isZero() ? undefined : e.avgPrice);
      const fx = inst ? this.fxToAccount(e.venue, inst.quote) : undefined;
      if (!inst || !mark || !fx) continue;
      const mult = new Decimal(inst.multiplier);
      const venueValue = inst.assetClass === 'future' || inst.assetClass === 'perpetual' ? mark.minus(e.avgPrice).mul(e.venueQty) : mark.mul(e.venueQty);
      eq = eq.plus(venueValue.mul(mult).mul(fx));
      eq = eq.plus(mark.minus(e.avgPrice).mul(e.shadowQty).mul(mult).mul(fx));
    }
    return eq;
  }

  /** Account-currency value of one unit of `quote`, from a `QUOTE/ACCT` pair on the same venue; undefined when unknown. */
  /** The quote-to-account rate (risk/fx.ts): the venue's own pair, another venue's, or a stablecoin's peg. */
  fxToAccount(venue: string, quote: string): Decimal | undefined {
    if (quote.toUpperCase() === this.accountCurrency.toUpperCase()) return new Decimal(1);
    const own = this.d.connector(venue);
    const others = [...(this.d.connectors?.() ?? [])].filter(([name]) => name !== venue);
    return fxRate(quote, this.accountCurrency, [...(own ? [[venue, own] as const] : []), ...others])?.rate;
  }
}

function markOf(q: Quote | undefined): Decimal | undefined {
  if (!q) return undefined;
  if (q.bid && q.ask) return new Decimal(q.bid).plus(q.ask).div(2);
  if (q.last) return new Decimal(q.last);
  return undefined;
}

/** Average-cost replay of fills from an opening position: the realized P&L and what is left. */
function replay(qty0: Decimal, avg0: Decimal, fills: readonly Fill[], mult: Decimal): { qty: Decimal; avg: Decimal; realized: Decimal } {
  let qty = qty0;
  let avg = avg0;
  let realized = ZERO;
  for (const f of fills) {
    const px = new Decimal(f.price);
    const signed = f.side === 'buy' ? new Decimal(f.qty) : new Decimal(f.qty).neg();
    if (qty.isZero() || qty.isNeg() === signed.isNeg()) {
      const next = qty.plus(signed);
      avg = qty.abs().mul(avg).plus(signed.abs().mul(px)).div(next.abs());
      qty = next;
      continue;
    }
    const closing = Decimal.min(signed.abs(), qty.abs());
    realized = realized.plus(
      px
        .minus(avg)
        .mul(closing)
        .mul(qty.isNeg() ? -1 : 1)
        .mul(mult),
    );
    const next = qty.plus(signed);
    if (next.isZero()) avg = ZERO;
    else if (next.isNeg() !== qty.isNeg()) avg = px;
    qty = next;
  }
  return { qty, avg, realized };
}

export type { Position };
