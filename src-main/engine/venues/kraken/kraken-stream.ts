/**
 * Kraken's private WS v2 socket (`executions`): a ResilientWs that never carries an order. Each
 * connection fetches a fresh GetWebSocketsToken first (tokens are short-lived) and subscribes with
 * it; the subscribe ack makes the stream ready. Kraken numbers no execution, so every reconnect is
 * followed by the engine's REST reconcile.
 */
import { ResilientWs } from '../../net/resilient-ws';
import { wireExecution, type WireExecution } from './kraken-wire';

export interface ExecutionStreamEvents {
  ready(): void;
  lost(reason: string): void;
  refused(reason: string): void;
  execution(e: WireExecution): void;
  bad(reason: string): void;
}

export const krakenPing = (): string => JSON.stringify({ method: 'ping' });

/** `token` runs before every attempt (a throw retries with backoff). */
export function openExecutionStream(url: string, name: string, token: () => Promise<string>, on: ExecutionStreamEvents): ResilientWs {
  const ws: ResilientWs = new ResilientWs({
    url: async () => {
      const t = await token();
      ws.subscribe('executions', JSON.stringify({ method: 'subscribe', params: { channel: 'executions', token: t, snap_orders: true, snap_trades: false }, req_id: 1 }));
      return url;
    },
    name: `${name} executions`,
    backoff: { initialMs: 100, maxMs: 5_000 },
    heartbeat: { intervalMs: 10_000, timeoutMs: 30_000, message: krakenPing },
  });
  ws.on('state', (s) => {
    if (s.state === 'reconnecting') on.lost(s.reason ?? 'closed');
  });
  ws.on('message', (text) => {
    let m: { method?: string; success?: boolean; error?: string; result?: { channel?: string }; channel?: string; data?: unknown[] };
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      return on.bad('a frame that is not JSON');
    }
    if (m.method === 'subscribe') {
      if (m.success === true && m.result?.channel === 'executions') on.ready();
      else if (m.success === false) on.refused(`Kraken refused the executions subscription: ${m.error ?? 'no reason given'}`);
      return;
    }
    if (m.channel !== 'executions' || !Array.isArray(m.data)) return;
    for (const d of m.data) {
      try {
        on.execution(wireExecution(d));
      } catch (e) {
        on.bad((e as Error).message);
      }
    }
  });
  return ws;
}
