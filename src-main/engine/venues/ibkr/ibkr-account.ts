/**
 * The IB account this venue trades: which one (claimed before anything is reported, one account
 * one venue), its positions, its cash balance and the account values TWS streams.
 */
import { EventName, type Contract } from '@stoqey/ib';
import { Decimal, toStr, ZERO } from '../../domain/money';
import type { Balance, Position } from '../../domain/order';
import type { VenueAccountFigures, VenueContext } from '../venue-port';
import type { IbSession } from './ibkr-connection';
import { symbolOfContract, wireDecimal } from './ibkr-instruments';
import type { IbkrScope } from './ibkr-requests';

type AccountValues = Map<string, { value: string; currency: string }>;

export class IbkrAccount {
  /** The account this session trades ('' before the first session). */
  id = '';
  /** Set when another venue already trades this account: this one stays stopped, in error. */
  conflict = '';
  private readonly positionsNow = new Map<string, Position>();
  private positionsCollect: Map<string, Position> | undefined;
  private readonly values: AccountValues = new Map();
  private summaryCollect: AccountValues | undefined;

  constructor(
    private readonly k: IbkrScope,
    private readonly claimAccount: VenueContext['claimAccount'],
    /** A conId the instrument cache lacks: looked up in the background. */
    private readonly describe: (conId: number) => void,
  ) {}

  /**
   * Picks the account for a new session and claims it before any position or balance is reported
   * (a second venue on the same account would double them). Throws when another venue holds it;
   * returns the problem to show when the configured account is not one this TWS manages.
   */
  claim(s: IbSession, stop: () => void): string {
    const configured = this.k.settings.account;
    this.id = configured || s.accounts[0] || '';
    const holder = this.id ? this.claimAccount?.(this.id) : undefined;
    if (holder) {
      this.conflict = `IB account ${this.id} is already traded by venue "${holder}" — one account, one venue: remove "${this.k.name}" (its positions, cash and risk would count twice)`;
      stop();
      throw new Error(this.conflict);
    }
    return configured && s.accounts.length > 0 && !s.accounts.includes(configured) ? `account ${configured} is not managed by this TWS (it manages ${s.accounts.join(', ')})` : '';
  }

  private positionOf(contract: Contract, pos: number, avgCost: number | undefined): Position | undefined {
    if (!contract.conId) return undefined;
    const id = `${this.k.name}:${contract.conId}`;
    const inst = this.k.cache.byConId(contract.conId)?.instrument;
    const mult = inst ? new Decimal(inst.multiplier) : (wireDecimal(typeof contract.multiplier === 'number' ? contract.multiplier : Number(contract.multiplier || 1)) ?? new Decimal(1));
    const cost = wireDecimal(avgCost) ?? ZERO;
    // IB's avgCost is per contract, multiplier included (and commissions folded in for stocks).
    const avg = mult.gt(0) ? cost.div(mult) : cost;
    return {
      venue: this.k.name,
      instrumentId: id,
      symbol: inst?.symbol ?? symbolOfContract(contract) ?? contract.localSymbol ?? String(contract.conId),
      qty: toStr(wireDecimal(pos) ?? ZERO),
      avgPrice: toStr(avg.toDecimalPlaces(8)),
      realizedPnl: '0',
    };
  }

  onPosition(account: string, contract: Contract, pos: number, avgCost?: number): void {
    if (this.id && account && account !== this.id) return;
    const p = this.positionOf(contract, pos, avgCost);
    if (!p) return;
    if (this.positionsCollect) this.positionsCollect.set(p.instrumentId, p);
    const prev = this.positionsNow.get(p.instrumentId);
    if (new Decimal(p.qty).isZero()) this.positionsNow.delete(p.instrumentId);
    else this.positionsNow.set(p.instrumentId, p);
    if (!prev || prev.qty !== p.qty || prev.avgPrice !== p.avgPrice) this.k.listener()?.position(p);
    if (contract.conId) this.describe(contract.conId);
  }

  onAccountValue(key: string, value: string, currency: string, account: string, stream: boolean): void {
    if (this.id && account && account !== this.id) return;
    if (!stream && this.summaryCollect) this.summaryCollect.set(key, { value, currency });
    const prev = this.values.get(key);
    this.values.set(key, { value, currency });
    if (stream && (key === 'TotalCashValue' || key === 'AvailableFunds') && prev?.value !== value) {
      const b = this.balanceFrom(this.values);
      if (b) this.k.listener()?.balance(b);
    }
  }

