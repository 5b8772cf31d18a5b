/**
 * What every part of the IB connector shares: one pacing limiter, requests bound to the session
 * they were sent on (a session that ends fails them), request ids, and the answer to "may I use
 * the session now" for trading and for queries.
 */
import type { IBApi } from '@stoqey/ib';
import type { RateLimiter } from '../../net/rate-limiter';
import type { Clock } from '../../ports/clock';
import { VenueRejectedError, type VenueListener } from '../venue-port';
import type { IbkrSettings } from './ibkr-config';
import type { IbkrConnection, IbSession } from './ibkr-connection';
import { DEGRADED_MESSAGE } from './ibkr-errors';
import type { IbkrInstrumentCache } from './ibkr-instruments';
import type { IbkrOrderIds } from './ibkr-order-ids';

interface Pending {
  readonly session: number;
  fail(err: Error): void;
}

export type SendGroup = 'message' | 'orderNew' | 'orderCancel';

export class IbkrRequests {
  private reqSeq = 900_000_000;
  private readonly pendings = new Set<Pending>();
  private readonly single = new Map<string, Promise<unknown>>();
  /** Requests (not orders) whose errors TWS reports by request id. */
  readonly byId = new Map<number, { onError(code: number, message: string): void }>();

  constructor(
    readonly conn: IbkrConnection,
    private readonly limiter: RateLimiter,
  ) {}

  failPendings(err: Error): void {
    for (const p of [...this.pendings]) p.fail(err);
  }

  /** A promise tied to one session: it fails when that session ends, or after `timeoutMs`. */
  pending<T>(session: number, timeoutMs: number, timeoutError: () => Error, run: (resolve: (v: T) => void, reject: (e: Error) => void) => () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let cleanup: () => void = () => undefined;
      const entry: Pending = {
        session,
        fail: (e) => done(() => reject(e)),
      };
      const timer = setTimeout(() => entry.fail(timeoutError()), timeoutMs);
      timer.unref?.();
      let settled = false;
      const done = (f: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.pendings.delete(entry);
        cleanup();
        f();
      };
      this.pendings.add(entry);
      // Registered for a session that has already ended: it can never be answered.
      if (this.conn.open?.id !== session) entry.fail(new Error(`connection to TWS lost (${this.conn.reason})`));
      const c = run(
        (v) => done(() => resolve(v)),
        (e) => done(() => reject(e)),
      );
      // run may settle synchronously, before its cleanup is known.
      if (settled) c();
      else cleanup = c;
    });
  }

  /** One in-flight request per key: concurrent callers share it. */
  once<T>(key: string, f: () => Promise<T>): Promise<T> {
    const cur = this.single.get(key) as Promise<T> | undefined;
    if (cur) return cur;
    const p = f().finally(() => this.single.delete(key));
    this.single.set(key, p);
    return p;
  }

  nextReqId(): number {
    return ++this.reqSeq;
  }

  /** Every request to TWS goes out through the pacing limiter, and only on the session it was meant for. */
  async send(group: SendGroup, s: IbSession, f: (api: IBApi) => void): Promise<void> {
    await this.limiter.acquire(group);
    if (this.conn.open !== s) throw new Error('the connection to TWS was lost before the request was sent');
    f(s.api);
  }

  /** The session order entry may use: connected and not degraded. */
  tradingSession(): IbSession {
    if (this.conn.state === 'degraded') throw new VenueRejectedError(DEGRADED_MESSAGE, 'venue_degraded');
    const s = this.conn.current;
    if (!s || this.conn.state !== 'connected') throw new VenueRejectedError(`Interactive Brokers is not connected (${this.conn.reason}); the order was not sent.`, 'venue_unavailable');
    return s;
  }

  /** The session queries may use: connected or degraded (TWS still answers from its own state). */
  querySession(): IbSession {
    const s = this.conn.current;
    if (!s) throw new Error(`Interactive Brokers is not connected (${this.conn.reason}).`);
    return s;
  }

  /** An error for a request id: true when a request was waiting for it. */
  onError(id: number, code: number, message: string): boolean {
    const req = this.byId.get(id);
    if (!req) return false;
    req.onError(code, message);
    return true;
  }
}

/** What the parts of one connector share. */
export interface IbkrScope {
  readonly name: string;
  readonly clock: Clock;
  readonly settings: IbkrSettings;
  readonly rq: IbkrRequests;
  readonly ids: IbkrOrderIds;
  readonly cache: IbkrInstrumentCache;
  /** The engine's listener while started. */
  listener(): VenueListener | undefined;
  /** The IB account this session trades ('' before the first session). */
  account(): string;
}
