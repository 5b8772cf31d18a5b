import { describe, expect, it } from 'vitest';
import type { Preview } from '../../../src-main/engine/api/commands';
import type { Result } from '../../../src-main/engine/api/errors';
import type { Order } from '../../../src-main/engine/domain/order';
import {
  canPlace,
  clear,
  currentKey,
  edit,
  finishPlace,
  finishPreview,
  initialTicket,
  newClientOrderId,
  placeBlock,
  placeLabel,
  PREVIEW_MAX_AGE_MS,
  startPlace,
  startPreview,
  visibleIssues,
  type TicketState,
} from '../../../src-renderer/src/features/ticket/ticket-model';
import { toOrderTicket, validateTicket, type TicketForm } from '../../../src-renderer/src/features/ticket/validation';
import { instrument, order } from './fixtures';

const form = (p: Partial<TicketForm> = {}): TicketForm => ({ venue: 'paper', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '10', limitPrice: '100.25', stopPrice: '', tif: 'day', ...p });
const codes = (f: TicketForm, inst = instrument()) => validateTicket(f, inst).map((i) => `${i.field}:${i.code}`);

describe('validateTicket', () => {
  it('accepts a good limit order', () => {
    expect(codes(form())).toEqual([]);
  });
  it('rejects quantity ≤ 0, NaN and text with specific codes', () => {
    expect(codes(form({ qty: '0' }))).toEqual(['qty:invalid_quantity']);
    expect(codes(form({ qty: '-5' }))).toEqual(['qty:invalid_quantity']);
    expect(codes(form({ qty: 'NaN' }))).toEqual(['qty:invalid_quantity']);
    expect(codes(form({ qty: '1e3' }))).toEqual(['qty:invalid_quantity']);
    expect(codes(form({ qty: '' }))).toEqual(['qty:invalid_quantity']);
  });
  it('rejects too many decimals for the lot, and off-lot quantities', () => {
    expect(codes(form({ qty: '1.5' }))).toEqual(['qty:quantity_too_precise']);
    expect(codes(form({ qty: '1.50' }), instrument({ lotSize: '0.5', minQty: '0.5' }))).toEqual([]);
    expect(codes(form({ qty: '0.7' }), instrument({ lotSize: '0.5', minQty: '0.5' }))).toEqual(['qty:quantity_off_lot']);
    expect(codes(form({ qty: '0.000001' }), instrument({ lotSize: '0.00001', minQty: '0.00001' }))).toEqual(['qty:quantity_too_precise']);
    expect(codes(form({ qty: '0.0001' }), instrument({ lotSize: '0.0001', minQty: '0.001' }))).toEqual(['qty:quantity_below_minimum']);
  });
  it('rejects prices off the tick and suggests the neighbours', () => {
    const issues = validateTicket(form({ limitPrice: '100.005' }), instrument());
    expect(issues.map((i) => i.code)).toEqual(['price_off_tick']);
    expect(issues[0]!.message).toContain('100.00 or 100.01');
    expect(codes(form({ limitPrice: '6000.10' }), instrument({ tickSize: '0.25' }))).toEqual(['limitPrice:price_off_tick']);
    expect(codes(form({ limitPrice: '6000.50' }), instrument({ tickSize: '0.25' }))).toEqual([]);
  });
  it('requires the prices the type needs, and only those', () => {
    expect(codes(form({ limitPrice: '' }))).toEqual(['limitPrice:missing_limit_price']);
    expect(codes(form({ type: 'stop', limitPrice: '' }))).toEqual(['stopPrice:missing_stop_price']);
    expect(codes(form({ type: 'stop_limit', stopPrice: '99', limitPrice: '' }))).toEqual(['limitPrice:missing_limit_price']);
    expect(codes(form({ type: 'market', limitPrice: 'garbage' }))).toEqual([]);
    expect(codes(form({ limitPrice: '0' }))).toEqual(['limitPrice:invalid_price']);
  });
  it('checks only shape when the instrument is unknown (the engine checks the rest)', () => {
    expect(validateTicket(form({ qty: '1.5', limitPrice: '100.005' }), undefined)).toEqual([]);
  });
  it('sends decimals as strings and leaves out prices the type does not use', () => {
    const t = toOrderTicket(form({ type: 'market', limitPrice: '100.25' }), instrument(), 'tp0123456789abcdef');
    expect(t).toEqual({ venue: 'paper', symbol: 'AAPL', side: 'buy', type: 'market', qty: '10', tif: 'day', clientOrderId: 'tp0123456789abcdef' });
  });
});

