/**
 * The blotter's commands: order entry (preview, place, modify, cancel) and the lists of orders,
 * fills, positions and balances. New orders and modifies go through oms/order-entry.ts; cancels
 * go straight to the OMS (a cancel is never refused by risk or the kill switch).
 */
import type { EngineEvent } from '../api/events';
import { TradeportError } from '../api/errors';
import type { CommandHandlers } from '../api/engine-api';
import { cancelWithChildren, legCancelRefusal } from '../oms/brackets';
import type { OrderEntry } from '../oms/order-entry';
import type { OrderManager } from '../oms/order-manager';
import { withMark } from '../portfolio/marks';
import type { Clock } from '../ports/clock';
import type { OrdersRepo, StoredOrder } from '../store/orders-repo';
import { LARGE_SWEEP, settleWithin, startAllYielding } from '../ports/settle-within';
import type { PortfolioRepo } from '../store/portfolio-repo';
import type { VenueManager } from '../venues/venue-manager';

export interface OrderCommandsDeps {
  readonly entry: OrderEntry;
  readonly oms: OrderManager;
  readonly orders: OrdersRepo;
  readonly portfolio: PortfolioRepo;
  readonly venues: Pick<VenueManager, 'get'>;
  readonly clock: Clock;
  readonly emit: (e: EngineEvent) => void;
  /** Refuses new orders and modifies while the journal cannot be written (disk full, read-only). */
  readonly assertWritable?: () => void;
  /** Work that goes on after the answer (a large cancel-all); see background-tasks.ts. */
  readonly track?: (p: Promise<unknown>) => void;
  /** Whether one-click is armed on a venue (account) now; a one-click place is refused otherwise. */
  readonly oneClickArmed?: (venue: string) => boolean;
  /** A cancel-all answers after this long even if cancels are still running (default 1 s). */
  readonly answerWithinMs?: number;
}

type OrderCommand = 'order.preview' | 'order.place' | 'order.cancel' | 'order.replace' | 'order.cancelAll' | 'orders.list' | 'orders.page' | 'fills.list' | 'positions.list' | 'balances.list';

export function orderCommands(d: OrderCommandsDeps): Pick<CommandHandlers, OrderCommand> {
  const { entry, oms, orders, portfolio, venues, clock, emit } = d;
  return {
    'order.preview': (i, ctx) => entry.preview(i, ctx),
    'order.place': (i, ctx) => {
      d.assertWritable?.();
      const { oneClick, ...ticket } = i;
      if (!oneClick) return entry.place(ticket, ctx);
      const armed = () => {
        if (!d.oneClickArmed?.(i.venue))
          throw new TradeportError('forbidden', `One-click is not armed on ${i.venue}: the order was not sent. Arm one-click on the ladder, or place it from the ticket.`);
      };
      armed();
      return entry.place(ticket, ctx, { admit: armed });
    },
    'order.cancel': (i, ctx) => {
      const o = entry.findOrder(i.id, i.venue);
      const refusal = legCancelRefusal(o, o.route === 'live' ? venues.get(o.venue)?.capabilities?.() : undefined, orders);
      if (refusal) throw refusal;
      // A bracket entry takes its working children with it (oms/brackets.ts).
      return cancelWithChildren(
        orders,
        (id) => oms.cancel(id, ctx.actor),
        o.id,
        (child, err) =>
          emit({
            type: 'notice',
            level: 'warn',
            ts: clock.now(),
            message: `Cancelled ${o.clientOrderId}, but its ${child.leg ?? 'child'} order ${child.clientOrderId} could not be cancelled: ${err.message}`,
          }),
      );
    },
    'order.replace': (i, ctx) => {
      d.assertWritable?.();
      return entry.replace(i, ctx);
    },
    'order.cancelAll': async (i, ctx) => {
      const working = orders.list({ workingOnly: true, limit: 100_000, ...(i.venue ? { venue: i.venue } : {}) }).filter((o) => o.status !== 'pending_cancel' && o.status !== 'pending_submit');
      const done: StoredOrder[] = [];
      let answered = 0;
      let failed = 0;
      const report = (finished: boolean) => emit({ type: 'cancelProgress', op: 'cancelAll', total: working.length, done: answered, failed, finished });
      const all = startAllYielding(working, async (o) => {
        try {
          done.push(await oms.cancel(o.id, ctx.actor));
        } catch {
          failed++;
        }
        if (++answered % 100 === 0) report(false);
      }).then(() => report(true));
      // Thousands of cancels answer at once with what is done so far; the rest reports as events.
      const settled = await settleWithin(
        all.then(() => true),
        working.length > LARGE_SWEEP ? 0 : (d.answerWithinMs ?? 1000),
      );
      if (!settled && d.track) {
        d.track(all);
        return { requested: working.length, orders: [...done], pending: working.length - answered };
      }
      await all;
      return { requested: working.length, orders: done };
    },
    'orders.list': (i) => orders.list({ workingOnly: !i.all, limit: i.limit, ...(i.venue ? { venue: i.venue } : {}) }),
    'orders.page': (i) => {
      const filter = { workingOnly: !i.all, ...(i.venue ? { venue: i.venue } : {}) };
      const page = orders.list({ ...filter, limit: i.limit, offset: i.offset });
      const total = orders.count(filter);
      return { orders: page, total, offset: i.offset, limit: i.limit, more: i.offset + page.length < total };
    },
    'fills.list': (i) => orders.fills({ limit: i.limit, ...(i.venue ? { venue: i.venue } : {}) }),
    'positions.list': (i) => portfolio.positions(i.venue).map((p) => withMark(venues, p)),
    'balances.list': (i) => portfolio.balances(i.venue),
  };
}
