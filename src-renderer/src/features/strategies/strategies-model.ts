/**
 * The Strategies panel's pure parts: the form each kind generates (its fields, as the engine's
 * planners take them), the parameters it sends, a preview of the plan in words and money before
 * it runs, the simulated orders (Simulate), and how a strategy's state reads in the list. The engine validates everything again.
 */
// Shares the engine's Decimal configuration rather than decimal.js defaults.
import { Decimal } from '../../../../src-main/engine/domain/money';
import type { StrategyView } from '../../../../src-main/engine/api/commands';
import type { StrategySimulation } from '../../../../src-main/engine/api/strategy-simulation';

export type StrategyKind = 'dca' | 'grid' | 'twap' | 'dip';

export interface FieldSpec {
  readonly key: string;
  readonly label: string;
  readonly placeholder: string;
  readonly required?: boolean;
  readonly options?: readonly string[];
}

const SESSIONS: FieldSpec = { key: 'sessions', label: 'Sessions (equities)', placeholder: 'regular', options: ['regular', 'extended'] };

export const KIND_FORMS: Readonly<Record<StrategyKind, { readonly label: string; readonly fields: readonly FieldSpec[] }>> = {
  dca: {
    label: 'DCA — buy a fixed amount every interval',
    fields: [
      { key: 'qty', label: 'Quantity per buy', placeholder: '0.01' },
      { key: 'notional', label: 'or money per buy', placeholder: '100' },
      { key: 'every', label: 'Every', placeholder: '1h', required: true },
      { key: 'below', label: 'Only below price', placeholder: 'optional' },
      { key: 'maxTotal', label: 'Maximum total', placeholder: 'optional' },
      { key: 'orderType', label: 'Order type', placeholder: 'limit', options: ['limit', 'market'] },
      { key: 'stop', label: 'Protective stop % under each buy', placeholder: 'optional' },
      SESSIONS,
    ],
  },
  grid: {
    label: 'Grid — rest orders at N levels, re-place on each fill',
    fields: [
      { key: 'low', label: 'Low', placeholder: '90000', required: true },
      { key: 'high', label: 'High', placeholder: '110000', required: true },
      { key: 'levels', label: 'Levels', placeholder: '5', required: true },
      { key: 'qty', label: 'Quantity per level', placeholder: '0.01', required: true },
      { key: 'spacing', label: 'Spacing', placeholder: 'arithmetic', options: ['arithmetic', 'geometric'] },
      { key: 'stopAtBounds', label: 'Stop at bounds', placeholder: 'true', options: ['true', 'false'] },
      { key: 'stop', label: 'Protective stop % under the low (per filled buy)', placeholder: 'optional' },
      SESSIONS,
    ],
  },
  twap: {
    label: 'TWAP — a quantity over market time in slices',
    fields: [
      { key: 'side', label: 'Side', placeholder: 'buy', options: ['buy', 'sell'] },
      { key: 'qty', label: 'Quantity', placeholder: '100', required: true },
      { key: 'duration', label: 'Duration (market time)', placeholder: '2h', required: true },
      { key: 'slices', label: 'Slices', placeholder: '12', required: true },
      { key: 'maxDeviation', label: 'Max deviation %', placeholder: '1' },
      { key: 'stop', label: 'Protective stop % (buys)', placeholder: 'optional' },
      SESSIONS,
    ],
  },
  dip: {
    label: 'Buy the dip — buy X % below the rolling high, exit at take-profit or stop',
    fields: [
      { key: 'qty', label: 'Quantity', placeholder: '0.01', required: true },
      { key: 'drop', label: 'Drop %', placeholder: '3', required: true },
      { key: 'window', label: 'Window', placeholder: '4h', required: true },
      { key: 'takeProfit', label: 'Take profit %', placeholder: '2', required: true },
      { key: 'stop', label: 'Stop %', placeholder: '1.5', required: true },
      { key: 'repeat', label: 'Repeat', placeholder: 'false', options: ['false', 'true'] },
      SESSIONS,
    ],
  },
};

