/** The connector at server version 176 (an older TWS): orders, fills, whatIf and completed orders decode the same. */
import { afterEach, describe, expect, it } from 'vitest';
import { rig, type Rig } from './ibkr-harness';
import { until } from '../../support/until';

describe('IB connector at server version 176', () => {
  let r: Rig;
  afterEach(async () => {
    await r?.close();
  });
  it('handshake, market order with commission, whatIf, cancel and completed-order lookup', async () => {
    r = await rig({ emu: { serverVersion: 176 } });
    expect(r.conn.state().detail).toBe('TWS 176 · DU123456 · client 7');
    const [inst] = await r.conn.resolveSymbol('AAPL');
    const p = await r.conn.preview(inst!, { side: 'buy', type: 'limit', qty: '10', limitPrice: '200', tif: 'day' });
    expect(p.estFee).toBe('1');
    await r.conn.submitIntent({ clientOrderId: 'tp-176-m', side: 'buy', type: 'market', qty: '10', tif: 'day' }, inst!.id);
    const f = await until(() => r.listener.fills.find((x) => x.clientOrderId === 'tp-176-m'));
    expect(f).toMatchObject({ qty: '10', fee: '1' });
    const ack = await r.conn.submitIntent({ clientOrderId: 'tp-176-l', side: 'buy', type: 'limit', qty: '1', limitPrice: '150', tif: 'gtc' }, inst!.id);
    await r.conn.cancel({
      id: 'x',
      clientOrderId: 'tp-176-l',
      venueOrderId: ack.venueOrderId,
      venue: 'ib',
      instrumentId: inst!.id,
      symbol: 'AAPL',
      side: 'buy',
      type: 'limit',
      qty: '1',
      tif: 'gtc',
      status: 'accepted',
      filledQty: '0',
      avgFillPrice: '0',
      fees: '0',
      source: 'user',
      createdAt: 0,
      updatedAt: 0,
    });
    // a fresh connector (Tradeport restarted) learns the final states from TWS's completed orders
    const again = await r.reopen({ clientId: '8' });
    expect(await again.conn.lookup('tp-176-l')).toMatchObject({ status: 'cancelled' });
    expect(await again.conn.lookup('tp-176-m')).toMatchObject({ status: 'filled' });
  });
});
