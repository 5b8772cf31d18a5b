/**
 * Alpaca's replaced_by chains, read from Alpaca itself: for a lookup that found a replaced order,
 * and for a cancel whose order was replaced without our knowing (the PATCH answer was lost, or
 * Tradeport stopped before it came). Each link learnt goes into the id map.
 */
import { HttpError } from '../../net/http-client';
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