/** The non-empty fields, trimmed, as `strategy.add` params. */
export function formParams(kind: StrategyKind, values: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of KIND_FORMS[kind].fields) {
    const v = values[f.key]?.trim();
    if (v) out[f.key] = v;
  }
  return out;
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
function seconds(v: string | undefined): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(v?.trim() ?? '');
  return m ? Number(m[1]) * (m[2] ? UNITS[m[2]]! : 0.001) : undefined;
}
const dec = (v: string | undefined): Decimal | undefined => {
  try {
    const d = v?.trim() ? new Decimal(v.trim()) : undefined;
    return d && d.isFinite() && d.gt(0) ? d : undefined;
  } catch {
    return undefined;
  }
};
const money = (d: Decimal) => d.toDecimalPlaces(2).toFixed(2);

/**
 * The plan in words, priced at `price` (the current mid): what it will send and roughly what it
 * costs. An empty list until the required fields make sense; the engine's answer is the last word.
 */
export function previewPlan(kind: StrategyKind, values: Readonly<Record<string, string>>, price: string | undefined): string[] {
  const p = formParams(kind, values);
  const px = dec(price);
  const at = (q: Decimal) => (px ? ` ≈ ${money(q.mul(px))}` : '');
  if (kind === 'dca') {
    const qty = dec(p.qty);
    const notional = dec(p.notional);
    const every = p.every;
    if ((!qty && !notional) || !seconds(every)) return [];
    const one = qty ? `${qty.toFixed()}${at(qty)}` : `${notional!.toFixed()} of money`;
    const lines = [`${p.orderType === 'market' ? 'Market' : 'Limit-at-ask'} buy of ${one} every ${every}${p.below ? `, only at or below ${p.below}` : ''}.`];
    const max = dec(p.maxTotal);
    const amount = (qty ?? notional)!;
    if (max) {
      const n = max.div(amount).floor();
      lines.push(`At most ${n.toFixed()} buys (${n.mul(amount).toFixed()} in all${qty ? at(n.mul(amount)) : ''}).`);
    } else lines.push('No maximum total: it buys until you stop it.');
    return lines;
  }
  if (kind === 'grid') {
    const low = dec(p.low);
    const high = dec(p.high);
    const levels = Number(p.levels);
    const qty = dec(p.qty);
    if (!low || !high || !qty || !high.gt(low) || !Number.isInteger(levels) || levels < 2) return [];
    const lv = Array.from({ length: levels }, (_, i) =>
      (p.spacing === 'geometric'
        ? low.mul(high.div(low).pow(new Decimal(i).div(levels - 1)))
        : low.plus(
            high
              .minus(low)
              .mul(i)
              .div(levels - 1),
          )
      ).toSignificantDigits(10),
    );
    const buys = px ? lv.slice(0, -1).filter((l) => l.lt(px)) : lv.slice(0, -1);
    const cost = buys.reduce((a, l) => a.plus(l.mul(qty)), new Decimal(0));
    return [
      `Levels ${lv.map((l) => l.toFixed()).join(' · ')}.`,
      `Rests ${buys.length} buy${buys.length === 1 ? '' : 's'} of ${qty.toFixed()} below the market (${money(cost)} held in orders).`,
      `Profit per grid: ${lv
        .slice(1)
        .map((h, i) => money(h.minus(lv[i]!).mul(qty)))
        .join(' · ')} (before fees).`,
    ];
  }
  if (kind === 'twap') {
    const qty = dec(p.qty);
    const slices = Number(p.slices);
    const dur = seconds(p.duration);
    if (!qty || !dur || !Number.isInteger(slices) || slices < 1) return [];
    const each = qty.div(slices).toSignificantDigits(8);
    return [
      `${p.side === 'sell' ? 'Sells' : 'Buys'} ${qty.toFixed()}${at(qty)} in ${slices} slices of ${each.toFixed()}, one every ${Math.round(dur / slices / 60)} market minute(s).`,
      'Closed hours, weekends and holidays do not count; what does not fill is reported at the end.',
    ];
  }
  const qty = dec(p.qty);
  const drop = dec(p.drop);
  if (!qty || !drop || !p.window) return [];
  return [
    `Buys ${qty.toFixed()}${at(qty)} when the price is ${drop.toFixed()} % below its high of the last ${p.window}.`,
    `Then a take-profit ${p.takeProfit ?? '?'} % above the entry and a protective stop ${p.stop ?? '?'} % below it.`,
  ];
}