const preview = (allowed = true): Result<Preview> => ({
  ok: true,
  value: {
    allowed,
    route: 'paper',
    venue: 'paper',
    instrumentId: 'paper:AAPL',
    symbol: 'AAPL',
    side: 'buy',
    type: 'limit',
    qty: '10',
    currency: 'USD',
    estPrice: '100.25',
    estNotional: '1002.5',
    estFee: '2',
    estTotal: '1004.5',
    buyingPowerBefore: '5000',
    buyingPowerAfter: '3995.5',
    bid: '100.2',
    ask: '100.3',
    warnings: [],
    violations: [],
    ts: 1,
  },
});

function previewed(now = 1000, allowed = true): TicketState {
  let s = edit(initialTicket('paper'), form(), instrument());
  s = startPreview(s);
  return finishPreview(s, s.previewSeq, currentKey(s), preview(allowed), 'tp0123456789abcdef', now);
}

describe('ticket model: Place only after a fresh preview', () => {
  it('is disabled until a preview succeeds', () => {
    const s = edit(initialTicket('paper'), form(), instrument());
    expect(placeBlock(s, 0)).toBe('no_preview');
    expect(canPlace(previewed(), 1000)).toBe(true);
  });
  it('any edit invalidates the preview', () => {
    for (const patch of [{ qty: '11' }, { limitPrice: '100.26' }, { side: 'sell' as const }, { type: 'market' as const }, { tif: 'gtc' as const }, { symbol: 'MSFT' }, { venue: 'other' }]) {
      const s = edit(previewed(), patch);
      expect(canPlace(s, 1000), JSON.stringify(patch)).toBe(false);
    }
  });
  it('an edit that changes nothing that would be sent keeps it (e.g. stop price on a limit order)', () => {
    expect(canPlace(edit(previewed(), { stopPrice: '5' }), 1000)).toBe(true);
  });
  it('a preview that is not allowed does not enable Place', () => {
    expect(placeBlock(previewed(1000, false), 1000)).toBe('not_allowed');
  });
  it('a preview expires', () => {
    expect(placeBlock(previewed(1000), 1000 + PREVIEW_MAX_AGE_MS + 1)).toBe('expired');
  });
  it('drops a preview answer for a ticket that was edited meanwhile', () => {
    let s = edit(initialTicket('paper'), form(), instrument());
    s = startPreview(s);
    const key = currentKey(s);
    s = edit(s, { qty: '20' });
    s = finishPreview(s, s.previewSeq, key, preview(), 'tp0123456789abcdef', 1);
    expect(s.preview).toBeUndefined();
    expect(canPlace(s, 1)).toBe(false);
  });
  it('keeps the engine error code and message when preview is refused', () => {
    let s = startPreview(edit(initialTicket('paper'), form(), instrument()));
    s = finishPreview(s, s.previewSeq, currentKey(s), { ok: false, error: { code: 'insufficient_funds', message: 'Needs 1,004.50 USD; 12.00 available.' } }, 'x', 1);
    expect(s.error).toEqual({ stage: 'preview', code: 'insufficient_funds', message: 'Needs 1,004.50 USD; 12.00 available.' });
  });
});

describe('ticket model: one preview, at most one order', () => {
  it('blocks a second place while the first is in flight', () => {
    const s = startPlace(previewed());
    expect(placeBlock(s, 1000)).toBe('in_flight');
    // Edits are refused in flight, so the confirmation always matches the ticket.
    expect(edit(s, { qty: '99' })).toBe(s);
  });
  it('uses the preview up on success: placing again needs a new preview (and id)', () => {
    const s = finishPlace(startPlace(previewed()), { ok: true, value: order({ id: 'o1', clientOrderId: 'tp0123456789abcdef' }) as Order });
    expect(s.placed?.id).toBe('o1');
    expect(canPlace(s, 1000)).toBe(false);
  });
  it('keeps the same client order id after a failed place, so a retry cannot duplicate', () => {
    const s = finishPlace(startPlace(previewed()), { ok: false, error: { code: 'timeout', message: 'may have been placed' } });
    expect(s.preview?.clientOrderId).toBe('tp0123456789abcdef');
    expect(s.error?.code).toBe('timeout');
    expect(canPlace(s, 1000)).toBe(true);
  });
  it('makes a new id per preview, in the engine’s allowed alphabet', () => {
    const a = newClientOrderId();
    const b = newClientOrderId();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{1,18}$/);
  });
});

