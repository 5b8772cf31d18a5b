/**
 * After a Tradeport restart the Alpaca id map comes back from SQLite: a bracket exit (which
 * Alpaca knows under a client id of its own) is found by ours, and a cancel by the first venue id
 * of a replaced order reaches the replacement.
 */
import { afterEach, expect, it } from 'vitest';
import type { Order } from '../../../src-main/engine/domain/order';
import type { AlpacaConnector } from '../../../src-main/engine/venues/alpaca/alpaca-connector';
import type { AlpacaEmulator } from '../../emulators/alpaca';
import { RecordingListener, contractOrder } from '../../support/venue-contract';
import { until } from '../../support/until';
import { connectorRig, startEmulator } from './alpaca-rig';

let emu: AlpacaEmulator | undefined;
let c: AlpacaConnector | undefined;
let closeRig: (() => void) | undefined;

afterEach(async () => {
  await c?.stop();
  await emu?.stop();
  closeRig?.();
});

async function started(connector: AlpacaConnector): Promise<AlpacaConnector> {
  c = connector;
  await connector.start(new RecordingListener());
  await until(() => connector.state().state === 'connected', { timeoutMs: 10_000, what: 'alpaca connected' });
  return connector;
}

it('a restart on the same database keeps bracket legs and replacement chains: lookup of an exit by our client id, cancel of a replaced order by its first venue id', async () => {
  emu = await startEmulator();
  const rig = await connectorRig(emu);
  closeRig = rig.close;
  const first = await started(rig.connector);
  const aapl = first.instrument('AAPL')!;
  const order = (t: Pick<Order, 'side' | 'type' | 'qty' | 'tif'> & Partial<Pick<Order, 'limitPrice' | 'stopPrice'>>): Order => ({ ...contractOrder('alp', aapl, t), ...t });

  const parent = order({ side: 'buy', type: 'limit', qty: '2', tif: 'day', limitPrice: '150' });
  const tp: Order = { ...order({ side: 'sell', type: 'limit', qty: '2', tif: 'day', limitPrice: '200' }), parentOrderId: parent.id, leg: 'take_profit' };
  const sl: Order = { ...order({ side: 'sell', type: 'stop', qty: '2', tif: 'day', stopPrice: '140' }), parentOrderId: parent.id, leg: 'stop_loss' };
  const acks = await first.submitBracketOrders(parent, [tp, sl]);
  const resting = order({ side: 'buy', type: 'limit', qty: '1', tif: 'gtc', limitPrice: '150' });
  const ack = await first.submit(resting);
  const r = await first.replace({ ...resting, venueOrderId: ack.venueOrderId }, { limitPrice: '151' });
  await first.stop();

  const second = await started(rig.reopen());
  expect(await second.lookup(sl.clientOrderId)).toMatchObject({ clientOrderId: sl.clientOrderId, venueOrderId: acks[2]!.venueOrderId });
  expect(await second.lookup(tp.clientOrderId)).toMatchObject({ clientOrderId: tp.clientOrderId, venueOrderId: acks[1]!.venueOrderId });
  // The OMS keeps the first venue id; the restarted connector must still cancel the replacement.
  await second.cancel({ ...resting, venueOrderId: ack.venueOrderId });
  expect(emu.book.find(r.venueOrderId)?.status).toBe('canceled');
}, 60_000);

it("a replace whose answer never reached us (Tradeport stopped): cancel by the first venue id follows Alpaca's replaced_by to the order now working", async () => {
  emu = await startEmulator();
  const rig = await connectorRig(emu);
  closeRig = rig.close;
  const first = await started(rig.connector);
  const aapl = first.instrument('AAPL')!;
  const terms = { side: 'buy', type: 'limit', qty: '1', tif: 'gtc', limitPrice: '150' } as const;
  const resting: Order = { ...contractOrder('alp', aapl, terms), ...terms };
  const ack = await first.submit(resting);
  await first.stop();
  // Alpaca took the PATCH; its answer was lost with the process that sent it.
  const replacement = emu.book.replace(emu.book.find(ack.venueOrderId)!, { limit_price: '151', client_order_id: `${resting.clientOrderId}~r1` });

  const second = await started(rig.reopen());
  await second.cancel({ ...resting, venueOrderId: ack.venueOrderId });
  expect(emu.book.find(replacement.id)?.status).toBe('canceled');
  expect(emu.server.count('DELETE', `/v2/orders/${replacement.id}`)).toBe(1);
}, 60_000);
