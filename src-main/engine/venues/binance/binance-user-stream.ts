/**
 * Binance user data through the WebSocket API (web-socket-api.md, user-data-stream.md): on every
 * (re)connect, `userDataStream.subscribe.signature` with {apiKey, timestamp, signature}; Binance
 * answers `{id, status: 200, result: {subscriptionId}}` and then pushes `{subscriptionId, event}`
 * frames. No order ever goes through this socket. Events are numbered by nothing, so a reconnect
 * is followed by a REST reconcile (the engine's, on `connected`).
 */
import { z } from 'zod';
import { ResilientWs } from '../../net/resilient-ws';
import { signedWsParams, type BinanceKeys } from './binance-auth';
import { executionReport, type ExecutionReport } from './binance-mapping';
import { listStatus, type ListStatus } from './binance-oco';

export const accountPosition = z
  .object({
    e: z.literal('outboundAccountPosition'),
    E: z.number(),
    B: z.array(z.object({ a: z.string(), f: z.string(), l: z.string() })),
  })
  .passthrough();
export type AccountPosition = z.infer<typeof accountPosition>;

const wsError = z.object({ code: z.number(), msg: z.string() });

const frame = z.union([
  z.object({ id: z.union([z.string(), z.number()]), status: z.number(), result: z.unknown().optional(), error: z.unknown().optional() }).passthrough(),
  z.object({ subscriptionId: z.number().optional(), event: z.object({ e: z.string() }).passthrough() }).passthrough(),
]);

export interface UserStreamEvents {
  ready(): void;
  lost(reason: string): void;
  refused(reason: string): void;
  execution(r: ExecutionReport): void;
  account(p: AccountPosition): void;
  /** An order list's `listStatus` (OCO). */
  list(l: ListStatus): void;
  /** A frame that failed validation (kept out of the books, logged). */
  invalid(reason: string): void;
}

export function openUserStream(url: string, name: string, keys: () => BinanceKeys, serverNow: () => number, on: UserStreamEvents, beforeConnect: () => Promise<void>): ResilientWs {
  let req = 0;
  let pending = '';
  const ws = new ResilientWs({
    url: async () => {
      await beforeConnect();
      return url;
    },
    name: `${name} user data`,
    backoff: { initialMs: 100, maxMs: 5_000 },
    onOpen: (c) => {
      pending = `sub-${++req}`;
      c.sendNow(JSON.stringify({ id: pending, method: 'userDataStream.subscribe.signature', params: signedWsParams(keys(), { timestamp: serverNow() }) }));
    },
  });
  ws.on('state', (s) => {
    if (s.state === 'reconnecting') on.lost(s.reason ?? 'closed');
  });
  ws.on('message', (text) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      on.invalid(`not JSON: ${text.slice(0, 80)}`);
      return;
    }
    const f = frame.safeParse(parsed);
    if (!f.success) return on.invalid(`unexpected frame: ${text.slice(0, 120)}`);
    const m = f.data;
    if ('status' in m) {
      if (m.id !== pending) return;
      if (m.status === 200) on.ready();
      else {
        const err = wsError.safeParse(m.error);
        on.refused(`Binance ${err.success ? err.data.code : m.status}: ${err.success ? err.data.msg : 'user data subscription refused'}`);
      }
      return;
    }
    const ev = m.event;
    if (ev.e === 'executionReport') {
      const r = executionReport.safeParse(ev);
      if (r.success) on.execution(r.data);
      else on.invalid(`executionReport: ${r.error.issues[0]?.message ?? ''}`);
    } else if (ev.e === 'outboundAccountPosition') {
      const p = accountPosition.safeParse(ev);
      if (p.success) on.account(p.data);
      else on.invalid(`outboundAccountPosition: ${p.error.issues[0]?.message ?? ''}`);
    } else if (ev.e === 'listStatus') {
      const l = listStatus.safeParse(ev);
      if (l.success) on.list(l.data);
      else on.invalid(`listStatus: ${l.error.issues[0]?.message ?? ''}`);
    } else if (ev.e === 'eventStreamTerminated') ws.reconnectNow('Binance ended the user data subscription');
  });
  return ws;
}