describe('ticket model: messages and Esc', () => {
  it('shows issues only for typed fields until a preview is attempted', () => {
    const s = edit(initialTicket('paper'), { symbol: 'AAPL', qty: '' }, instrument());
    expect(visibleIssues(s).map((i) => i.code)).toEqual([]);
    expect(visibleIssues(edit(s, { qty: '0' })).map((i) => i.code)).toEqual(['invalid_quantity']);
    expect(visibleIssues({ ...s, attempted: true }).map((i) => i.code)).toEqual(['invalid_quantity', 'missing_limit_price']);
  });
  it('Esc clears amounts and the preview but keeps venue, instrument and side', () => {
    const s = clear(edit(previewed(), { side: 'sell' }));
    expect(s.form).toMatchObject({ venue: 'paper', symbol: 'AAPL', side: 'sell', qty: '', limitPrice: '' });
    expect(s.preview).toBeUndefined();
    expect(s.instrument?.id).toBe('paper:AAPL');
  });
});

describe('ticket model: prices belong to their instrument', () => {
  const msft = instrument({ id: 'paper:MSFT', symbol: 'MSFT', venueSymbol: 'MSFT' });
  const nvda = instrument({ id: 'paper:NVDA', symbol: 'NVDA', venueSymbol: 'NVDA' });
  const priced = (): TicketState => {
    let s = edit(initialTicket('paper'), { symbol: 'MSFT' }, msft);
    s = edit(s, { qty: '5', limitPrice: '418.00', stopPrice: '410', takeProfit: '430', stopLoss: '400', stopLossLimit: '399', trailAmount: '2' });
    return s;
  };
  it('picking another instrument clears every price and keeps the quantity, side and type', () => {
    let s = priced();
    s = edit(s, { symbol: 'NVD' }); // retyping detaches the instrument first
    s = edit(s, { symbol: 'NVDA' }, nvda);
    expect(s.instrument?.id).toBe('paper:NVDA');
    expect([s.form.limitPrice, s.form.stopPrice, s.form.takeProfit, s.form.stopLoss, s.form.stopLossLimit, s.form.trailAmount]).toEqual(['', '', '', '', '', '']);
    expect([s.form.qty, s.form.side, s.form.type]).toEqual(['5', 'buy', 'limit']);
  });
  it('picking the same instrument again keeps the prices', () => {
    let s = priced();
    s = edit(s, { symbol: 'MSF' });
    s = edit(s, { symbol: 'MSFT' }, msft);
    expect(s.form.limitPrice).toBe('418.00');
  });
  it('a price typed after retyping the symbol belongs to the new symbol and is kept when it resolves', () => {
    let s = priced();
    s = edit(s, { symbol: 'NVDA' }); // typed, not picked
    s = edit(s, { limitPrice: '180.50' });
    s = edit(s, { symbol: 'NVDA' }, nvda); // Enter resolves the typed symbol
    expect(s.form.limitPrice).toBe('180.50');
    expect([s.form.stopPrice, s.form.takeProfit, s.form.stopLoss]).toEqual(['', '', '']); // still MSFT's: cleared
  });
  it('a price typed before the first pick is kept (it was typed for that pick)', () => {
    let s = edit(initialTicket('paper'), { limitPrice: '180.5' });
    s = edit(s, { symbol: 'NVDA' }, nvda);
    expect(s.form.limitPrice).toBe('180.5');
  });
});

describe('ticket model: the Place button never echoes invalid input', () => {
  it('shows side, quantity and the picked symbol when they are valid', () => {
    expect(placeLabel(form({ qty: ' 10 ' }), instrument())).toBe('Buy 10 AAPL');
    expect(placeLabel(form({ side: 'sell', qty: '0.5' }), instrument())).toBe('Sell 0.5 AAPL');
  });
  it('leaves out a quantity that is not a positive number, and a symbol not picked', () => {
    expect(placeLabel(form({ qty: 'abc' }), instrument())).toBe('Buy AAPL');
    expect(placeLabel(form({ qty: '-5' }), instrument())).toBe('Buy AAPL');
    expect(placeLabel(form({ qty: '0' }), instrument())).toBe('Buy AAPL');
    expect(placeLabel(form({ qty: '1e3', symbol: 'ZZZ9' }), undefined)).toBe('Buy');
  });
});
