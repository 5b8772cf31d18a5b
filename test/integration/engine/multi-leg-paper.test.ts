/**
 * A multi-leg order (an option vertical) on a venue that cannot carry one — Paper — is refused
 * with the alternative before anything is looked up, journaled or sent: preview and place alike.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../../support/engine-rig';

const ctx = { actor: 'cli', transport: 'cli' } as const;
const vertical = {
  venue: 'paper',
  symbol: 'AAPL:OPT:C:150:20260320',
  side: 'buy',
  type: 'limit',
  qty: '1',
  limitPrice: '2.10',
  legs: [
    { symbol: 'AAPL:OPT:C:150:20260320', side: 'buy' },
    { symbol: 'AAPL:OPT:C:155:20260320', side: 'sell' },
  ],
} as const;

describe('multi-leg orders on a venue without multiLeg', () => {
  let rig: EngineRig;
  beforeEach(async () => {
    rig = await engineRig({ prefix: 'tp-legs-paper-' });
  });
  afterEach(() => rig.close());

  it('Paper refuses a vertical before journaling, saying what to do instead', async () => {
    const e = rig.engine;
    const list = await e.call('venues.list', {}, ctx);
    expect(list.ok && list.value.find((v) => v.name === 'paper')?.capabilities?.multiLeg).toBeFalsy();
    const refusal = { ok: false, error: { code: 'unsupported_order', message: 'Paper does not support multi-leg orders (spreads) — place each leg as its own order.' } };
    expect(await e.call('order.preview', vertical, ctx)).toMatchObject(refusal);
    expect(await e.call('order.place', { ...vertical, clientOrderId: 'legs-paper-1' }, ctx)).toMatchObject(refusal);
    const orders = await e.call('orders.list', { all: true }, ctx);
    expect(orders.ok && orders.value).toEqual([]);
  });

  it('the schema refuses two legs that are not a vertical before the venue is asked', async () => {
    const r = await rig.engine.call('order.place', { ...vertical, legs: [vertical.legs[0], { symbol: 'AAPL:OPT:P:155:20260320', side: 'sell' }] }, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/both calls or both puts/) } });
  });
});
