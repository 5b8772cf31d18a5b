/**
 * Reconciliation: on start and after every reconnect, bring the local journal in line with the
 * venue and say what changed ("while disconnected: order X filled 3 @ 101.20").
 *
 * Order of work matters: fills first (they are the truth about quantities), then every local
 * working order by client id, then the venue's open orders (adopting ones placed elsewhere),
 * then positions and balances.
 */
import { Decimal } from '../domain/money';
import { isTerminal } from '../domain/order';
import type { OrdersRepo, StoredOrder } from '../store/orders-repo';
import type { PortfolioRepo } from '../store/portfolio-repo';
import type { Clock } from '../ports/clock';
import type { VenueConnector } from '../venues/venue-port';
import type { OrderManager } from './order-manager';

export interface ReconcileChange {
  readonly kind: 'fill' | 'order' | 'adopted' | 'position' | 'balance';
  readonly message: string;
}

export interface ReconcileReport {
  readonly venue: string;
  readonly ts: number;
  readonly changes: ReconcileChange[];
}

/** Fills are fetched from a little before the last one we saw: venues stamp times at their end. */
const FILL_OVERLAP_MS = 60_000;

export async function reconcileVenue(
  venue: string,
  connector: VenueConnector,
  oms: OrderManager,
  orders: OrdersRepo,
  portfolio: PortfolioRepo,
  clock: Clock,
  /** The connector an order's route uses (SHADOW orders live in the ShadowExecutor, not at the venue). */
  connectorFor: (order: StoredOrder) => VenueConnector | undefined = () => connector,
  /**
   * When the last successful reconciliation of this venue began: fills after it came only from the
   * live stream. The journal's newest fill alone is not a safe start: a fill streamed right after a
   * reconnect (before this runs) is newer than the fills made while disconnected, which would then
   * never be fetched.
   */
  completeUntil?: number,
): Promise<ReconcileReport> {
  const changes: ReconcileChange[] = [];

  const since = Math.max(0, Math.min(orders.lastFillTs(venue) ?? 0, completeUntil ?? Infinity) - FILL_OVERLAP_MS);
  // The venue's fills, and those of any other route a working order takes (SHADOW's simulator
  // keeps its own fills: one it committed just before a crash reached no journal, and the order
  // lookup below would restore only the quantity, not the execution that exposure and P&L use).
  const sources = new Set<VenueConnector>([connector]);
  for (const local of orders.list({ venue, workingOnly: true, limit: 100_000 })) {
    const c = connectorFor(local);
    if (c) sources.add(c);
  }
  for (const source of sources) {
    for (const f of await source.fillsSince(since)) {
      const fill = oms.applyFill(venue, f, 'reconcile');
      if (fill) changes.push({ kind: 'fill', message: `${fill.symbol} ${fill.side} ${fill.qty} @ ${fill.price} filled (order ${fill.clientOrderId})` });
    }
  }

  for (const local of orders.list({ venue, workingOnly: true, limit: 100_000 })) {
    // Its submit is still in flight here: "no record at the venue" would be a guess, not a fact.
    if (oms.isSubmitting(local.id)) continue;
    const before = local.status;
    const report = await (connectorFor(local) ?? connector).lookup(local.clientOrderId);
    let after = before;
    if (report) after = oms.applyReport(venue, report, 'reconcile')?.status ?? before;
    else after = (await oms.resolve(local.id, true))?.status ?? before;
    if (after !== before) changes.push({ kind: 'order', message: `order ${local.clientOrderId} (${local.side} ${local.qty} ${local.symbol}) ${before} → ${after}` });
  }

  for (const open of await connector.openOrders()) {
    const known = orders.byClientId(open.clientOrderId) ?? (open.venueOrderId ? orders.byVenueOrderId(venue, open.venueOrderId) : undefined);
    if (known) {
      // Working here and there, fine. Finished here but open at the venue: the venue is right.
      if (isTerminal(known.status)) {
        const after = oms.applyReport(venue, open, 'reconcile');
        changes.push({
          kind: 'order',
          message:
            after && !isTerminal(after.status)
              ? `order ${known.clientOrderId} (${known.side} ${known.qty} ${known.symbol}) is open at the venue after all: tracked as ${after.status} again`
              : `order ${known.clientOrderId} is ${known.status} here but open at the venue: check it there`,
        });
      }
      continue;
    }
    const adopted = oms.applyReport(venue, open, 'reconcile');
    if (adopted) changes.push({ kind: 'adopted', message: `unknown order ${adopted.clientOrderId} (${adopted.side} ${adopted.qty} ${adopted.symbol}) adopted as external` });
  }

  const now = clock.now();
  const localPositions = new Map(portfolio.positions(venue).map((p) => [p.instrumentId, p]));
  const venuePositions = await connector.positions();
  const seen = new Set<string>();
  for (const p of venuePositions) {
    seen.add(p.instrumentId);
    const prev = localPositions.get(p.instrumentId);
    if (!prev || !new Decimal(prev.qty).eq(p.qty)) changes.push({ kind: 'position', message: `position ${p.symbol} ${prev?.qty ?? '0'} → ${p.qty}` });
    portfolio.upsertPosition(p, now);
  }
  for (const [id, prev] of localPositions) {
    if (!seen.has(id)) {
      if (!new Decimal(prev.qty).isZero()) changes.push({ kind: 'position', message: `position ${prev.symbol} ${prev.qty} → 0` });
      portfolio.deletePosition(venue, id);
    }
  }
  const localBalances = new Map(portfolio.balances(venue).map((b) => [b.asset, b]));
  for (const b of await connector.balances()) {
    const prev = localBalances.get(b.asset);
    if (prev && !new Decimal(prev.total).eq(b.total)) changes.push({ kind: 'balance', message: `balance ${b.asset} ${prev.total} → ${b.total}` });
    portfolio.upsertBalance(b, now);
  }

  return { venue, ts: now, changes };
}
