/**
 * Alpaca's replaced_by chains, read from Alpaca itself: for a lookup that found a replaced order,
 * and for a cancel whose order was replaced without our knowing (the PATCH answer was lost, or
 * Tradeport stopped before it came). Each link learnt goes into the id map.
 */
import { HttpError } from '../../net/http-client';
import type { Order } from '../../domain/order';
import { VenueRejectedError } from '../venue-port';
import { refuseReplaceIfPartlyFilled } from '../submit-errors';
import type { WireOrder } from './alpaca-mapping';
import type { AlpacaOrderIds } from './alpaca-order-ids';
import type { AlpacaRest } from './alpaca-rest';

export class AlpacaReplacements {
  constructor(
    private readonly rest: Pick<AlpacaRest, 'order' | 'cancel'>,
    private readonly ids: AlpacaOrderIds,
  ) {}

  /** `o`, or the last order in its replaced_by chain. */
  async latest(o: WireOrder): Promise<WireOrder> {
    for (let i = 0; i < 50 && o.replaced_by; i++) {
      this.ids.remember(o);
      o = await this.rest.order(o.replaced_by);
    }
    this.ids.remember(o);
    return o;
  }

  /**
   * The Alpaca order a replace must PATCH, once it is known to have filled nothing. Alpaca makes
   * the replacement a new order for the whole quantity even after a partial fill (reported in
   * alpacahq/Alpaca-API#165, still open), so a replace of a partly filled order could fill again
   * what already filled: it is refused, by Alpaca's own figure read now or the journal's. Every
   * failure here happens before the PATCH, so it is a refusal ("nothing was sent"), never an
   * unknown outcome. Left: a fill landing between this read and the PATCH.
   */
  async beforeReplace(order: Pick<Order, 'clientOrderId' | 'qty' | 'filledQty'>, currentId: () => Promise<string>): Promise<string> {
    let id: string;
    let venueFilled: string;
    try {
      id = await currentId();
      venueFilled = (await this.rest.order(id)).filled_qty || '0';
    } catch (e) {
      if (e instanceof VenueRejectedError) throw e;
      const why = e instanceof Error ? e.message : String(e);
      throw new VenueRejectedError(
        `Alpaca: could not read order ${order.clientOrderId} before changing it (${why}); nothing was sent. Try the change again.`,
        e instanceof HttpError && e.status === 404 ? '404' : 'venue_unavailable',
      );
    }
    refuseReplaceIfPartlyFilled('Alpaca', order, venueFilled, 'Alpaca would make the replacement a new order for the whole quantity, which could fill again what already filled');
    return id;
  }

  /** Cancels `id`; when Alpaca refuses because `id` was replaced, cancels the order now carrying it. */
  async cancel(id: string): Promise<void> {
    try {
      await this.rest.cancel(id);
    } catch (e) {
      if (!(e instanceof HttpError && e.status === 422)) throw e;
      const first = await this.rest.order(id);
      if (!first.replaced_by) throw e;
      await this.rest.cancel((await this.latest(first)).id);
    }
  }
}
