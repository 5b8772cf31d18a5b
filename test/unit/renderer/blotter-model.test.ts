import { describe, expect, it } from 'vitest';
import { bothExitsCancel, cancelAllSummary, cancelsBothExits, groupBrackets, isHeldExit } from '../../../src-renderer/src/features/blotter/blotter-model';
import { BASIC_CAPABILITIES } from '../../../src-main/engine/domain/order-capabilities';
import { order } from './fixtures';

const entry = order({ id: 'e', status: 'accepted', createdAt: 10, venue: 'paper' });
const tp = order({ id: 'tp', status: 'accepted', createdAt: 10, venue: 'paper', side: 'sell', parentOrderId: 'e', leg: 'take_profit' });
const sl = order({ id: 'sl', status: 'accepted', createdAt: 10, venue: 'paper', side: 'sell', type: 'stop', stopPrice: '90', parentOrderId: 'e', leg: 'stop_loss' });
const other = order({ id: 'o', status: 'accepted', createdAt: 20, venue: 'ib' });

describe('groupBrackets: bracket exits under their entry', () => {
  it('in the order history too; an exit that no longer works is not held', () => {
    const cancelledEntry = { ...entry, status: 'cancelled' as const };
    const cancelledTp = { ...tp, status: 'cancelled' as const };
    const lines = groupBrackets([cancelledTp, other, cancelledEntry], { e: cancelledEntry, tp: cancelledTp, o: other });
    expect(lines.map((l) => [l.order.id, l.child, l.held])).toEqual([
      ['o', false, false],
      ['e', false, false],
      ['tp', true, false],
    ]);
  });
  it('lists each exit right under its entry, take-profit first, held while the entry has not filled', () => {
    const lines = groupBrackets([other, sl, tp, entry], { e: entry, tp, sl, o: other });
    expect(lines.map((l) => [l.order.id, l.child, l.held])).toEqual([
      ['o', false, false],
      ['e', false, false],
      ['tp', true, true],
      ['sl', true, true],
    ]);
  });
  it('an exit whose entry filled stands on its own and is no longer held', () => {
    const filled = { ...entry, status: 'filled' as const, filledQty: entry.qty };
    const lines = groupBrackets([tp], { e: filled, tp });
    expect(lines).toEqual([{ order: tp, child: false, held: false }]);
    expect(isHeldExit(tp, { status: 'partially_filled', filledQty: '1' })).toBe(false);
  });
});

describe('cancelAllSummary: the confirmation names what goes', () => {
  it('names the count and the venues', () => {
    const s = cancelAllSummary([entry, other], () => undefined);
    expect(s.question).toBe('Cancel 2 working orders on ib and paper?');
    expect(s.warning).toBeUndefined();
  });
  it('says when protective stops and bracket exits are among them', () => {
    const stop = order({ id: 's', status: 'accepted', venue: 'paper', side: 'sell', type: 'stop', stopPrice: '95' });
    const held = (venue: string, id: string) => (venue === 'paper' && id === 'paper:AAPL' ? '10' : undefined);
    const s = cancelAllSummary([entry, tp, sl, stop], held);
    expect(s.question).toBe('Cancel 4 working orders on paper?');
    expect(s.protective).toBe(3);
    expect(s.warning).toBe('Among them: 1 protective stop and 2 bracket exits. Cancelling them leaves the positions they guard unprotected.');
  });
  it('a buy stop with nothing held is an entry, not a protection; a buy stop over a short is one', () => {
    const buyStop = order({ id: 'b', status: 'accepted', side: 'buy', type: 'stop', stopPrice: '105' });
    expect(cancelAllSummary([buyStop], () => undefined).warning).toBeUndefined();
    expect(cancelAllSummary([buyStop], () => '-5').warning).toBe('Among them: 1 protective stop. Cancelling it leaves the position it guards unprotected.');
    expect(cancelAllSummary([{ ...buyStop, side: 'sell' }], () => '0').warning).toBeUndefined();
  });
});

describe('Cancel both exits: a venue holding a bracket’s exits as one order', () => {
  const oneOrder = { ...BASIC_CAPABILITIES, brackets: true, exitsAsOneOrder: true };
  const separate = { ...BASIC_CAPABILITIES, brackets: true };
  const cbEntry = order({ id: 'E', venue: 'cb', symbol: 'BTC/USD', status: 'filled', qty: '0.02', filledQty: '0.02', limitPrice: '50000' });
  const cbTp = order({ id: 'T', venue: 'cb', symbol: 'BTC/USD', side: 'sell', qty: '0.02', limitPrice: '55000', parentOrderId: 'E', leg: 'take_profit' });
  const cbSl = order({ id: 'S', venue: 'cb', symbol: 'BTC/USD', side: 'sell', qty: '0.02', type: 'stop_limit', stopPrice: '45000', limitPrice: '42750', parentOrderId: 'E', leg: 'stop_loss' });

  it('offers it on either exit leg of a live bracket where the venue says so; not on the entry, another venue, or a SHADOW exit', () => {
    expect(cancelsBothExits({ ...cbTp, route: 'live' }, oneOrder)).toBe(true);
    expect(cancelsBothExits(cbSl, oneOrder)).toBe(true);
    expect(cancelsBothExits(cbEntry, oneOrder)).toBe(false);
    expect(cancelsBothExits(cbSl, separate)).toBe(false);
    expect(cancelsBothExits(cbSl, undefined)).toBe(false);
    expect(cancelsBothExits({ ...cbSl, route: 'shadow' }, oneOrder)).toBe(false);
    expect(cancelsBothExits({ ...cbSl, leg: undefined }, oneOrder)).toBe(false);
  });

  it('sends the cancel to the parent bracket and says both exits go, each named, and that the position is left unguarded', () => {
    const c = bothExitsCancel(cbSl, { E: cbEntry, T: cbTp, S: cbSl, o: other });
    expect(c.parentId).toBe('E');
    expect(c.title).toBe('Cancel both exits');
    expect(c.explain).toBe(
      'On cb the take-profit and stop-loss of this BTC/USD bracket are one order: the stop-loss cannot be cancelled alone. Cancelling it cancels the take-profit too — both exits will be cancelled.',
    );
    expect(c.exits).toEqual(['take-profit: sell 0.02 BTC/USD @ 55000', 'stop-loss: sell 0.02 BTC/USD stop 45000, limit 42750']);
    expect(c.warning).toBe('The BTC/USD position they guard stays open with no exit.');
  });

  it('from the take-profit too; with the entry still unfilled there is no position to warn about; a finished exit is not listed', () => {
    const working = { ...cbEntry, status: 'accepted' as const, filledQty: '0' };
    const c = bothExitsCancel(cbTp, { E: working, T: cbTp, S: { ...cbSl, status: 'cancelled' } });
    expect(c.explain).toContain('the take-profit cannot be cancelled alone. Cancelling it cancels the stop-loss too');
    expect(c.exits).toEqual(['take-profit: sell 0.02 BTC/USD @ 55000']);
    expect(c.warning).toBeUndefined();
  });
});
