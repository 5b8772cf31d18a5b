import { describe, expect, it } from 'vitest';
import { backoffDelay, createBridgeLink, type SocketLike } from '../../../src-renderer/src/api/bridge-client';
import { bridgeUrl, tokenFromHash } from '../../../src-renderer/src/api/bridge-url';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: unknown[] = [];
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {}
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  server(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

function harness() {
  const sockets: FakeSocket[] = [];
  const timers: Array<{ fn: () => void; ms: number }> = [];
  const link = createBridgeLink({
    url: 'ws://127.0.0.1:7420/bridge',
    token: 'secret-token',
    createSocket: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    setTimer: (fn, ms) => {
      timers.push({ fn, ms });
      return timers.length;
    },
    clearTimer: () => undefined,
    random: () => 0.5,
  });
  return { link, sockets, timers };
}

describe('bridge client', () => {
  it('says hello with the token, then sends queued calls once welcomed', async () => {
    const h = harness();
    const p = h.link.client.invoke('engine.info', {});
    h.sockets[0]!.open();
    expect(h.sockets[0]!.sent).toEqual([{ type: 'hello', token: 'secret-token' }]);
    h.sockets[0]!.server({ type: 'welcome', version: '0.1.0' });
    expect(h.sockets[0]!.sent[1]).toMatchObject({ type: 'call', command: 'engine.info' });
    const id = (h.sockets[0]!.sent[1] as { id: number }).id;
    h.sockets[0]!.server({ type: 'result', id, result: { ok: true, value: { version: '0.1.0' } } });
    expect(await p).toEqual({ ok: true, value: { version: '0.1.0' } });
    expect(h.link.status().state).toBe('open');
  });

  it('never resends an order whose answer was lost; it reports the outcome as unknown', async () => {
    const h = harness();
    h.sockets[0]!.open();
    h.sockets[0]!.server({ type: 'welcome', version: '1' });
    const p = h.link.client.invoke('order.place', { venue: 'paper', symbol: 'AAPL', side: 'buy', type: 'market', qty: '1', clientOrderId: 'k1' });
    h.sockets[0]!.drop();
    const r = await p;
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('timeout');
      expect(r.error.message).toMatch(/may have been placed/);
    }
    // Reconnect: the new socket only says hello; the order is not sent again.
    expect(h.link.status().state).toBe('reconnecting');
    h.timers.at(-1)!.fn();
    h.sockets[1]!.open();
    h.sockets[1]!.server({ type: 'welcome', version: '1' });
    expect(h.sockets[1]!.sent).toEqual([{ type: 'hello', token: 'secret-token' }]);
  });

  it('reports a reconnect so the store refetches the snapshot', () => {
    const h = harness();
    const seen: boolean[] = [];
    h.link.onStatus((s, reconnected) => s.state === 'open' && seen.push(reconnected));
    h.sockets[0]!.open();
    h.sockets[0]!.server({ type: 'welcome', version: '1' });
    h.sockets[0]!.drop();
    h.timers.at(-1)!.fn();
    h.sockets[1]!.open();
    h.sockets[1]!.server({ type: 'welcome', version: '1' });
    expect(seen).toEqual([false, true]);
  });

  it('stops retrying when the token is refused (4401)', () => {
    const h = harness();
    h.sockets[0]!.open();
    const before = h.timers.length;
    h.sockets[0]!.drop(4401);
    expect(h.link.status().state).toBe('unauthorized');
    expect(h.link.status().detail).not.toContain('secret-token');
    expect(h.timers.length).toBe(before);
  });

  it('forwards event batches to subscribers', () => {
    const h = harness();
    const got: unknown[] = [];
    h.link.client.subscribe((e) => got.push(...e));
    h.sockets[0]!.open();
    h.sockets[0]!.server({ type: 'welcome', version: '1' });
    h.sockets[0]!.server({ type: 'events', events: [{ type: 'notice', level: 'info', message: 'hi', ts: 1 }] });
    expect(got).toHaveLength(1);
  });

  it('backs off exponentially with a cap', () => {
    expect(backoffDelay(0, () => 0)).toBe(125);
    expect(backoffDelay(3, () => 1)).toBe(2000);
    expect(backoffDelay(30, () => 1)).toBe(10_000);
  });

  it('reads the token from the hash and builds the bridge URL from the page host', () => {
    expect(tokenFromHash('#token=abc123')).toBe('abc123');
    expect(tokenFromHash('#x=1&token=t%2Bz')).toBe('t+z');
    expect(tokenFromHash('')).toBeUndefined();
    expect(tokenFromHash('#token=')).toBeUndefined();
    expect(bridgeUrl({ protocol: 'http:', host: '127.0.0.1:7420' })).toBe('ws://127.0.0.1:7420/bridge');
    expect(bridgeUrl({ protocol: 'https:', host: 'box:443' })).toBe('wss://box:443/bridge');
  });
});
