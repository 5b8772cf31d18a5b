/**
 * Binance user data on the emulator (web-socket-api.md, user-data-stream.md):
 * - WebSocket API at `/ws-api/v3`: `userDataStream.subscribe.signature` with {apiKey, timestamp,
 *   signature} (HMAC-SHA256 over the params sorted by name, `signature` left out) answers
 *   `{id, status: 200, result: {subscriptionId}}`; events then arrive as `{subscriptionId, event}`.
 *   `userDataStream.unsubscribe` and `ping` are answered too; errors as `{id, status, error: {code, msg}}`.
 * - legacy listenKey: `POST|PUT|DELETE /api/v3/userDataStream` and the stream at `/ws/<listenKey>`
 *   (bare event frames).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type http from 'node:http';
import type { WebSocket } from 'ws';
import type { EmulatorServer } from '../kit';
import type { BnOrder, BnTrade } from './server';

interface Sub {
  readonly ws: WebSocket;
  readonly id: number;
  readonly wrapped: boolean;
}

export class BinanceUserStreams {
  private readonly subs: Sub[] = [];
  readonly listenKeys = new Set<string>();
  private nextSub = 0;

  constructor(
    server: EmulatorServer,
    private readonly keys: ReadonlyMap<string, string>,
    private readonly now: () => number,
    /** The `outboundAccountPosition` that follows an order's change (its funds locked, freed or traded). */
    private readonly accountAfter?: (o: BnOrder) => Record<string, unknown>,
  ) {
    server.on('streamConnection', (ws, req) => this.connected(ws, req));
  }

  get subscribers(): number {
    return this.subs.length;
  }

  newListenKey(): string {
    const k = randomBytes(32).toString('base64url').slice(0, 60);
    this.listenKeys.add(k);
    return k;
  }

  private connected(ws: WebSocket, req: http.IncomingMessage): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    ws.on('close', () => this.drop(ws));
    if (path.startsWith('/ws/') && this.listenKeys.has(path.slice(4))) {
      this.subs.push({ ws, id: this.nextSub++, wrapped: false });
      return;
    }
    if (path !== '/ws-api/v3') return;
    ws.on('message', (data) => this.request(ws, String(data)));
  }

  private drop(ws: WebSocket): void {
    for (let i = this.subs.length - 1; i >= 0; i--) if (this.subs[i]!.ws === ws) this.subs.splice(i, 1);
  }

  private request(ws: WebSocket, text: string): void {
    let m: { id?: unknown; method?: unknown; params?: Record<string, unknown> };
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      return void ws.send(JSON.stringify({ id: null, status: 400, error: { code: -1102, msg: 'Malformed request.' } }));
    }
    const answer = (status: number, body: Record<string, unknown>) => ws.send(JSON.stringify({ id: m.id ?? null, status, ...body }));
    const fail = (status: number, code: number, msg: string) => answer(status, { error: { code, msg } });
    if (m.method === 'ping') return answer(200, { result: {} });
    if (m.method === 'userDataStream.unsubscribe') {
      this.drop(ws);
      return answer(200, { result: {} });
    }
    if (m.method !== 'userDataStream.subscribe.signature') return fail(400, -1000, `Unknown method '${String(m.method)}'.`);
    const p = m.params ?? {};
    const secret = typeof p['apiKey'] === 'string' ? this.keys.get(p['apiKey']) : undefined;
    if (secret === undefined) return fail(401, -2015, 'Invalid API-key, IP, or permissions for action.');
    const ts = Number(p['timestamp']);
    const recv = Number(p['recvWindow'] ?? 5000);
    if (!Number.isFinite(ts) || ts >= this.now() + 1000 || this.now() - ts > recv) return fail(400, -1021, 'Timestamp for this request is outside of the recvWindow.');
    const payload = Object.keys(p)
      .filter((k) => k !== 'signature')
      .sort()
      .map((k) => `${k}=${String(p[k])}`)
      .join('&');
    if (String(p['signature'] ?? '').toLowerCase() !== createHmac('sha256', secret).update(payload).digest('hex')) return fail(400, -1022, 'Signature for this request is not valid.');
    if (this.subs.some((s) => s.ws === ws)) return fail(400, -1210, 'This account is already subscribed on this connection.');
    const sub = { ws, id: this.nextSub++, wrapped: true };
    this.subs.push(sub);
    answer(200, { result: { subscriptionId: sub.id } });
  }

  /** While set, events are lost (control `mute-user-data`): what a subscriber sees when Binance's push never arrives. */
  muted = false;

  /** Sends an event to every subscription. */
  push(event: Record<string, unknown>): void {
    if (this.muted) return;
    for (const s of this.subs) s.ws.send(JSON.stringify(s.wrapped ? { subscriptionId: s.id, event } : event));
  }

  /** `executionReport` for `o` after `x` (NEW, TRADE, CANCELED, EXPIRED, REJECTED), with the trade if any. */
  execution(o: BnOrder, x: string, trade?: BnTrade, cancelCid?: string): void {
    const t = trade?.time ?? o.updateTime;
    this.push({
      e: 'executionReport',
      E: this.now(),
      s: o.symbol,
      c: cancelCid ?? o.clientOrderId,
      S: o.side,
      o: o.type,
      f: o.timeInForce,
      q: o.origQty,
      p: o.price,
      P: o.stopPrice,
      F: o.icebergQty,
      g: o.orderListId,
      C: cancelCid ? o.clientOrderId : '',
      x,
      X: o.status,
      r: 'NONE',
      i: o.orderId,
      l: trade?.qty ?? '0.00000000',
      z: o.executedQty,
      L: trade?.price ?? '0.00000000',
      n: trade?.commission ?? '0',
      N: trade?.commissionAsset ?? null,
      T: t,
      t: trade?.id ?? -1,
      v: 0,
      I: 0,
      w: o.isWorking,
      m: trade?.isMaker ?? false,
      M: false,
      O: o.time,
      Z: o.cummulativeQuoteQty,
      Y: trade?.quoteQty ?? '0.00000000',
      Q: o.origQuoteOrderQty,
      W: o.workingTime,
      V: o.selfTradePreventionMode,
    });
    if (this.accountAfter) this.push(this.accountAfter(o));
  }
}
