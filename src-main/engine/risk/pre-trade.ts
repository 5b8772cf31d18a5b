/**
 * Pre-trade risk: every check on one order, all violations at once (a trader fixing one problem
 * should not discover the next only on the following click), plus non-blocking warnings.
 *
 * Pure and venue-independent: the engine gathers the context (position, quote, equity, counts,
 * kill switch state, session) and this module only judges it. Money math is Decimal throughout.
 *
 * Conventions the engine must follow when building the context:
 *  - money limits and `account.*` / `pnlToday.*` are in the account currency; `quoteToAccount`
 *    converts the instrument's quote currency (required when the two differ);
 *  - `ordersLastMinute` and `openOrders` do not include the order being checked;
 *  - `workingQty` is the unfilled quantity of this instrument's working orders, so a burst of
 *    orders cannot each pass the position limit on its own.
 */
import type { PreviewIssue } from '../api/commands';
import type { SessionKind } from '../domain/instrument';
import { Decimal, parseDecimal, ZERO, type DecimalString } from '../domain/money';
import type { OrderType, Side, TimeInForce } from '../domain/order';
import type { HaltState } from '../domain/kill-switch-state';
import { describeScope, LIMIT_LABELS, type EffectiveLimit, type EffectiveLimits, type LimitField } from '../domain/risk-limits';

export interface PreTradeInstrument {
  readonly id: string;
  readonly venue: string;
  readonly symbol: string;
  /** Quote / settlement currency of prices. */
  readonly quote: string;
  readonly multiplier: DecimalString;
  readonly session: SessionKind;
  /** Price increment: the collar's allowed band is shown on it (a bound a trader cannot type is no help). */
  readonly tickSize?: DecimalString | undefined;
}

export interface PreTradeOrder {
  readonly side: Side;
  readonly type: OrderType;
  readonly qty: DecimalString;
  readonly limitPrice?: DecimalString | undefined;
  readonly stopPrice?: DecimalString | undefined;
  /** `opg` orders are meant for the next open: the closed-session rule does not apply to them. */
  readonly tif?: TimeInForce | undefined;
  /** A money-sized order (qty "0"): the limits check this amount directly, and the position arithmetic its quantity at the estimated price. */
  readonly notional?: DecimalString | undefined;
  /**
   * A multi-leg order (a vertical): the most one unit can lose, in price units (domain/order-legs
   * verticalMaxLoss). The notional limits judge qty × this × multiplier instead of the net price,
   * which for a credit spread is far below what is at risk.
   */
  readonly maxLossPerUnit?: DecimalString | undefined;
  readonly instrument: PreTradeInstrument;
}

export interface PreTradeQuote {
  readonly bid?: DecimalString | undefined;
  readonly ask?: DecimalString | undefined;
  readonly last?: DecimalString | undefined;
  /** When the quote was received (UTC ms). */
  readonly ts: number;
  /** The venue's feed for it is down: stale whatever its age. */
  readonly stale?: boolean | undefined;
}

export interface PreTradeContext {
  readonly order: PreTradeOrder;
  /** `resolveLimits(config, venue, instrumentId)`. */
  readonly limits: EffectiveLimits;
  readonly quote: PreTradeQuote | null;
  readonly now: number;
  /** Signed: negative is short. */
  readonly position: { readonly qty: DecimalString; readonly avgPrice: DecimalString };
  readonly workingQty?: { readonly buy: DecimalString; readonly sell: DecimalString } | undefined;
  readonly account: {
    readonly equity: DecimalString;
    readonly currency: string;
    /** Account-currency value of one unit of the instrument's quote currency. */
    readonly quoteToAccount?: DecimalString | undefined;
  };
  /** Working orders at each scope, so a per-venue or per-instrument max_open_orders counts the right ones. */
  readonly openOrders: { readonly total: number; readonly venue: number; readonly instrument: number };
  /** Orders placed and modifies sent by the same actor/strategy in the last 60 s (OrderRateCounter.count). */
  readonly ordersLastMinute: number;
  /** How many of `ordersLastMinute` were modifies (only for the wording of the refusal). */
  readonly modifiesLastMinute?: number | undefined;
  /** Who is placing it, for the rate message ("strategy dca-1"). */
  readonly actorLabel?: string | undefined;
  /** Today's P&L in account currency; negative is a loss. */
  readonly pnlToday: { readonly realized: DecimalString; readonly unrealized: DecimalString };
  readonly halt: HaltState;
  readonly haltReason?: string | null | undefined;
  readonly session: {
    /** Regular session open now. */
    readonly open: boolean;
    /** Overrides the default per session kind (see OUT_OF_SESSION_TYPES). */
    readonly allowedTypesWhenClosed?: readonly OrderType[] | undefined;
  };
  /** An order the kill switch's flatten sweep makes: allowed through a halt when it reduces. */
  readonly flatten?: boolean | undefined;
}

