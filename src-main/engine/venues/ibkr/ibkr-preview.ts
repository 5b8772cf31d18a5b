/**
 * The unified preview from IB's own whatIf answer: commission, margin before and after, equity
 * with loan, plus a roll warning for a future close to expiry, and the account guards
 * (ibkr-account-guards: cash-account settlement, buying power when whatIf is silent, self-trades).
 */
import type { Order as IbOrder } from '@stoqey/ib';
import type { PreviewIssue } from '../../api/commands';
import type { Instrument } from '../../domain/instrument';
import { Decimal, toStr } from '../../domain/money';
import type { Quote } from '../../domain/order';
import { VenueRejectedError, type VenuePreview } from '../venue-port';
import { DEGRADED_MESSAGE } from './ibkr-errors';
import { orderContract, rollAlert } from './ibkr-instruments';
import { IbMappingError, toIbOrder, type IbOrderIntent, type WhatIfNumbers } from './ibkr-mapping';
import type { IbkrOrderViews } from './ibkr-order-views';
import type { IbkrScope } from './ibkr-requests';
import { isTerminal } from '../../domain/order';
import type { VenueFillReport } from '../venue-port';
import { cashFills, ibAccountGuards, isCashAccount } from './ibkr-account-guards';

/** What the account guards read beyond the whatIf: account values as TWS streams them, and its executions. */
export interface IbGuardSources {
  value(key: string): string | undefined;
  fillsSince(ts: number): Promise<VenueFillReport[]>;
}

const WEEK_MS = 7 * 86_400_000;

export class IbkrPreview {
  constructor(
    private readonly k: IbkrScope,
    private readonly orders: IbkrOrderViews,
    private readonly quote: (instrumentId: string) => Quote | undefined,
    private readonly account: IbGuardSources,
  ) {}

  /** Adds the account guards' warnings and violations (a listing of executions only for a cash account). */
  private async guard(inst: Instrument, intent: IbOrderIntent, price: Decimal | undefined, whatIfChecked: boolean, warnings: PreviewIssue[], violations: PreviewIssue[]): Promise<void> {
    const { settings, clock, cache } = this.k;
    const openOrders = [...this.orders.views.values()].filter((v) => !isTerminal(v.status)).map((v) => this.orders.report(v));
    let fills: VenueFillReport[] = [];
    if (isCashAccount(settings.accountKind, this.account.value('AccountType'))) {
      try {
        fills = await this.account.fillsSince(clock.now() - WEEK_MS);
      } catch (e) {
        warnings.push({ code: 'ib.executions_unavailable', message: `IB did not list recent executions (${(e as Error).message}); the settlement check sees only the cash IB reports.` });
      }
    }
    const type = intent.type === 'trailing' ? 'trailing_stop' : intent.type;
    const g = ibAccountGuards(
      {
        inst,
        ticket: { side: intent.side, type, qty: intent.qty, ...(intent.limitPrice !== undefined ? { limitPrice: intent.limitPrice } : {}) },
        price,
        now: clock.now(),
        accountKind: settings.accountKind,
        value: (key) => this.account.value(key),
        openOrders,
        whatIfChecked,
      },
      cashFills(fills, (id) => cache.get(id)?.instrument),
    );
    warnings.push(...g.warnings);
    violations.push(...g.violations);
  }

