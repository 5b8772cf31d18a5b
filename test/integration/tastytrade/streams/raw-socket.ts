/** A bare WebSocket that records every JSON frame, for speaking a protocol by hand in tests. */
import { WebSocket } from 'ws';
import { until } from '../../../support/until';

export interface RawSocket {
  readonly ws: WebSocket;
  readonly frames: Array<Record<string, unknown>>;
  send(m: unknown): void;
  /** Resolves with the first frame (from `from` on) matching, waiting for it event by event. */
  next(match: (f: Record<string, unknown>) => boolean, what: string, from?: number): Promise<Record<string, unknown>>;
  closed(): Promise<number>;
}

export async function openRaw(url: string): Promise<RawSocket> {
  const ws = new WebSocket(url);
  const frames: Array<Record<string, unknown>> = [];
  let closeCode: number | undefined;
  ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as Record<string, unknown>));
  ws.on('close', (code) => (closeCode = code));
  ws.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    frames,
    send: (m) => ws.send(typeof m === 'string' ? m : JSON.stringify(m)),
    next: (match, what, from = 0) => until(() => frames.slice(from).find(match), { what }),
    closed: () => until(() => closeCode, { what: 'the socket to close' }),
  };
}
