/**
 * Coinbase's sockets as ResilientWs connections that never carry an order. Every frame is
 * `{channel, timestamp, sequence_num, events[]}` with `sequence_num` rising by exactly one per
 * connection; a jump means lost frames, so the socket is reopened (fresh snapshots, and the
 * engine reconciles through REST on the reconnect). Each subscribe carries a fresh JWT (no `uri`),
 * sent on every (re)connect; `heartbeats` is subscribed too, so a quiet socket stays open.
 */
import { z } from 'zod';
import { ResilientWs } from '../../net/resilient-ws';
import { WireUserOrder } from './coinbase-mapping';

export const Frame = z.object({
  channel: z.string(),
  timestamp: z.string().optional(),
  sequence_num: z.number().int().nonnegative(),
  events: z.array(z.record(z.string(), z.unknown())).optional().default([]),
});
export type Frame = z.infer<typeof Frame>;

/** Sequence numbers of one connection: the first frame sets the start, a jump is a gap. */
export class SequenceCheck {
  private last: number | undefined;
  reset(): void {
    this.last = undefined;
  }
  /** Undefined when in order, else the gap's words. */
  next(n: number): string | undefined {
    const prev = this.last;
    this.last = n;
    if (prev === undefined || n === prev + 1) return undefined;
    return `sequence_num jumped from ${prev} to ${n}`;
  }
}

export interface SocketOptions {
  readonly url: string;
  readonly name: string;
  /** A fresh subscribe JWT; a throw (no key yet) retries the connection with backoff. */
  readonly jwt: () => Promise<string>;
  /** `[channel, product_ids]` subscribed on every (re)connect. */
  readonly channels: () => ReadonlyArray<readonly [string, readonly string[]]>;
  readonly frame: (f: Frame) => void;
  readonly gap: (why: string) => void;
  readonly lost: (reason: string) => void;
  readonly refused: (why: string) => void;
  /** A fast path for frames it can read from the text: their sequence number once handled, 'drop' to ignore the frame, else undefined (the JSON path runs). */
  readonly fast?: (text: string) => number | 'drop' | undefined;
}

export function subscribeMessage(channel: string, productIds: readonly string[], jwt: string, type: 'subscribe' | 'unsubscribe' = 'subscribe'): string {
  return JSON.stringify({ type, channel, ...(productIds.length > 0 ? { product_ids: productIds } : {}), jwt });
}

/** A Coinbase socket: subscribes on open, checks the sequence, hands frames on. */
export function openSocket(o: SocketOptions): ResilientWs {
  const seq = new SequenceCheck();
  const ws = new ResilientWs({
    url: o.url,
    name: o.name,
    backoff: { initialMs: 100, maxMs: 5_000 },
    heartbeat: { intervalMs: 15_000, timeoutMs: 45_000 },
    onOpen: async (c) => {
      seq.reset();
      const subs: ReadonlyArray<readonly [string, readonly string[]]> = [['heartbeats', []], ...o.channels()];
      for (const [channel, ids] of subs) c.sendNow(subscribeMessage(channel, ids, await o.jwt()));
    },
  });
  ws.on('state', (s) => {
    if (s.state === 'reconnecting') o.lost(s.reason ?? 'closed');
  });
  const checkGap = (n: number): boolean => {
    const gap = seq.next(n);
    if (!gap) return false;
    o.gap(gap);
    ws.reconnectNow(gap);
    return true;
  };
  ws.on('message', (text) => {
    const fastSeq = o.fast?.(text);
    if (fastSeq !== undefined) {
      if (fastSeq !== 'drop') checkGap(fastSeq);
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof raw === 'object' && raw !== null && (raw as { type?: unknown }).type === 'error') {
      const m = raw as { message?: unknown; reason?: unknown };
      o.refused(`Coinbase refused the subscription: ${String(m.message ?? '')} ${String(m.reason ?? '')}`.trim());
      return;
    }
    const f = Frame.safeParse(raw);
    if (!f.success) return;
    if (!checkGap(f.data.sequence_num)) o.frame(f.data);
  });
  return ws;
}

/** The `user` channel's orders in one frame, and whether it is the snapshot. */
export function userOrders(f: Frame): { snapshot: boolean; orders: WireUserOrder[] } {
  const out: WireUserOrder[] = [];
  let snapshot = false;
  for (const e of f.events) {
    if (e['type'] === 'snapshot') snapshot = true;
    for (const o of Array.isArray(e['orders']) ? e['orders'] : []) {
      const p = WireUserOrder.safeParse(o);
      if (p.success) out.push(p.data);
    }
  }
  return { snapshot, orders: out };
}