export interface PreTradeResult {
  readonly allowed: boolean;
  readonly violations: PreviewIssue[];
  readonly warnings: PreviewIssue[];
  /** The order only shrinks the existing position (working orders on the same side included). */
  readonly reduces: boolean;
  /** Price the checks used, quote currency; null when none was available. */
  readonly estPrice: DecimalString | null;
  /** Order notional in account currency; null when it could not be computed. */
  readonly estNotional: DecimalString | null;
  /** Set when today's loss has reached the daily limit: the engine trips the kill switch. */
  readonly tripKillSwitch: { readonly reason: string } | null;
}

/**
 * Order types allowed while the regular session is closed. Market and stop orders would fill at
 * the next open at a price nobody has seen (Alpaca and IB queue them); limits keep a price cap.
 */
export const OUT_OF_SESSION_TYPES: Readonly<Record<SessionKind, readonly OrderType[]>> = {
  us_equity: ['limit', 'stop_limit'],
  cme_equity_futures: ['limit', 'stop_limit'],
  forex: ['limit', 'stop_limit'],
  always: ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'],
};

/** A check at or above this share of its limit adds a "near the limit" warning. */
export const NEAR_LIMIT_RATIO = new Decimal('0.9');
/** A limit this far through the touch is almost always a typo or a panic; warn. */
export const THROUGH_MARKET_WARN_PCT = new Decimal('1');

const HUNDRED = new Decimal(100);
const SETTINGS_HINT = 'raise the limit (tradeport risk set)';

// ── formatting ──────────────────────────────────────────────────────────────────────────────────

function group(s: string): string {
  const neg = s.startsWith('-');
  const body = neg ? s.slice(1) : s;
  const [int, frac] = body.split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (neg ? '-' : '') + (frac !== undefined ? `${grouped}.${frac}` : grouped);
}

/** 2 decimals, or up to 8 significant places below 1 so 0.0543 BTC is not shown as 0.05. */
export function fmtMoney(d: Decimal, currency: string): string {
  const abs = d.abs();
  let s: string;
  if (abs.isZero() || abs.gte(1)) s = d.toFixed(2);
  else {
    s = d.toDecimalPlaces(8, Decimal.ROUND_HALF_EVEN).toFixed();
    const frac = s.split('.')[1] ?? '';
    if (frac.length < 2) s = d.toFixed(2);
  }
  return `${group(s)} ${currency}`;
}

export function fmtQty(d: Decimal): string {
  return group(d.toFixed());
}

function fmtPrice(d: Decimal): string {
  return group(d.toDecimalPlaces(10, Decimal.ROUND_HALF_EVEN).toFixed());
}

function fmtPct(d: Decimal): string {
  return `${d.toFixed(2)} %`;
}

function fmtSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function typeName(t: OrderType): string {
  return t === 'stop_limit' ? 'stop-limit' : t === 'trailing_stop' ? 'trailing stop' : t;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// ── the checks ──────────────────────────────────────────────────────────────────────────────────

function positive(v: string | undefined): Decimal | null {
  const d = parseDecimal(v);
  return d && d.gt(0) ? d : null;
}

export function evaluateOrder(ctx: PreTradeContext): PreTradeResult {
  const violations: PreviewIssue[] = [];
  const warnings: PreviewIssue[] = [];
  const block = (code: string, message: string): void => void violations.push({ code, message });
  const warn = (code: string, message: string): void => void warnings.push({ code, message });

  const { order, limits } = ctx;
  const inst = order.instrument;
  const acct = ctx.account.currency;
  const scopeOf = (l: EffectiveLimit): string => describeScope(l.scope, inst.symbol);
  const nearCode = (code: string): string => code.replace(/^risk\./, 'risk.near_');

  const mult = positive(inst.multiplier);
  const amount = order.notional !== undefined ? positive(order.notional) : null;
  if (order.notional !== undefined && !amount) {
    block('risk.invalid_order', `The order amount (${order.notional}) is not a positive number; the order cannot be checked.`);
    return { allowed: false, violations, warnings, reduces: false, estPrice: null, estNotional: null, tripKillSwitch: null };
  }
  // A notional order's quantity is what the amount buys at the market now (its limits use the amount itself).
  const amountPx = amount ? ((order.side === 'buy' ? positive(ctx.quote?.ask) : positive(ctx.quote?.bid)) ?? positive(ctx.quote?.last)) : null;
  if (amount && (!amountPx || !mult)) {
    block('risk.no_price', `There is no quote for ${inst.symbol}, so an order for an amount (${order.notional}) cannot be sized and checked. Wait for a quote, or enter a quantity.`);
    return { allowed: false, violations, warnings, reduces: false, estPrice: null, estNotional: null, tripKillSwitch: null };
  }
  const qty = amount ? amount.div(amountPx!.mul(mult!)) : parseDecimal(order.qty);
  if (!qty || !qty.gt(0) || !mult) {
    block('risk.invalid_order', `The order quantity (${order.qty}) or the contract multiplier of ${inst.symbol} is not a positive number; the order cannot be checked.`);
    return { allowed: false, violations, warnings, reduces: false, estPrice: null, estNotional: null, tripKillSwitch: null };
  }

  // ── position arithmetic ──
  const pos = parseDecimal(ctx.position.qty) ?? ZERO;
  const workingBuy = parseDecimal(ctx.workingQty?.buy)?.abs() ?? ZERO;
  const workingSell = parseDecimal(ctx.workingQty?.sell)?.abs() ?? ZERO;
  const buy = order.side === 'buy';
  // Worst case on this side: every working order on the same side fills too.
  const before = buy ? pos.plus(workingBuy) : pos.minus(workingSell);
  const after = buy ? before.plus(qty) : before.minus(qty);
  const increases = after.abs().gt(before.abs());
  const reduces = !pos.isZero() && (pos.gt(0) ? !buy && after.gte(0) : buy && after.lte(0));

  // ── reference prices ──
  const q = ctx.quote;
  const bid = positive(q?.bid);
  const ask = positive(q?.ask);
  const last = positive(q?.last);
  const mid = bid && ask ? bid.plus(ask).div(2) : (last ?? bid ?? ask);
  const quoteAgeMs = q ? Math.max(0, ctx.now - q.ts) : null;
  const maxAge = limits.maxQuoteAgeMs;
  const stale = q?.stale === true || (quoteAgeMs !== null && maxAge.value !== null && new Decimal(quoteAgeMs).gt(maxAge.value));

  const limitPx = positive(order.limitPrice);
  const stopPx = positive(order.stopPrice);
  let estPrice: Decimal | null;
  switch (order.type) {
    case 'market':
      estPrice = (buy ? ask : bid) ?? last ?? mid;
      break;
    case 'limit':
    case 'stop_limit':
      estPrice = limitPx;
      break;
    case 'stop':
      estPrice = stopPx;
      break;
    case 'trailing_stop':
      // It becomes a market order when it triggers, near where the market is now.
      estPrice = (buy ? ask : bid) ?? last ?? mid;
      break;
  }
  const avgPx = positive(ctx.position.avgPrice);
  // Value the position at the market when we can: that is what concentration means.
  const valuePrice = mid ?? estPrice ?? avgPx;

  const sameCcy = inst.quote.toUpperCase() === acct.toUpperCase();
  const fx = sameCcy ? new Decimal(1) : positive(ctx.account.quoteToAccount);
  const notional = (n: Decimal, px: Decimal | null): Decimal | null => (px && fx ? n.abs().mul(px).mul(mult).mul(fx) : null);
  const maxLoss = positive(order.maxLossPerUnit);
  const orderNotional = amount ? (fx ? amount.mul(fx) : null) : notional(qty, maxLoss ?? estPrice);
  const posNotional = notional(after, valuePrice);

  const moneyLimitsActive = limits.maxOrderNotional.value !== null || (increases && (limits.maxPositionNotional.value !== null || limits.maxConcentrationPct.value !== null));
  if (!fx && moneyLimitsActive) {
    block(
      'risk.no_fx_rate',
      `No ${inst.quote}→${acct} rate is available, so the notional limits cannot be checked for ${inst.symbol}. Wait for a ${inst.quote}/${acct} quote, or switch those limits off for this instrument.`,
    );
  }

  const desc = `${order.side} of ${fmtQty(qty)} ${inst.symbol}`;
  const posWords = (p: Decimal): string => (p.isZero() ? 'flat' : `${p.gt(0) ? 'long' : 'short'} ${fmtQty(p.abs())}`);

  // ── kill switch ──
  if (ctx.halt === 'halted' && !(ctx.flatten === true && reduces)) {
    block(
      'risk.halted',
      `Trading is halted by the kill switch${ctx.haltReason ? ` (${ctx.haltReason})` : ''}. No new orders are accepted until it is reset ("tradeport kill-switch reset --confirm").`,
    );
  } else if (ctx.halt === 'reducing' && !reduces) {
    block(
      'risk.reducing_only',
      `The kill switch allows only orders that reduce a position${ctx.haltReason ? ` (${ctx.haltReason})` : ''}. This ${desc} would take you from ${posWords(pos)} to ${posWords(after)}. Send an order that only closes part or all of the position, or reset the kill switch.`,
    );
  }

  // ── daily loss ──
  let tripKillSwitch: { reason: string } | null = null;
  const dl = limits.dailyLossLimit;
  if (dl.value !== null) {
    const realized = parseDecimal(ctx.pnlToday.realized) ?? ZERO;
    const unrealized = parseDecimal(ctx.pnlToday.unrealized) ?? ZERO;
    const pnl = realized.plus(unrealized);
    const loss = pnl.lt(0) ? pnl.neg() : ZERO;
    const breakdown = `realized ${fmtMoney(realized, acct)}, unrealized ${fmtMoney(unrealized, acct)}`;
    if (loss.gt(0) && loss.gte(dl.value)) {
      const what = `Today's loss of ${fmtMoney(loss, acct)} (${breakdown}) has reached your daily loss limit of ${fmtMoney(dl.value, acct)} (${scopeOf(dl)})`;
      tripKillSwitch = { reason: `${what}.` };
      if (!reduces) block('risk.daily_loss', `${what}. Only orders that reduce a position are accepted until the kill switch is reset.`);
    } else if (loss.gt(0) && loss.gte(dl.value.mul(NEAR_LIMIT_RATIO))) {
      warn(
        nearCode('risk.daily_loss'),
        `Today's loss of ${fmtMoney(loss, acct)} (${breakdown}) is within 10 % of your daily loss limit of ${fmtMoney(dl.value, acct)} (${scopeOf(dl)}); reaching it halts new orders.`,
      );
    }
  }

  // ── session ──
  if (!ctx.session.open && order.tif !== 'opg') {
    const allowed = ctx.session.allowedTypesWhenClosed ?? OUT_OF_SESSION_TYPES[inst.session];
    if (!allowed.includes(order.type)) {
      const alt = order.type === 'stop' ? 'a stop-limit order' : 'a limit order';
      const hours = inst.session === 'us_equity' ? 'outside regular US equity hours (9:30–16:00 ET)' : 'while its market is closed';
      block(
        'risk.session',
        `${cap(typeName(order.type))} orders for ${inst.symbol} are refused ${hours}: they would fill at the next open at a price you have not seen. Use ${alt}, or wait for the session to open.`,
      );
    }
  }

  // ── size limits ──
  const over = (field: LimitField, code: string, value: Decimal, show: (d: Decimal) => string, subject: string, fix: string): void => {
    const l = limits[field];
    if (l.value === null) return;
    if (value.gt(l.value)) {
      block(code, `${subject} ${show(value)} exceeds your ${LIMIT_LABELS[field]} of ${show(l.value)} (${scopeOf(l)}). ${fix}`);
    } else if (l.value.gt(0) && value.gte(l.value.mul(NEAR_LIMIT_RATIO))) {
      warn(nearCode(code), `${subject} ${show(value)} is within 10 % of your ${LIMIT_LABELS[field]} of ${show(l.value)} (${scopeOf(l)}).`);
    }
  };
  const money = (d: Decimal): string => fmtMoney(d, acct);

  over('maxOrderQty', 'risk.max_order_qty', qty, fmtQty, 'Order quantity', `Reduce the quantity or ${SETTINGS_HINT}.`);
  if (orderNotional) {
    over('maxOrderNotional', 'risk.max_order_notional', orderNotional, money, 'Order notional', `Reduce the quantity or ${SETTINGS_HINT}.`);
  }
  // A position that only shrinks is never refused for its size: the limit may have been lowered after it was opened.
  if (increases) {
    const posSubject = `The resulting ${after.gt(0) ? 'long' : 'short'} position in ${inst.symbol}`;
    over('maxPositionQty', 'risk.max_position_qty', after.abs(), fmtQty, posSubject, `Reduce the quantity or ${SETTINGS_HINT}.`);
    if (posNotional) {
      over('maxPositionNotional', 'risk.max_position_notional', posNotional, money, `${posSubject}, valued at`, `Reduce the quantity or ${SETTINGS_HINT}.`);
    }
    const conc = limits.maxConcentrationPct;
    if (conc.value !== null && posNotional) {
      const equity = parseDecimal(ctx.account.equity) ?? ZERO;
      if (equity.lte(0)) {
        block(
          'risk.concentration',
          `Account equity is ${money(equity)}, so any new position in ${inst.symbol} exceeds your max concentration of ${fmtPct(conc.value)} of equity (${scopeOf(conc)}). Deposit funds or ${SETTINGS_HINT}.`,
        );
      } else {
        const pct = posNotional.div(equity).mul(HUNDRED);
        const subject = `${inst.symbol} would be ${fmtPct(pct)} of your equity (${money(posNotional)} of ${money(equity)}), which`;
        if (pct.gt(conc.value)) {
          block('risk.concentration', `${subject} exceeds your max concentration of ${fmtPct(conc.value)} (${scopeOf(conc)}). Reduce the quantity or ${SETTINGS_HINT}.`);
        } else if (pct.gte(conc.value.mul(NEAR_LIMIT_RATIO))) {
          warn('risk.near_concentration', `${subject} is within 10 % of your max concentration of ${fmtPct(conc.value)} (${scopeOf(conc)}).`);
        }
      }
    }
  }

  // ── quotes and the price collar ──
  const ageText = quoteAgeMs !== null ? fmtSeconds(quoteAgeMs) : '';
  const maxAgeText = maxAge.value !== null ? `${fmtSeconds(maxAge.value.toNumber())}, ${scopeOf(maxAge)}` : '';
  const staleWhy = q?.stale === true ? `from a market-data feed that is down (last update ${ageText} ago)` : `${ageText} old (max quote age ${maxAgeText})`;
  if (order.type === 'market') {
    const usable = (buy ? ask : bid) ?? last ?? mid;
    if (!q || !usable) {
      block('risk.no_quote', `There is no quote for ${inst.symbol} on ${inst.venue}, so a market order's price is unknown. Wait for a quote, or use a limit order.`);
    } else if (stale) {
      block('risk.stale_quote', `The last quote for ${inst.symbol} is ${staleWhy}. A market order needs a fresh quote: check the market data connection, or use a limit order.`);
    }
  }

  const collar = limits.priceCollarPct;
  const tick = positive(inst.tickSize);
  if (limitPx && (order.type === 'limit' || order.type === 'stop_limit')) {
    // A stop-limit becomes a limit only once the market reaches the stop, so the stop is its reference.
    const isStopLimit = order.type === 'stop_limit';
    const ref = isStopLimit ? stopPx : mid;
    const refName = isStopLimit ? 'stop price' : 'mid price';
    const quoteUsable = isStopLimit || (q !== null && mid !== null && !stale);
    if (collar.value !== null && !quoteUsable && !(q && mid && stale)) {
      warn('risk.no_quote', `There is no quote for ${inst.symbol}, so the price collar could not check your limit price of ${fmtPrice(limitPx)}.`);
    }
    let collarHit = false;
    if (collar.value !== null && quoteUsable && ref) {
      const dev = limitPx.minus(ref).abs().div(ref).mul(HUNDRED);
      if (dev.gt(collar.value)) {
        collarHit = true;
        const { lo, hi } = collarBand(ref, collar.value, tick);
        const above = limitPx.gt(ref);
        // Buying above the market or selling below it pays up at once: that is the fat finger the
        // collar stops. A bid below the market or an offer above it only rests: a warning.
        const aggressive = buy === above;
        const where = `${fmtPct(dev)} ${above ? 'above' : 'below'} the ${refName} of ${fmtPrice(ref)}, outside your price collar of ${fmtPct(collar.value)} (${scopeOf(collar)}): the collar allows ${fmtPrice(lo)} to ${fmtPrice(hi)}`;
        if (aggressive) {
          block(
            'risk.price_collar',
            `Limit price ${fmtPrice(limitPx)} is ${where}. Blocked: on the aggressive side (a ${order.side} ${above ? 'above' : 'below'} the market) the collar refuses. Check the price for a typo, or ${SETTINGS_HINT}.`,
          );
        } else {
          warn(
            'risk.price_collar_passive',
            `Limit price ${fmtPrice(limitPx)} is ${where}. Warning only: on the passive side (${buy ? 'a bid below' : 'an offer above'} the market) the order rests until the market comes to it. Check it is the price you meant.`,
          );
        }
      }
    }
    // Marketable by a wide margin: it will fill at the touch, but the trader probably mistyped.
    if (!collarHit && !isStopLimit && !stale) {
      const touch = buy ? ask : bid;
      if (touch) {
        const through = (buy ? limitPx.minus(touch) : touch.minus(limitPx)).div(touch).mul(HUNDRED);
        if (through.gt(THROUGH_MARKET_WARN_PCT)) {
          warn(
            'risk.through_market',
            `Your limit ${order.side} at ${fmtPrice(limitPx)} is ${fmtPct(through)} ${buy ? 'above the ask' : 'below the bid'} of ${fmtPrice(touch)}; it will fill immediately at up to that price.`,
          );
        }
      }
    }
  }

  // ── a stale quote: what could execute at once needs a fresh price ──
  if (stale && q && order.type !== 'market') {
    const at = immediacy(order.type, buy, limitPx, stopPx, bid, ask, mid);
    const priceWords = order.type === 'stop' || order.type === 'trailing_stop' ? `stop price ${stopPx ? fmtPrice(stopPx) : ''}`.trim() : `limit price ${limitPx ? fmtPrice(limitPx) : ''}`.trim();
    if (at === 'immediate') {
      block(
        'risk.stale_quote',
        `The last quote for ${inst.symbol} is ${staleWhy} and no fresh price could be fetched. This ${typeName(order.type)} order could execute at once (its ${priceWords} is at or through the last known market), so it is blocked rather than sent unchecked. Check the market data connection and preview again, or price it away from the market so it only rests.`,
      );
    } else if (at === 'unknown') {
      warn('risk.stale_quote', `The last quote for ${inst.symbol} is ${staleWhy} and has no usable price, so your ${priceWords} could not be checked against the market.`);
    } else {
      const unchecked = collar.value !== null ? ', and the price collar did not check it' : '';
      warn(
        'risk.stale_quote',
        `The last quote for ${inst.symbol} is ${staleWhy}. Your ${priceWords} is away from the last known market, so the order should rest rather than execute at once${unchecked}.`,
      );
    }
  }

  // ── order counts ──
  const oo = limits.maxOpenOrders;
  if (oo.value !== null) {
    const n = oo.scope.kind === 'instrument' ? ctx.openOrders.instrument : oo.scope.kind === 'venue' ? ctx.openOrders.venue : ctx.openOrders.total;
    const where = oo.scope.kind === 'instrument' ? ` for ${inst.symbol}` : oo.scope.kind === 'venue' ? ` on ${inst.venue}` : '';
    const count = new Decimal(n).plus(1);
    if (count.gt(oo.value)) {
      block(
        'risk.max_open_orders',
        `You have ${n} open orders${where}; one more exceeds your max open orders of ${oo.value.toFixed()} (${scopeOf(oo)}). Cancel some working orders or ${SETTINGS_HINT}.`,
      );
    } else if (oo.value.gt(0) && count.gte(oo.value.mul(NEAR_LIMIT_RATIO))) {
      warn('risk.near_max_open_orders', `This will be open order ${count.toFixed()}${where} of your max ${oo.value.toFixed()} (${scopeOf(oo)}).`);
    }
  }

  const rate = limits.maxOrdersPerMinute;
  if (rate.value !== null) {
    const who = ctx.actorLabel ? ` by ${ctx.actorLabel}` : '';
    if (new Decimal(ctx.ordersLastMinute).plus(1).gt(rate.value)) {
      // Modifies count too (a loop re-pricing one order is as runaway as one placing); say so when some were.
      const mods = ctx.modifiesLastMinute ?? 0;
      const what = mods > 0 ? `orders were placed or modified${who} in the last minute (${mods} of them ${mods === 1 ? 'a modify' : 'modifies'})` : `orders were placed${who} in the last minute`;
      block(
        'risk.order_rate',
        `${ctx.ordersLastMinute} ${what}; your max orders per minute is ${rate.value.toFixed()} (${scopeOf(rate)}) and counts modifies too. This guards against a runaway loop: wait a moment, check the strategy, or ${SETTINGS_HINT}.`,
      );
    }
  }

  // ── informational ──
  if (!pos.isZero() && (pos.gt(0) ? !buy : buy) && qty.gt(pos.abs())) {
    warn('risk.flips_position', `This ${desc} closes your ${posWords(pos)} and opens a ${pos.gt(0) ? 'short' : 'long'} ${fmtQty(qty.minus(pos.abs()))}.`);
  }

  return {
    allowed: violations.length === 0,
    violations,
    warnings,
    reduces,
    estPrice: estPrice ? estPrice.toFixed() : null,
    estNotional: orderNotional ? orderNotional.toFixed() : null,
    tripKillSwitch,
  };
}

/**
 * The collar's allowed band around `ref`, on the instrument's tick: the low bound rounds up and the
 * high bound down, so every price shown as allowed is one the collar lets through.
 */
export function collarBand(ref: Decimal, pct: Decimal, tick: Decimal | null): { lo: Decimal; hi: Decimal } {
  const lo = ref.mul(HUNDRED.minus(pct)).div(HUNDRED);
  const hi = ref.mul(HUNDRED.plus(pct)).div(HUNDRED);
  if (!tick) return { lo, hi };
  return { lo: lo.div(tick).ceil().mul(tick), hi: hi.div(tick).floor().mul(tick) };
}

/**
 * Whether an order could execute as soon as it arrives, judged on the last quote: a limit at or
 * through the opposite side (a buy at or above the ask, a sell at or below the bid), a stop already
 * through it. `unknown` when the quote has no usable price.
 */
export function immediacy(
  type: OrderType,
  buy: boolean,
  limitPx: Decimal | null,
  stopPx: Decimal | null,
  bid: Decimal | null,
  ask: Decimal | null,
  mid: Decimal | null,
): 'immediate' | 'resting' | 'unknown' {
  if (type === 'market') return 'immediate';
  if (type === 'trailing_stop') return 'resting';
  const touch = buy ? (ask ?? mid) : (bid ?? mid);
  const stopThrough = (): boolean | null => (stopPx && touch ? (buy ? stopPx.lte(touch) : stopPx.gte(touch)) : null);
  const limitThrough = (): boolean | null => (limitPx && touch ? (buy ? limitPx.gte(touch) : limitPx.lte(touch)) : null);
  const parts = type === 'limit' ? [limitThrough()] : type === 'stop' ? [stopThrough()] : [stopThrough(), limitThrough()];
  if (parts.some((p) => p === null)) return 'unknown';
  return parts.every((p) => p === true) ? 'immediate' : 'resting';
}

/** Every violation for the order (empty when it may be placed). Warnings: `evaluateOrder`. */
export function checkOrder(ctx: PreTradeContext): PreviewIssue[] {
  return evaluateOrder(ctx).violations;
}

/** For the P&L path: true when today's P&L (account currency) has reached the daily loss limit. */
export function dailyLossBreached(limits: EffectiveLimits, pnlToday: { realized: DecimalString; unrealized: DecimalString }): boolean {
  const l = limits.dailyLossLimit.value;
  if (l === null) return false;
  const pnl = (parseDecimal(pnlToday.realized) ?? ZERO).plus(parseDecimal(pnlToday.unrealized) ?? ZERO);
  return pnl.lt(0) && pnl.neg().gte(l);
}
