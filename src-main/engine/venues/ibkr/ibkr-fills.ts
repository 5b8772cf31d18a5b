/**
 * Executions at IB: a fill is reported once both halves have arrived (execDetails and its
 * commissionReport), never twice, and never with a fee it does not know yet. `fillsSince` asks
 * TWS for executions after a time (reconciliation's way to find fills missed while away).
 */
import { EventName, type CommissionReport, type Contract, type Execution } from '@stoqey/ib';
import { toStr, ZERO } from '../../domain/money';
import type { VenueFillReport } from '../venue-port';
import { wireDecimal } from './ibkr-instruments';
import { ibFilterTime, parseIbTime } from './ibkr-mapping';
import type { IbkrOrderViews } from './ibkr-order-views';
import type { IbkrScope } from './ibkr-requests';
import { SeenIds, trimOldest } from '../seen-ids';

/** Executions remembered (records, commissions, ids sent): the newest this many; TWS lists older ones again on reqExecutions. */
const KEPT = 50_000;

interface ExecRecord {
  readonly contract: Contract;
  readonly execution: Execution;
  streamed: boolean;
}

export class IbkrFills {
  private readonly execs = new Map<string, ExecRecord>();
  private readonly commissions = new Map<string, CommissionReport>();
  private readonly emitted = new SeenIds(KEPT);
  private readonly collectors = new Map<number, string[]>();

  constructor(
    private readonly k: IbkrScope,
    private readonly views: IbkrOrderViews,
  ) {}

  onExec(reqId: number, contract: Contract, execution: Execution): void {
    const execId = execution.execId;
    if (!execId) return;
    const known = this.execs.get(execId);
    this.execs.set(execId, { contract, execution, streamed: (known?.streamed ?? false) || reqId === -1 });
    trimOldest(this.execs, KEPT);
    if (reqId !== -1) this.collectors.get(reqId)?.push(execId);
    else this.tryEmit(execId);
  }

  onCommission(r: CommissionReport): void {
    if (!r.execId) return;
    this.commissions.set(r.execId, r);
    trimOldest(this.commissions, KEPT);
    this.tryEmit(r.execId);
  }

  /** A fill goes to the engine once both halves (execDetails, commissionReport) are in. */
  private tryEmit(execId: string): void {
    const e = this.execs.get(execId);
    if (!e?.streamed || this.emitted.has(execId)) return;
    const f = this.fillOf(execId);
    if (!f) return;
    this.emitted.add(execId);
    this.k.listener()?.fill(f);
  }

  private fillOf(execId: string): VenueFillReport | undefined {
    const e = this.execs.get(execId);
    const c = this.commissions.get(execId);
    if (!e || !c) return undefined;
    const x = e.execution;
    const qty = wireDecimal(x.shares);
    const price = wireDecimal(x.price);
    if (!qty || !price) return undefined;
    const row = this.views.ourRow(x.orderId ?? 0, x.clientId ?? 0, x.orderRef);
    const venueOrderId = row ? String(x.orderId) : `p${x.permId ?? 0}`;
    const liq = Number(x.lastLiquidity ?? 0);
    return {
      clientOrderId: row ? row.clientOrderId : `ext-${this.k.name}-${venueOrderId}`,
      venueOrderId,
      venueFillId: execId,
      instrumentId: `${this.k.name}:${e.contract.conId}`,
      side: String(x.side).toUpperCase() === 'BOT' ? 'buy' : 'sell',
      qty: toStr(qty),
      price: toStr(price),
      fee: toStr(wireDecimal(c.commission) ?? ZERO),
      feeCurrency: c.currency || e.contract.currency || 'USD',
      // IB lastLiquidity: 1 added liquidity, 2 removed, 3 routed out.
      liquidity: liq === 1 ? 'maker' : 'taker',
      ts: parseIbTime(x.time) ?? this.k.clock.now(),
      raw: { execId, orderId: x.orderId, permId: x.permId, clientId: x.clientId, exchange: x.exchange, orderRef: x.orderRef },
    };
  }

  async since(sinceTs: number): Promise<VenueFillReport[]> {
    const { rq } = this.k;
    const s = rq.querySession();
    const reqId = rq.nextReqId();
    const execIds = await rq.pending<string[]>(
      s.id,
      15_000,
      () => new Error('TWS did not finish listing executions'),
      (resolve, reject) => {
        const ids: string[] = [];
        this.collectors.set(reqId, ids);
        const onEnd = (id: number) => id === reqId && resolve(ids);
        s.api.on(EventName.execDetailsEnd, onEnd);
        rq.byId.set(reqId, { onError: (code, message) => reject(new Error(`${message} (${code})`)) });
        rq.send('message', s, (api) => api.reqExecutions(reqId, { clientId: '0', acctCode: this.k.account(), time: ibFilterTime(sinceTs) })).catch(reject);
        return () => {
          s.api.off(EventName.execDetailsEnd, onEnd);
          this.collectors.delete(reqId);
          rq.byId.delete(reqId);
        };
      },
    );
    const floor = Math.floor(sinceTs / 1000) * 1000;
    const out: VenueFillReport[] = [];
    for (const id of execIds) {
      // A fill without its commission report is left for the next pass (it is never sent twice with fee 0).
      const f = this.fillOf(id);
      if (f && f.ts >= floor) out.push(f);
    }
    return out;
  }
}
