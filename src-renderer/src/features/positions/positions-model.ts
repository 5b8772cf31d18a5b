/**
 * What the positions view says and asks before it acts, as pure functions: the buttons on a row,
 * the line that states the closing order, the flatten-all question (count and venues), and the
 * close dialog's steps (preview → confirm → placed, or refused).
 */
import type { PositionCloseResult, PositionPreview } from '../../../../src-main/engine/api/commands';
import type { Order, Position } from '../../../../src-main/engine/domain/order';
import { isWorking } from '../../../../src-main/engine/domain/order';
import { closingOrder, flattenQuestion, flattenScope, type PositionAction } from '../../../../src-main/engine/domain/position-close';

export const ACTION_LABEL: Record<PositionAction, string> = { close: 'Close', reverse: 'Reverse', flatten: 'Flatten' };

/** A row's actions, each with its order in words ("Sell 10 at market"). */
export function rowActions(p: Position, working: number): Array<{ action: PositionAction; label: string; title: string }> {
  const out: Array<{ action: PositionAction; label: string; title: string }> = [];
  for (const action of ['close', 'reverse', 'flatten'] as const) {
    const o = closingOrder(p.qty, action);
    if (!o) continue;
    const cancels = action === 'flatten' && working > 0 ? `cancel ${working} working order${working === 1 ? '' : 's'}, then ` : '';
    out.push({ action, label: ACTION_LABEL[action], title: `${ACTION_LABEL[action]} ${p.symbol}: ${cancels}${o.side} ${o.qty} at market (preview first)` });
  }
  return out;
}

/** Working orders of the position's instrument on its venue. */
export function workingFor(p: Pick<Position, 'venue' | 'instrumentId'>, orders: Readonly<Record<string, Order>>): number {
  let n = 0;
  for (const o of Object.values(orders)) if (o.venue === p.venue && o.instrumentId === p.instrumentId && isWorking(o.status)) n++;
  return n;
}

/** "Close AAPL on paper: SELL 10 at market (position +10 → 0)". */
export function closeLine(pv: Pick<PositionPreview, 'action' | 'position' | 'order' | 'cancels'>): string {
  const q = pv.position.qty;
  const signed = q.startsWith('-') ? q : `+${q}`;
  const after = pv.action === 'reverse' ? (q.startsWith('-') ? q.slice(1) : `-${q}`) : '0';
  const cancels = pv.cancels > 0 ? ` after cancelling ${pv.cancels} working order${pv.cancels === 1 ? '' : 's'}` : '';
  return `${ACTION_LABEL[pv.action]} ${pv.position.symbol} on ${pv.position.venue}: ${pv.order.side.toUpperCase()} ${pv.order.qty} at market${cancels} (position ${signed} → ${after})`;
}

export interface FlattenAllAsk {
  readonly count: number;
  readonly venues: readonly string[];
  readonly question: string;
  /** Sent as is: the engine refuses if the count no longer holds. */
  readonly input: { readonly venue?: string; readonly expectCount: number; readonly confirm: true };
}

export function flattenAllAsk(positions: readonly Position[], venue?: string): FlattenAllAsk | null {
  const s = flattenScope(positions, venue);
  if (s.count === 0) return null;
  return { count: s.count, venues: s.venues, question: flattenQuestion(s), input: { ...(venue ? { venue } : {}), expectCount: s.count, confirm: true } };
}

// ── the close dialog ────────────────────────────────────────────────────────────────────────────

export type CloseFlow =
  | { readonly step: 'previewing'; readonly action: PositionAction }
  | { readonly step: 'ready'; readonly pv: PositionPreview }
  | { readonly step: 'placing'; readonly pv: PositionPreview }
  | { readonly step: 'placed'; readonly pv: PositionPreview; readonly result: PositionCloseResult }
  | { readonly step: 'refused'; readonly pv?: PositionPreview; readonly message: string };

export type CloseEvent =
  | { readonly type: 'previewed'; readonly pv: PositionPreview }
  | { readonly type: 'confirm' }
  | { readonly type: 'placed'; readonly result: PositionCloseResult }
  | { readonly type: 'failed'; readonly code: string; readonly message: string };

export function closeFlow(s: CloseFlow, e: CloseEvent): CloseFlow {
  switch (e.type) {
    case 'previewed':
      return s.step === 'previewing' ? { step: 'ready', pv: e.pv } : s;
    case 'confirm':
      // Only an allowed preview can be confirmed: a blocked one shows why and stays.
      return s.step === 'ready' && s.pv.preview.allowed ? { step: 'placing', pv: s.pv } : s;
    case 'placed':
      return s.step === 'placing' ? { step: 'placed', pv: s.pv, result: e.result } : s;
    case 'failed':
      return { step: 'refused', ...('pv' in s && s.pv ? { pv: s.pv } : {}), message: `${e.code}: ${e.message}` };
  }
}

/** Confirm is offered only on an allowed preview that is not yet being placed. */
export const canConfirm = (s: CloseFlow): boolean => s.step === 'ready' && s.pv.preview.allowed;
