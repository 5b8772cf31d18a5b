/** A single exit leg's cancel, where the venue holds a bracket's exits as one order: refused (with what to do instead), never elsewhere. */
import { expect, it } from 'vitest';
import { legCancelRefusal } from '../../../src-main/engine/oms/brackets';
import { BASIC_CAPABILITIES } from '../../../src-main/engine/domain/order-capabilities';
import type { OrdersRepo, StoredOrder } from '../../../src-main/engine/store/orders-repo';

const entry = { id: 'P1', clientOrderId: 'ENTRY1', venue: 'cb' } as StoredOrder;
const leg = (l: 'take_profit' | 'stop_loss') => ({ id: `C-${l}`, clientOrderId: `X-${l}`, venue: 'cb', parentOrderId: 'P1', leg: l }) as StoredOrder;
const repo = { byId: (id: string) => (id === 'P1' ? entry : undefined) } as unknown as OrdersRepo;
const oneOrder = { ...BASIC_CAPABILITIES, brackets: true, exitsAsOneOrder: true };

it('refuses either leg where the exits are one order, naming the bracket to cancel instead', () => {
  for (const l of ['take_profit', 'stop_loss'] as const) {
    const e = legCancelRefusal(leg(l), oneOrder, repo);
    expect(e?.code).toBe('order_not_cancellable');
    const word = l === 'take_profit' ? 'take-profit' : 'stop-loss';
    expect(e?.message).toBe(
      `On cb the take-profit and stop-loss are one order: cancelling the ${word} alone would cancel both. Choose "Cancel both exits" (the blotter offers it on either leg; or cancel the bracket, order ENTRY1), or modify the leg.`,
    );
  }
});

it('lets the entry, a venue with separate exit orders, and an unknown route cancel as before', () => {
  expect(legCancelRefusal(entry, oneOrder, repo)).toBeUndefined();
  expect(legCancelRefusal(leg('take_profit'), { ...BASIC_CAPABILITIES, brackets: true }, repo)).toBeUndefined();
  expect(legCancelRefusal(leg('stop_loss'), undefined, repo)).toBeUndefined();
});
