/**
 * Compact human output for the CLI. `--json` prints the API result unchanged; this is only for
 * eyes, so it may drop fields but never invents any.
 */
import type { Preview, QuoteView, VenueInfo } from '../engine/api/commands';
import type { Balance, Fill, Order, Position } from '../engine/domain/order';
import type { Instrument } from '../engine/domain/instrument';

type Row = Record<string, unknown>;

export function table(rows: readonly Row[], columns: ReadonlyArray<[header: string, get: (r: Row) => unknown]>): string {
  if (rows.length === 0) return '(none)\n';
  const cells = rows.map((r) => columns.map(([, get]) => cell(get(r))));
  const widths = columns.map(([h], i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
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
  ['stop', (o) => o.stopPrice],
  ['tif', (o) => o.tif],
  ['status', (o) => o.status],
  ['avg', (o) => (o.avgFillPrice === '0' ? undefined : o.avgFillPrice)],
  ['client id', (o) => o.clientOrderId],
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
    case 'quote.get': {
      const q = value as QuoteView;
      return table([q as unknown as Row], [
        ['venue', (r) => r.venue],
        ['symbol', (r) => r.symbol],
        ['bid', (r) => r.bid],
        ['bid size', (r) => r.bidSize],
        ['ask', (r) => r.ask],
        ['ask size', (r) => r.askSize],
        ['last', (r) => r.last],
        ['time', (r) => r.ts],
      ]);
    }
    case 'order.preview':
      return formatPreview(value as Preview);
    case 'order.place':
    case 'order.cancel':
      return table([value as Order as unknown as Row], orderColumns);
    case 'order.cancelAll': {
      const v = value as { requested: number; orders: Order[] };
      return `cancel requested for ${v.requested} order(s)\n` + (v.orders.length ? table(v.orders as unknown as Row[], orderColumns) : '');
    }
    case 'orders.list':
      return table(value as Order[] as unknown as Row[], orderColumns);
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
      return table(value as Position[] as unknown as Row[], [
        ['venue', (p) => p.venue],
        ['symbol', (p) => p.symbol],
        ['qty', (p) => p.qty],
        ['avg price', (p) => p.avgPrice],
        ['mark', (p) => p.mark],
        ['unrealized', (p) => p.unrealizedPnl],
        ['realized', (p) => p.realizedPnl],
      ]);
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
      const settings = Object.entries(v.settings ?? {}).map(([k, s]) => `${k}=${s}`).join(' ');
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
    default:
      return JSON.stringify(value, null, 2) + '\n';
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