  async previewIntent(inst: Instrument, intent: IbOrderIntent): Promise<VenuePreview & { whatIf?: WhatIfNumbers }> {
    const { rq, cache } = this.k;
    const warnings: PreviewIssue[] = [];
    const violations: PreviewIssue[] = [];
    const roll = rollAlert(inst, this.k.clock.now(), this.k.settings.rollAlertDays, cache.all());
    if (roll) warnings.push({ code: 'ib.roll', message: roll });
    const q = this.quote(inst.id);
    const qty = new Decimal(intent.qty);
    const mult = new Decimal(inst.multiplier);
    const touch = intent.side === 'buy' ? q?.ask : q?.bid;
    const px = intent.limitPrice ?? (intent.type === 'stop' ? intent.stopPrice : undefined) ?? touch ?? q?.last;
    const price = px ? new Decimal(px) : undefined;
    const notional = price ? qty.mul(price).mul(mult) : undefined;
    const base = (fee: Decimal | undefined, bpBefore: Decimal | undefined, bpAfter: Decimal | undefined, whatIf?: WhatIfNumbers) => {
      const total = notional && fee ? (inst.assetClass === 'future' ? fee : intent.side === 'buy' ? notional.plus(fee) : notional.minus(fee)) : null;
      return {
        estPrice: price ? toStr(price) : null,
        estNotional: notional ? toStr(notional.toDecimalPlaces(2)) : null,
        estFee: fee ? toStr(fee) : null,
        estTotal: total ? toStr(total.toDecimalPlaces(2)) : null,
        currency: inst.quote,
        buyingPowerBefore: bpBefore ? toStr(bpBefore.toDecimalPlaces(2, Decimal.ROUND_DOWN)) : null,
        buyingPowerAfter: bpAfter ? toStr(bpAfter.toDecimalPlaces(2, Decimal.ROUND_DOWN)) : null,
        warnings,
        violations,
        ...(whatIf ? { whatIf } : {}),
      };
    };
    let ibOrder: IbOrder;
    try {
      ibOrder = toIbOrder({ ...intent, clientOrderId: '' }, inst, this.k.account());
    } catch (e) {
      if (!(e instanceof IbMappingError)) throw e;
      violations.push({ code: 'unsupported_order', message: e.message });
      return base(undefined, undefined, undefined);
    }
    if (rq.conn.state === 'degraded') {
      violations.push({ code: 'venue_degraded', message: DEGRADED_MESSAGE });
      return base(undefined, undefined, undefined);
    }
    const s = rq.conn.current;
    const c = cache.get(inst.id);
    if (!s || !c) {
      violations.push({ code: 'venue_unavailable', message: `Interactive Brokers is not connected (${rq.conn.reason}); orders cannot be previewed or placed now.` });
      return base(undefined, undefined, undefined);
    }
    // A whatIf order takes a real order id (burned, never reused) and never becomes a working order.
    const orderId = this.k.ids.take();
    let w: WhatIfNumbers;
    try {
      await rq.send('orderNew', s, (api) => api.placeOrder(orderId, orderContract(c.contract), { ...ibOrder, whatIf: true, orderRef: '' }));
      w = await rq.pending<WhatIfNumbers>(
        s.id,
        5_000,
        () => new Error('TWS did not answer the margin preview in time'),
        (resolve, reject) => {
          this.orders.whatIfs.set(orderId, { resolve, reject });
          return () => this.orders.whatIfs.delete(orderId);
        },
      );
    } catch (e) {
      if (e instanceof VenueRejectedError) violations.push({ code: 'venue_rejected', message: e.message });
      else {
        warnings.push({ code: 'ib.whatif_unavailable', message: `IB's margin preview is unavailable: ${(e as Error).message}. Commission and margin are not shown.` });
        await this.guard(inst, intent, price, false, warnings, violations);
      }
      return base(undefined, undefined, undefined);
    }
    const before = w.equityWithLoanBefore && w.initMarginBefore ? w.equityWithLoanBefore.minus(w.initMarginBefore) : undefined;
    const after = w.equityWithLoanAfter && w.initMarginAfter ? w.equityWithLoanAfter.minus(w.initMarginAfter) : undefined;
    if (w.warningText) warnings.push({ code: 'ib.warning', message: `IB: ${w.warningText}` });
    const m = (d: Decimal | undefined) => (d ? d.toDecimalPlaces(2).toFixed(2) : '—');
    warnings.push({
      code: 'ib.margin',
      message: `IB margin: initial ${m(w.initMarginBefore)} → ${m(w.initMarginAfter)}, maintenance ${m(w.maintMarginBefore)} → ${m(w.maintMarginAfter)}, equity with loan ${m(w.equityWithLoanBefore)} → ${m(w.equityWithLoanAfter)} ${w.commissionCurrency ?? inst.quote}.`,
    });
    if (after && after.lt(0)) {
      violations.push({
        code: 'insufficient_funds',
        message: `IB would not accept this order: initial margin after it (${m(w.initMarginAfter)}) exceeds equity with loan (${m(w.equityWithLoanAfter)}). Reduce the quantity.`,
      });
    }
    await this.guard(inst, intent, price, true, warnings, violations);
    return base(w.commission, before, after, w);
  }
}
