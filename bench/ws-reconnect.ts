/**
 * Time from a restarted server listening again to the first message after resubscribe, with the
 * default backoff (1 s doubling, equal jitter). The stable period that resets the backoff is
 * shortened to 300 ms so each of the runs starts from a reset backoff without waiting 30 s.
 * One process does RUNS_PER_ROUND restarts; `npm run bench` repeats it for each round.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { ResilientWs } from '../src-main/engine/net/resilient-ws';

/** Restarts per process; the runner repeats the process for its rounds. */
const RUNS_PER_ROUND = 5;
const DOWN_MS = 200;
const SUB = '{"method":"SUBSCRIBE","params":["btcusdt@depth@100ms"],"id":1}';

async function listen(port: number): Promise<{ close: () => Promise<void>; port: number }> {
  const server = http.createServer();
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => {
    ws.on('message', (m) => {
      if (m.toString() === SUB) ws.send('{"e":"depthUpdate","U":1,"u":1,"b":[],"a":[]}');
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export async function run(log: (s: string) => void = console.error, runs = RUNS_PER_ROUND): Promise<Record<string, unknown>> {
  let srv = await listen(0);
  const port = srv.port;
  const ws = new ResilientWs({ url: `ws://127.0.0.1:${port}/`, backoff: { stableMs: 300 } });
  let onMsg: (() => void) | undefined;
  ws.on('message', () => onMsg?.());
  ws.subscribe('depth', SUB);
  const first = new Promise<void>((r) => (onMsg = r));
  ws.start();
  await first;
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    await new Promise((r) => setTimeout(r, 400)); // stable → backoff reset
    await srv.close();
    await new Promise((r) => setTimeout(r, DOWN_MS));
    let t0 = 0;
    const got = new Promise<void>((r) => (onMsg = r));
    srv = await listen(port);
    t0 = performance.now();
    await got;
    samples.push(performance.now() - t0);
  }
  ws.stop();
  await srv.close();
  samples.sort((a, b) => a - b);
  const p50 = samples[Math.floor(samples.length / 2)]!;
  const max = samples[samples.length - 1]!;
  log(`ws_reconnect: ${runs} restarts (down ${DOWN_MS} ms): ${samples.map((s) => s.toFixed(0)).join(', ')} ms`);
  return { bench: 'ws_reconnect', ms_p50: Math.round(p50), ms_max: Math.round(max) };
}

export const cases = { reconnect: () => run() };