  private balanceFrom(values: AccountValues): Balance | undefined {
    const cash = values.get('TotalCashValue');
    if (!cash) return undefined;
    const d = (t: string) => new Decimal(t.trim() === '' ? '0' : t);
    const total = d(cash.value);
    // AvailableFunds is margin (equity with loan minus initial margin), not cash: it counts the
    // stocks held and can exceed the cash. The cash balance can never have more available than it
    // holds; what margin adds is buying power (accountSummary).
    const funds = values.get('AvailableFunds');
    const available = funds ? Decimal.min(total, d(funds.value)) : total;
    return { venue: this.k.name, asset: cash.currency || 'USD', total: toStr(total), available: toStr(available) };
  }

  refreshPositions(s: IbSession): Promise<Position[]> {
    const { rq } = this.k;
    return rq.once('positions', () =>
      rq.pending<Position[]>(
        s.id,
        15_000,
        () => new Error('TWS did not finish listing positions'),
        (resolve) => {
          const collect = new Map<string, Position>();
          this.positionsCollect = collect;
          const end = () => {
            // Positions TWS no longer lists are closed.
            for (const id of [...this.positionsNow.keys()]) {
              if (!collect.has(id)) {
                const p = this.positionsNow.get(id)!;
                this.positionsNow.delete(id);
                this.k.listener()?.position({ ...p, qty: '0' });
              }
            }
            resolve([...collect.values()].filter((p) => !new Decimal(p.qty).isZero()));
          };
          s.api.once(EventName.positionEnd, end);
          rq.send('message', s, (api) => api.reqPositions()).catch(() => undefined);
          return () => {
            s.api.off(EventName.positionEnd, end);
            if (this.positionsCollect === collect) this.positionsCollect = undefined;
          };
        },
      ),
    );
  }

  async balances(): Promise<Balance[]> {
    const { rq } = this.k;
    const s = rq.querySession();
    const reqId = rq.nextReqId();
    const values = await rq.pending<AccountValues>(
      s.id,
      15_000,
      () => new Error('TWS did not answer the account summary'),
      (resolve, reject) => {
        const collect: AccountValues = new Map();
        this.summaryCollect = collect;
        const onEnd = (id: number) => id === reqId && resolve(collect);
        s.api.on(EventName.accountSummaryEnd, onEnd);
        rq.byId.set(reqId, { onError: (code, message) => reject(new Error(`${message} (${code})`)) });
        rq.send('message', s, (api) => api.reqAccountSummary(reqId, 'All', 'TotalCashValue,AvailableFunds,NetLiquidation,BuyingPower,EquityWithLoanValue,InitMarginReq,MaintMarginReq')).catch(reject);
        return () => {
          s.api.off(EventName.accountSummaryEnd, onEnd);
          rq.byId.delete(reqId);
          if (this.summaryCollect === collect) this.summaryCollect = undefined;
        };
      },
    );
    void rq.send('message', s, (api) => api.cancelAccountSummary(reqId)).catch(() => undefined);
    const b = this.balanceFrom(values);
    return b ? [b] : [];
  }

  /** NetLiquidation and BuyingPower as TWS streams them for the account (reqAccountUpdates). */
  figures(): VenueAccountFigures | undefined {
    const net = this.values.get('NetLiquidation');
    const bp = this.values.get('BuyingPower');
    const ok = (v: { value: string } | undefined) => v !== undefined && v.value.trim() !== '' && Number.isFinite(Number(v.value));
    if (!ok(net) && !ok(bp)) return undefined;
    return {
      currency: (net ?? bp)!.currency || 'USD',
      ...(ok(net) ? { netLiquidation: toStr(new Decimal(net!.value)) } : {}),
      ...(ok(bp) ? { buyingPower: toStr(new Decimal(bp!.value)) } : {}),
    };
  }

  /** Latest account value (NetLiquidation, BuyingPower, …) as TWS streams it. */
  value(key: string): string | undefined {
    return this.values.get(key)?.value;
  }
}
