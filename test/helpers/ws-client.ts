/** A tiny promise-based WebSocket client for bridge tests. */
import WebSocket from 'ws';
import type { BridgeServerMessage } from '../../src-main/engine/api/transport';

export interface TestClient {
  readonly ws: WebSocket;
  readonly messages: BridgeServerMessage[];
  next(pred?: (m: BridgeServerMessage) => boolean, timeoutMs?: number): Promise<BridgeServerMessage>;
  send(obj: unknown): void;
  readonly closed: Promise<{ code: number; reason: string }>;
}

export async function connect(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
  const ws = new WebSocket(url, { headers });
  const messages: BridgeServerMessage[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (d) => {
    messages.push(JSON.parse(String(d)) as BridgeServerMessage);
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let cursor = 0;
  return {
    ws,
    messages,
    closed,
    send: (obj) => ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj)),
    async next(pred = () => true, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        while (cursor < messages.length) {
          const m = messages[cursor++]!;
          if (pred(m)) return m;
        }
        if (Date.now() > deadline) throw new Error('timed out waiting for a bridge message');
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
  };
}