const STATE_TEXT: Record<StrategyView['state'], string> = {
  running: 'running',
  paused_user: 'paused by you',
  paused_breaker: 'paused: venue down',
  paused_market: 'paused: market closed',
  stopped_kill: 'stopped by the kill switch',
  stopped: 'stopped',
  done: 'done',
};

export function stateText(s: StrategyView): string {
  return STATE_TEXT[s.state];
}

/** Which buttons a row offers. */
export function rowActions(s: StrategyView): { pause: boolean; resume: boolean; stop: boolean } {
  return {
    pause: s.state === 'running' || s.state === 'paused_market' || s.state === 'paused_breaker',
    resume: s.state === 'paused_user' || s.state === 'paused_breaker' || s.state === 'stopped_kill',
    stop: s.state !== 'stopped' && s.state !== 'done',
  };
}

export function progressText(s: StrategyView): string {
  return `${s.ordersSent}${s.maxOrders !== null ? `/${s.maxOrders}` : ''} orders · ${s.fills} fills`;
}

export interface SimulationRow {
  readonly key: string;
  /** UTC, minutes. */
  readonly time: string;
  readonly side: 'buy' | 'sell';
  readonly qty: string;
  readonly price: string;
  readonly tag: string;
}

/** The orders `strategy.simulate` says the plan would place, as the form's table shows them (a notional order shows its amount of money). */
export function simulationRows(sim: StrategySimulation): SimulationRow[] {
  return sim.orders.map((o) => ({
    key: String(o.step),
    time: utcMinute(o.ts),
    side: o.side,
    qty: o.notional ? `${o.notional} of money` : o.qty,
    price: o.type === 'market' ? `≈ ${o.price}` : o.price,
    tag: o.tag,
  }));
}

const utcMinute = (ts: number): string => new Date(ts).toISOString().slice(0, 16).replace('T', ' ');

export interface RefusalRow extends Omit<SimulationRow, 'tag'> {
  readonly reason: string;
}

/** The steps the engine refused during the simulation (risk limits, buying power), with its reasons: the live run would meet them too. */
export function simulationRefusals(sim: StrategySimulation): { heading: string; rows: RefusalRow[] } | undefined {
  const n = sim.refused.length;
  if (n === 0) return undefined;
  const heading = `${n} order${n === 1 ? '' : 's'} refused (never placed): the live run would meet ${n === 1 ? 'this' : 'these'} too.`;
  return {
    heading,
    rows: sim.refused.map((r) => ({
      key: String(r.step),
      time: utcMinute(r.ts),
      side: r.side,
      qty: r.notional ? `${r.notional} of money` : r.qty,
      price: r.price ?? 'market',
      reason: r.reason,
    })),
  };
}

export function simulationSummary(sim: StrategySimulation): string {
  const refused = sim.refused.length ? ` (${sim.refused.length} refused)` : '';
  const orders = `${sim.steps} order${sim.steps === 1 ? '' : 's'}${refused} over ${sim.hours} h from ${sim.startPrice}`;
  const totals = `bought ${sim.bought} for ${money(new Decimal(sim.spent))}, sold ${sim.sold} for ${money(new Decimal(sim.received))}, fees ≈ ${money(new Decimal(sim.fees))}`;
  const pnl = `P&L ${sim.pnl} ${sim.currency} (realized ${sim.realizedPnl}, unrealized ${sim.unrealizedPnl}), max drawdown ${sim.maxDrawdown}`;
  return `${orders}: ${totals}; ${pnl}${sim.done ? `; then done: ${sim.done}` : ''}. Simulated on Paper's prices: nothing was placed.`;
}
