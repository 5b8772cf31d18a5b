/**
 * The unified preview from tastytrade's `dry-run`: the buying-power effect, the fees, and the
 * venue's warnings and errors (errors are violations: a dry-run answers 201 with them), plus
 * local checks (a future near expiry gets the roll alert).
 */
import Decimal from 'decimal.js';
import type { Instrument } from '../../domain/instrument';
import type { NormalizedTicket } from '../../domain/order-validation';
import type { PreviewIssue } from '../../api/commands';
import type { VenuePreview } from '../venue-port';
import type { TtDryRun, TtIssue } from './tastytrade-parsers';

const issue = (i: TtIssue, fallback: string): PreviewIssue => ({ code: i.code ?? fallback, message: `tastytrade: ${i.message ?? i.reason ?? i.code ?? fallback}` });
const signed = (v: string | null | undefined, effect: string | null | undefined): string | null => (v == null ? null : effect === 'Debit' ? new Decimal(v).neg().toString() : v);

/** `dryFailure`: the dry-run itself failed — refused by the venue (a violation) or unanswered (a warning: the venue's view is missing). */
export function tastytradePreview(
  inst: Instrument,
  t: NormalizedTicket,
  dry: TtDryRun | undefined,
  dryFailure: { refused: boolean; message: string } | undefined,
  local: readonly PreviewIssue[],
): VenuePreview {
  const bp = dry?.['buying-power-effect'];
  const fee = dry?.['fee-calculation']?.['total-fees'] ?? null;
  const price = t.limitPrice ?? t.stopPrice ?? dry?.order?.price ?? null;
  const notional = t.notional ?? (price ? new Decimal(price).mul(t.qty).mul(inst.multiplier).toString() : null);
  const total = notional && fee ? (t.side === 'buy' ? new Decimal(notional).add(fee) : new Decimal(notional).sub(fee)).toString() : notional;
  const violations = [...(dry?.errors ?? []).map((e) => issue(e, 'venue_error'))];
  if (dryFailure?.refused) violations.push({ code: 'dry_run_refused', message: dryFailure.message });
  const unanswered =
    dryFailure && !dryFailure.refused ? [{ code: 'dry_run_unavailable', message: `tastytrade's dry-run did not answer (${dryFailure.message}); buying power and fees are not confirmed.` }] : [];
  return {
    estPrice: price,
    estNotional: notional,
    estFee: fee,
    estTotal: total,
    currency: inst.quote,
    buyingPowerBefore: bp?.['current-buying-power'] ?? null,
    buyingPowerAfter: signed(bp?.['new-buying-power'], bp?.['new-buying-power-effect']),
    warnings: [...(dry?.warnings ?? []).map((w) => issue(w, 'venue_warning')), ...unanswered, ...local],
    violations,
  };
}
