/** A ccxt.pro socket that fails rejects promises nobody awaits; the guard settles them so Node does not crash, and awaited ones still fail. */
import { afterEach, expect, it } from 'vitest';
import type { Exchange } from 'ccxt';
import { settleWsPromises } from '../../../src-main/engine/venues/ccxt/ccxt-exchange';

const seen: unknown[] = [];
const onUnhandled = (reason: unknown) => seen.push(reason);
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
  seen.length = 0;
});

it('settles the connection and future promises of every client, once per client, keeping the error for those who await', async () => {
  process.on('unhandledRejection', onUnhandled);
  const clients = new Map<string, { connect(): Promise<unknown>; future(h: string): Promise<unknown> }>();
  const fake = {
    client(url: string) {
      let c = clients.get(url);
      if (!c) {
        c = { connect: () => Promise.reject(new Error(`connect ECONNREFUSED ${url}`)), future: (h: string) => Promise.reject(new Error(`closed before ${h}`)) };
        clients.set(url, c);
      }
      return c;
    },
  };
  settleWsPromises(fake as unknown as Exchange);
  const ex = fake as unknown as { client(url: string): { connect(): Promise<unknown>; future(h: string): Promise<unknown> } };
  void ex.client('ws://a').connect(); // nobody awaits: ccxt's re-entrant watch does this
  void ex.client('ws://a').future('orders');
  await expect(ex.client('ws://a').future('myTrades')).rejects.toThrow('closed before myTrades');
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  expect(seen).toEqual([]);
});
