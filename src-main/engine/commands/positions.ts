/**
 * Positions a trader can act on: close, reverse and flatten one position, and flatten them all.
 * Each is an ordinary market order sized exactly from the position and placed through order entry,
 * so the preview, risk limits, the venue's mode and the kill switch apply as to any other order.
 * Flatten cancels the instrument's working orders first, so none of them reopens the position.
 */
import type { CallContext, CommandHandlers } from '../api/engine-api';
import type { PositionCloseResult, PositionPreview } from '../api/commands';
import { TradeportError } from '../api/errors';
import type { Position } from '../domain/order';
import { closingOrder, flattenScope, type PositionAction } from '../domain/position-close';
import type { OrderEntry, PlaceOptions } from '../oms/order-entry';
import type { OrderManager } from '../oms/order-manager';
import type { OrdersRepo } from '../store/orders-repo';
import type { PortfolioRepo } from '../store/portfolio-repo';

export interface PositionCommandsDeps {
  readonly entry: Pick<OrderEntry, 'preview' | 'place'>;
  readonly oms: Pick<OrderManager, 'cancel'>;
  readonly orders: Pick<OrdersRepo, 'list'>;
  readonly portfolio: Pick<PortfolioRepo, 'positions'>;
  /** Refuses new orders while the journal cannot be written (disk full, read-only). */
  readonly assertWritable?: () => void;
}

type PositionCommand = 'position.preview' | 'position.close' | 'positions.flatten';

export function positionCommands(d: PositionCommandsDeps): Pick<CommandHandlers, PositionCommand> {
  const { entry, oms, orders, portfolio } = d;

  const find = (venue: string, symbol: string): Position => {
    const p = portfolio.positions(venue).find((x) => x.instrumentId === symbol || x.symbol === symbol);
    if (!p || !closingOrder(p.qty, 'close')) throw new TradeportError('position_not_found', `No open position in ${symbol} on ${venue}. List positions with: tradeport positions`);
    return p;
  };

  const ticketFor = (p: Position, action: PositionAction) => {
    const o = closingOrder(p.qty, action)!;
    return { venue: p.venue, symbol: p.instrumentId, side: o.side, type: 'market' as const, qty: o.qty, tif: 'day' as const };
  };

  const workingOf = (p: Position) =>
    orders.list({ workingOnly: true, venue: p.venue, limit: 100_000 }).filter((o) => o.instrumentId === p.instrumentId && o.status !== 'pending_cancel' && o.status !== 'pending_submit');

  /** Cancels, then closes on what the position is after the cancels (a cancel may have raced a fill). */
  const act = async (venue: string, symbol: string, action: PositionAction, ctx: CallContext, place: { previewId?: string } & PlaceOptions): Promise<PositionCloseResult> => {
    d.assertWritable?.();
    const before = find(venue, symbol);
    let cancelled = 0;
    const notCancelled: Array<{ orderId: string; message: string }> = [];
    if (action === 'flatten') {
      for (const o of workingOf(before)) {
        try {
          await oms.cancel(o.id, ctx.actor);
          cancelled++;
        } catch (err) {
          notCancelled.push({ orderId: o.id, message: (err as Error).message });
        }
      }
    }
    const p = find(venue, symbol);
    const { previewId, ...opts } = place;
    const order = await entry.place({ ...ticketFor(p, action), ...(previewId ? { previewId } : {}) }, ctx, opts);
    return { order, cancelled, notCancelled };
  };

  return {
    'position.preview': async (i, ctx): Promise<PositionPreview> => {
      const p = find(i.venue, i.symbol);
      const order = ticketFor(p, i.action);
      const preview = await entry.preview(order, ctx);
      return { action: i.action, position: p, order, preview, cancels: i.action === 'flatten' ? workingOf(p).length : 0 };
    },
    'position.close': (i, ctx) => act(i.venue, i.symbol, i.action, ctx, i.previewId ? { previewId: i.previewId } : {}),
    'positions.flatten': async (i, ctx) => {
      const scope = flattenScope(portfolio.positions(i.venue), i.venue);
      if (i.expectCount !== undefined && i.expectCount !== scope.count) {
        throw new TradeportError(
          'preview_stale',
          `You confirmed flattening ${i.expectCount} position(s), but ${scope.count} are open now${scope.venues.length ? ` (on ${scope.venues.join(', ')})` : ''}. Nothing was sent; look again and confirm.`,
          { expected: i.expectCount, count: scope.count, venues: scope.venues },
        );
      }
      const results = [];
      for (const p of scope.positions) {
        const o = closingOrder(p.qty, 'flatten')!;
        const base = { venue: p.venue, symbol: p.symbol, side: o.side, qty: o.qty };
        try {
          // The count-and-venues confirmation stands for the preview of each closing order.
          const r = await act(p.venue, p.instrumentId, 'flatten', ctx, { confirmed: true });
          results.push({
            ...base,
            qty: r.order.qty,
            orderId: r.order.id,
            cancelled: r.cancelled,
            ...(r.notCancelled.length ? { message: `${r.notCancelled.length} working order(s) not cancelled` } : {}),
          });
        } catch (err) {
          results.push({ ...base, cancelled: 0, message: (err as Error).message });
        }
      }
      return { count: scope.count, venues: scope.venues, results };
    },
  };
}
