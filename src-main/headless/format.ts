/**
 * Compact human output for the CLI. `--json` prints the API result unchanged; this is only for
 * eyes, so it may drop fields but never invents any.
 */
import type {
  AccountSummaryView,
  AuditEntryView,
  KillSwitchResetResult,
  KillSwitchStatus,
  KillSwitchTripResult,
  ModeChangeResult,
  FlattenAllResult,
  PositionCloseResult,
  PositionPreview,
  Preview,
  QuoteView,
  ReconcileReportView,
  RiskSetResult,
  RiskView,
  StrategyDetail,
  StrategyView,
  VenueInfo,
} from '../engine/api/commands';
import type { Balance, Fill, Order, Position } from '../engine/domain/order';
import type { Instrument } from '../engine/domain/instrument';
import { formatPortfolio } from './format-portfolio';
import { formatPositions } from './format-positions';
import { formatQuality } from './format-quality';
import { formatOptionChain } from './format-option-chain';
import type { OptionChain } from '../engine/domain/option-chain';
import type { QualityReportView } from '../engine/api/quality-view';
import type { StrategySimulation } from '../engine/api/strategy-simulation';

type Row = Record<string, unknown>;

export function table(rows: readonly Row[], columns: ReadonlyArray<[header: string, get: (r: Row) => unknown]>): string {
  if (rows.length === 0) return '(none)\n';
  const cells = rows.map((r) => columns.map(([, get]) => cell(get(r))));
  const widths = columns.map(([h], i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(columns.map(([h]) => h.toUpperCase())), ...cells.map(line)].join('\n') + '\n';
}

function cell(v: unknown): string {
  if (v === undefined || v === null || v === '') return '-';
  if (typeof v === 'number' && v > 1e12) return new Date(v).toISOString().replace('T', ' ').slice(0, 19);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

const orderColumns: ReadonlyArray<[string, (r: Row) => unknown]> = [
  ['id', (o) => o.id],
  ['venue', (o) => o.venue],
  ['symbol', (o) => o.symbol],
  ['side', (o) => o.side],
  ['type', (o) => o.type],
  ['qty', (o) => o.qty],
  ['filled', (o) => o.filledQty],
  ['limit', (o) => o.limitPrice],
  // A trailing stop's stop moves: show where it is now (the venue's last word), marked as such.
  ['stop', (o) => (o.type === 'trailing_stop' && o.trailStop !== undefined ? `${String(o.trailStop)} (trailing)` : o.stopPrice)],
  ['tif', (o) => o.tif],
  ['status', (o) => o.status],
  ['avg', (o) => (o.avgFillPrice === '0' ? undefined : o.avgFillPrice)],
  ['client id', (o) => o.clientOrderId],
];

const strategyColumns: ReadonlyArray<[string, (r: Row) => unknown]> = [
  ['id', (s) => s.id],
  ['kind', (s) => s.kind],
  ['venue', (s) => s.venue],
  ['symbol', (s) => s.symbol],
  ['state', (s) => String(s.state).replace('_', ' ')],
  ['orders', (s) => (s.maxOrders === null ? s.ordersSent : `${String(s.ordersSent)}/${String(s.maxOrders)}`)],
  ['fills', (s) => s.fills],
  ['bought', (s) => s.bought],
  ['sold', (s) => s.sold],
  ['fees', (s) => s.fees],
  ['p&l', (s) => s.pnl],
  ['reason', (s) => s.reason],
];

export function formatResult(command: string, value: unknown): string {
  switch (command) {
    case 'venues.list':
      return table(value as unknown as VenueInfo[] as unknown as Row[], [
        ['name', (v) => v.name],
        ['kind', (v) => v.kind],
        ['state', (v) => v.state],
        ['mode', (v) => v.mode],
        ['detail', (v) => v.detail],
      ]);
    case 'instruments.search':
      return table(value as Instrument[] as unknown as Row[], [
        ['id', (i) => i.id],
        ['symbol', (i) => i.symbol],
        ['class', (i) => i.assetClass],
        ['tick', (i) => i.tickSize],
        ['lot', (i) => i.lotSize],
        ['description', (i) => i.description],
      ]);
    case 'instrument.optionChain':
      return formatOptionChain(value as OptionChain);
    case 'quote.get': {
      const q = value as QuoteView;
      return table(
        [q as unknown as Row],
        [
          ['venue', (r) => r.venue],
          ['symbol', (r) => r.symbol],
          ['bid', (r) => r.bid],
          ['bid size', (r) => r.bidSize],
          ['ask', (r) => r.ask],
          ['ask size', (r) => r.askSize],
          ['last', (r) => r.last],
          ['time', (r) => r.ts],
        ],
      );
    }
    case 'order.preview':
      return formatPreview(value as Preview);
    case 'position.preview': {
      const v = value as PositionPreview;
      return `${v.action} ${v.position.symbol} on ${v.position.venue} (position ${v.position.qty})${v.cancels ? `: cancels ${v.cancels} working order(s) first` : ''}\n` + formatPreview(v.preview);
    }
    case 'position.close': {
      const v = value as PositionCloseResult;
      const notes = v.notCancelled.map((n) => `not cancelled: ${n.orderId}: ${n.message}\n`).join('');
      return (v.cancelled ? `cancelled ${v.cancelled} working order(s)\n` : '') + notes + table([v.order as unknown as Row], orderColumns);
    }
    case 'positions.flatten': {
      const v = value as FlattenAllResult;
      return (
        `flatten: ${v.count} position(s)${v.venues.length ? ` on ${v.venues.join(', ')}` : ''}\n` +
        table(v.results as unknown as Row[], [
          ['venue', (r) => r.venue],
          ['symbol', (r) => r.symbol],
          ['side', (r) => r.side],
          ['qty', (r) => r.qty],
          ['cancelled', (r) => r.cancelled],
          ['order', (r) => r.orderId],
          ['message', (r) => r.message],
        ])
      );
    }
    case 'order.place':
    case 'order.replace':
    case 'order.cancel':
      return table([value as Order as unknown as Row], orderColumns);
    case 'order.cancelAll': {
      const v = value as { requested: number; orders: Order[] };
      const pending = (value as { pending?: number }).pending;
      return `cancel requested for ${v.requested} order(s)${pending ? `; ${pending} still being cancelled` : ''}\n` + (v.orders.length ? table(v.orders as unknown as Row[], orderColumns) : '');
    }
    case 'orders.list':
      return table(value as Order[] as unknown as Row[], orderColumns);
    case 'orders.page':
      return formatOrdersPage(value as { orders: Order[]; total: number; offset: number; limit: number; more: boolean });
    case 'fills.list':
      return table(value as Fill[] as unknown as Row[], [
        ['time', (f) => f.ts],
        ['venue', (f) => f.venue],
        ['symbol', (f) => f.symbol],
        ['side', (f) => f.side],
        ['qty', (f) => f.qty],
        ['price', (f) => f.price],
        ['fee', (f) => (f.fee !== undefined ? `${String(f.fee)} ${String(f.feeCurrency ?? '')}`.trim() : undefined)],
        ['liq', (f) => f.liquidity],
        ['order', (f) => f.orderId],
      ]);
    case 'positions.list':
      return formatPositions(value as Position[]);
    case 'account.summary': {
      const a = value as AccountSummaryView;
      const head = `net liquidation ${a.netLiquidation} ${a.currency} · buying power ${a.buyingPower ?? '—'} · P&L today ${a.pnlToday.total} (realized ${a.pnlToday.realized}, open ${a.pnlToday.unrealized})\n`;
      const rows = table(a.venues as unknown as Row[], [
        ['venue', (v) => v.venue],
        ['net liq', (v) => v.netLiquidation],
        ['cash', (v) => v.cash],
        ['positions', (v) => v.positionsValue],
        ['buying power', (v) => v.buyingPower ?? '—'],
        ['source', (v) => v.source],
      ]);
      const left = a.unconverted.length ? `not in the totals: ${a.unconverted.join('; ')}\n` : '';
      return head + rows + left;
    }
    case 'balances.list':
      return table(value as Balance[] as unknown as Row[], [
        ['venue', (b) => b.venue],
        ['asset', (b) => b.asset],
        ['total', (b) => b.total],
        ['available', (b) => b.available],
      ]);
    case 'venue.add':
    case 'venue.set': {
      const v = value as VenueInfo;
      const settings = Object.entries(v.settings ?? {})
        .map(([k, s]) => `${k}=${s}`)
        .join(' ');
      return `${v.name} (${v.kind}) ${v.state}${settings ? ` · ${settings}` : ''}\n`;
    }
    case 'venue.remove':
      return `removed ${(value as { name: string }).name}\n`;
    case 'secret.set': {
      const v = value as { venue: string; field: string };
      return `${v.venue} ${v.field}: set\n`;
    }
    case 'secret.status': {
      const v = value as { venue: string; fields: Array<{ field: string; label: string; set: boolean }> };
      return table(v.fields as unknown as Row[], [
        ['field', (f) => f.field],
        ['label', (f) => f.label],
        ['status', (f) => (f.set ? 'set' : 'not set')],
      ]);
    }
    case 'mode.set': {
      const m = value as ModeChangeResult;
      return `${m.changed ? m.summary : `${m.summary} (no change)`}\n`;
    }
    case 'risk.get': {
      const r = value as RiskView;
      const scope = r.venue ? `${r.symbol ? `${r.symbol} on ` : ''}${r.venue}` : 'every venue (global)';
      return (
        `limits in force for ${scope}${r.killSwitch !== 'running' ? ` · kill switch ${r.killSwitch.toUpperCase()}` : ''}\n` +
        table(r.effective as unknown as Row[], [
          ['key', (l) => l.key],
          ['value', (l) => l.value ?? 'off'],
          ['scope', (l) => l.scope],
        ])
      );
    }
    case 'risk.set': {
      const r = value as RiskSetResult;
      const at = r.venue ? `${r.symbol ? `${r.symbol} on ` : ''}${r.venue}` : 'global';
      return `${r.key} = ${r.value} (${at}) · in force: ${r.effective.value ?? 'off'} (${r.effective.scope})\n`;
    }
    case 'killSwitch.trip': {
      const t = value as KillSwitchTripResult;
      const lines = [killSwitchLine(t.status)];
      if (t.note) lines.push(t.note);
      lines.push(
        `cancelled ${t.sweep.cancelled} of ${t.sweep.requested} working order(s)${t.sweep.pending ? `; ${t.sweep.pending} still being cancelled (tradeport kill-switch status shows what is left)` : ''}`,
      );
      for (const x of t.sweep.failed) lines.push(`  not yet cancelled ${x.venue} ${x.orderId} (${x.clientOrderId}): ${x.message}`);
      for (const x of t.flatten) lines.push(`  flatten ${x.venue} ${x.symbol} ${x.side} ${x.qty}${x.orderId ? ` → order ${x.orderId}` : ''}${x.message ? `: ${x.message}` : ''}`);
      return lines.join('\n') + '\n';
    }
    case 'killSwitch.status':
      return formatKillSwitchStatus(value as KillSwitchStatus);
    case 'killSwitch.reset': {
      const r = value as KillSwitchResetResult;
      return [killSwitchLine(r.status), ...(r.note ? [r.note] : [])].join('\n') + '\n';
    }
    case 'reconcile.run':
    case 'reconcile.reports':
      return formatReconcileReports(value as ReconcileReportView[]);
    case 'audit.list':
      return table(value as AuditEntryView[] as unknown as Row[], [
        ['seq', (e) => e.seq],
        ['time', (e) => e.ts],
        ['actor', (e) => e.actor],
        ['via', (e) => e.transport],
        ['action', (e) => e.action],
        ['venue', (e) => e.venue],
        ['ok', (e) => (e.ok ? 'yes' : 'NO')],
        ['detail', (e) => clip(JSON.stringify(e.detail), 100)],
      ]);
    case 'strategy.list':
      return table(value as StrategyView[] as unknown as Row[], strategyColumns);
    case 'strategy.add':
    case 'strategy.pause':
    case 'strategy.resume':
    case 'strategy.stop':
      return table([value as Row], strategyColumns);
    case 'strategy.show': {
      const d = value as StrategyDetail;
      return (
        table([d as unknown as Row], strategyColumns) +
        `progress ${JSON.stringify(d.progress)}\n` +
        table(d.steps as unknown as Row[], [
          ['step', (x) => x.step],
          ['tag', (x) => x.tag],
          ['client id', (x) => x.clientOrderId],
          ['status', (x) => x.status],
          ['order', (x) => x.orderId],
          ['error', (x) => x.error],
        ])
      );
    }
    case 'strategy.simulate': {
      const s = value as StrategySimulation;
      return (
        `${s.kind} on ${s.venue} ${s.symbol}: ${s.hours} h simulated from ${s.startPrice} (ended at ${s.endPrice}); ${s.steps} orders${s.done ? `, then done: ${s.done}` : ''}. Nothing was placed.\n` +
        table(s.orders as unknown as Row[], [
          ['time (UTC)', (o) => new Date(o.ts as number).toISOString().slice(0, 16).replace('T', ' ')],
          ['step', (o) => o.step],
          ['tag', (o) => o.tag],
          ['side', (o) => o.side],
          ['type', (o) => o.type],
          ['qty', (o) => o.notional ?? o.qty],
          ['price', (o) => o.price],
          ['status', (o) => o.status],
        ]) +
        `bought ${s.bought} for ${s.spent}, sold ${s.sold} for ${s.received}, fees ${s.fees} (${s.fills.length} fills); held ${s.held} at an average cost of ${s.avgCost}\n` +
        `P&L ${s.pnl} ${s.currency}: realized ${s.realizedPnl}, unrealized ${s.unrealizedPnl}; max drawdown ${s.maxDrawdown}\n` +
        (s.refused.length === 0
          ? ''
          : `${s.refused.length} refused (never placed):\n` +
            table(s.refused as unknown as Row[], [
              ['time (UTC)', (o) => new Date(o.ts as number).toISOString().slice(0, 16).replace('T', ' ')],
              ['step', (o) => o.step],
              ['side', (o) => o.side],
              ['qty', (o) => o.notional ?? o.qty],
              ['price', (o) => o.price ?? 'market'],
              ['reason', (o) => o.reason],
            ]))
      );
    }
    case 'quality.report':
      return formatQuality(value as QualityReportView);
    case 'audit.csv':
      // Exactly the engine's CSV (header row, CRLF), so `tradeport audit --csv > audit.csv` is the export.
      return (value as { csv: string }).csv;
    default:
      return formatPortfolio(command, value) ?? JSON.stringify(value, null, 2) + '\n';
  }
}

function formatPreview(p: Preview): string {
  const lines: string[] = [];
  const kv = (k: string, v: unknown) => lines.push(`${k.padEnd(18)} ${cell(v)}`);
  kv('allowed', p.allowed ? 'yes' : 'NO');
  kv('route', p.route);
  kv('order', `${p.side} ${p.qty} ${p.symbol} ${p.type} @ ${p.venue}`);
  kv('bid / ask', `${p.bid ?? '-'} / ${p.ask ?? '-'}`);
  kv('est. price', p.estPrice);
  kv('est. notional', p.estNotional && `${p.estNotional} ${p.currency}`);
  kv('est. fee', p.estFee && `${p.estFee} ${p.currency}`);
  kv('est. total', p.estTotal && `${p.estTotal} ${p.currency}`);
  kv('buying power', `${p.buyingPowerBefore ?? '-'} → ${p.buyingPowerAfter ?? '-'}`);
  for (const w of p.warnings) lines.push(`warning            ${w.code}: ${w.message}`);
  for (const v of p.violations) lines.push(`violation          ${v.code}: ${v.message}`);
  return lines.join('\n') + '\n';
}

function killSwitchLine(s: KillSwitchStatus): string {
  if (s.state === 'running') return `kill switch: running (new orders allowed) · ${s.workingOrders} working order(s)`;
  return `kill switch: ${s.state.toUpperCase()}${s.reason ? ` · ${s.reason}` : ''} · ${s.workingOrders} working order(s)`;
}

function formatKillSwitchStatus(s: KillSwitchStatus): string {
  const lines: string[] = [];
  const kv = (k: string, v: unknown) => lines.push(`${k.padEnd(16)} ${cell(v)}`);
  kv('state', s.state.toUpperCase());
  kv('reason', s.reason);
  kv('by', s.actor);
  kv('since', s.trippedAt);
  kv('flatten', s.flatten ? (s.flattenPending ? 'yes (pending)' : 'yes') : 'no');
  kv('working orders', s.workingOrders);
  kv('last reset', s.lastReset && `${cell(s.lastReset.at)} by ${s.lastReset.actor}${s.lastReset.note ? ` · ${s.lastReset.note}` : ''}`);
  return lines.join('\n') + '\n';
}

function formatReconcileReports(reports: readonly ReconcileReportView[]): string {
  if (reports.length === 0) return '(no reports)\n';
  const lines: string[] = [];
  for (const r of reports) {
    lines.push(`#${r.seq} ${r.venue} · ${cell(r.ts)} · ${r.trigger} · ${r.ok ? 'ok' : `FAILED: ${r.error ?? 'unknown error'}`}`);
    if (r.changes.length === 0 && r.ok) lines.push('  no differences');
    for (const c of r.changes) lines.push(`  ${c.kind.padEnd(8)} ${c.message}`);
  }
  return lines.join('\n') + '\n';
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** A page of orders, and a footer whenever the list is cut: how many exist and how to see the next page. */
function formatOrdersPage(p: { orders: Order[]; total: number; offset: number; limit: number; more: boolean }): string {
  const body = table(p.orders as unknown as Row[], orderColumns);
  if (p.offset === 0 && !p.more) return body;
  const first = p.orders.length ? p.offset + 1 : p.offset;
  const range = `showing ${first}–${p.offset + p.orders.length} of ${p.total} orders (newest first)`;
  return `${body}${range}${p.more ? `; next page: add --offset ${p.offset + p.orders.length}${p.limit !== 500 ? ` --limit ${p.limit}` : ''}` : ''}\n`;
}
