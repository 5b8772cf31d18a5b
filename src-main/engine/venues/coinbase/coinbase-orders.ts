/**
 * Coinbase has no lookup by client order id and no cancel-all: this finds an order by our client
 * id (remembered ids first, else historical orders page by page, newest first, within a bound on
 * pages and time), and cancels through `batch_cancel` in chunks, reading each order's own
 * `success` / `failure_reason`.
 */
import { HttpError } from '../../net/http-client';
import type { WireOrder } from './coinbase-mapping';
import type { CoinbaseRest, WireCancelResult } from './coinbase-rest';

/** Coinbase takes at most 100 order ids per batch_cancel. */
export const CANCEL_CHUNK = 100;

export interface LookupBound {
  readonly maxPages: number;
  readonly maxMs: number;
}

export interface CancelOutcome {
  readonly cancelled: readonly string[];
  readonly failed: ReadonlyArray<{ readonly venueOrderId: string; readonly reason: string }>;
}

export function chunks<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

export function readCancel(results: readonly WireCancelResult[]): CancelOutcome {
  return {
    cancelled: results.filter((r) => r.success).map((r) => r.order_id),
    failed: results.filter((r) => !r.success).map((r) => ({ venueOrderId: r.order_id, reason: r.failure_reason ?? 'UNKNOWN_CANCEL_FAILURE_REASON' })),
  };
}

export class CoinbaseOrders {
  /** Our client id → Coinbase order id, as Coinbase told us (acks, stream, lists). */
  private readonly ids = new Map<string, string>();
  private readonly cids = new Map<string, string>();

  constructor(
    private readonly rest: Pick<CoinbaseRest, 'order' | 'history' | 'batchCancel'>,
    private readonly now: () => number,
    private readonly bound: LookupBound = { maxPages: 20, maxMs: 20_000 },
  ) {}

  remember(cid: string, orderId: string): void {
    if (cid === '') return;
    this.ids.set(cid, orderId);
    this.cids.set(orderId, cid);
  }

  orderIdOf(cid: string): string | undefined {
    return this.ids.get(cid);
  }

  cidOf(orderId: string): string | undefined {
    return this.cids.get(orderId);
  }

  /** The order Coinbase holds under our client id, or undefined when none was found within the bound. */
  async find(cid: string): Promise<WireOrder | undefined> {
    const known = this.ids.get(cid);
    if (known) {
      try {
        return await this.rest.order(known);
      } catch (e) {
        if (!(e instanceof HttpError && e.status === 404)) throw e;
      }
    }
    const until = this.now() + this.bound.maxMs;
    let hit: WireOrder | undefined;
    const seen = await this.rest.history(this.bound.maxPages, (xs) => {
      hit = xs.find((o) => o.client_order_id === cid);
      return hit !== undefined || this.now() > until;
    });
    for (const o of seen) this.remember(o.client_order_id, o.order_id);
    return hit;
  }

  /** batch_cancel in chunks of CANCEL_CHUNK; each order's own answer. */
  async cancel(orderIds: readonly string[]): Promise<CancelOutcome> {
    const cancelled: string[] = [];
    const failed: Array<{ venueOrderId: string; reason: string }> = [];
    for (const c of chunks(orderIds, CANCEL_CHUNK)) {
      const r = readCancel(await this.rest.batchCancel(c));
      cancelled.push(...r.cancelled);
      failed.push(...r.failed);
    }
    return { cancelled, failed };
  }
}
