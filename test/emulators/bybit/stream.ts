/**
 * Bybit v5 WebSocket (https://bybit-exchange.github.io/docs/v5/ws/connect): public
 * `/v5/public/spot|linear` (topic `orderbook.{depth}.{symbol}`: a snapshot on subscribe) and
 * private `/v5/private` (`op: auth` with args [apiKey, expires, hex HMAC-SHA256(secret,
 * "GET/realtime" + expires)], then topics `order` and `execution` pushed as orders change).
 * Heartbeat: `{op:"ping"}` answered with a pong, as Bybit does.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { WebSocket } from 'ws';
import type { EmulatorServer } from '../kit';
import type { BybitExecution, BybitOrder } from './orders';

export const WS_PATHS = ['/v5/public/spot', '/v5/public/linear', '/v5/private'] as const;

interface Client {
  readonly ws: WebSocket;
  readonly path: string;
  readonly connId: string;
  authed: boolean;
  readonly topics: Set<string>;
}

export interface BookSide {
  readonly b: readonly (readonly [string, string])[];
  readonly a: readonly (readonly [string, string])[];
}

export class BybitStream {
  private readonly clients = new Set<Client>();
  private seq = 0;

  constructor(
    server: EmulatorServer,
    private readonly apiKey: string,
    private readonly secret: string,
    private readonly now: () => number,
    private readonly book: BookSide,
  ) {
    server.on('streamConnection', (ws, req) => this.open(ws, req));
  }

  private open(ws: WebSocket, req: http.IncomingMessage): void {
    const c: Client = { ws, path: new URL(req.url ?? '/', 'http://x').pathname, connId: randomUUID(), authed: false, topics: new Set() };
    this.clients.add(c);
    ws.on('close', () => this.clients.delete(c));
    ws.on('message', (raw) => this.message(c, String(raw)));
  }

  private send(c: Client, msg: object): void {
    if (c.ws.readyState === c.ws.OPEN) c.ws.send(JSON.stringify(msg));
  }

  private message(c: Client, text: string): void {
    let m: { op?: unknown; args?: unknown; req_id?: unknown };
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      this.send(c, { success: false, ret_msg: 'error:invalid op', conn_id: c.connId, request: { op: '', args: null } });
      return;
    }
    const reqId = typeof m.req_id === 'string' || typeof m.req_id === 'number' ? String(m.req_id) : undefined;
    const args = Array.isArray(m.args) ? m.args.map(String) : [];
    const ack = (op: string, success: boolean, retMsg = ''): void => this.send(c, { success, ret_msg: retMsg, conn_id: c.connId, ...(reqId ? { req_id: reqId } : {}), op });
    switch (m.op) {
      case 'ping':
        if (c.path === '/v5/private') this.send(c, { ...(reqId ? { req_id: reqId } : {}), op: 'pong', args: [String(this.now())], conn_id: c.connId });
        else ack('ping', true, 'pong');
        return;
      case 'auth':
        c.authed = this.authOk(args);
        ack('auth', c.authed, c.authed ? '' : 'error:USVC1111');
        return;
      case 'subscribe':
        if (c.path === '/v5/private' && !c.authed) return ack('subscribe', false, 'Request not authorized');
        for (const t of args) c.topics.add(t);
        ack('subscribe', true);
        for (const t of args) if (t.startsWith('orderbook.')) this.snapshot(c, t);
        return;
      case 'unsubscribe':
        for (const t of args) c.topics.delete(t);
        ack('unsubscribe', true);
        return;
      default:
        this.send(c, { success: false, ret_msg: `error:handler not found,topic:${String(m.op)}`, conn_id: c.connId, ...(reqId ? { req_id: reqId } : {}), op: String(m.op) });
    }
  }

  private authOk(args: readonly string[]): boolean {
    const [key, expires, sign] = args;
    if (key !== this.apiKey || expires === undefined || sign === undefined || Number(expires) < this.now()) return false;
    return createHmac('sha256', this.secret).update(`GET/realtime${expires}`).digest('hex') === sign;
  }

  private snapshot(c: Client, topic: string): void {
    const symbol = topic.split('.')[2] ?? '';
    this.send(c, { topic, type: 'snapshot', ts: this.now(), data: { s: symbol, b: this.book.b, a: this.book.a, u: ++this.seq, seq: this.seq }, cts: this.now() });
  }

  private push(topic: string, data: readonly object[]): void {
    const msg = { id: randomUUID(), topic, creationTime: this.now(), data };
    for (const c of this.clients) if (c.authed && c.topics.has(topic)) this.send(c, msg);
  }

  /** Authenticated clients subscribed to a private topic (tests wait on it instead of sleeping). */
  subscribers(topic: string): number {
    return [...this.clients].filter((c) => c.authed && c.topics.has(topic)).length;
  }

  /** An order was created or changed: the private `order` topic carries its whole state. */
  order(o: BybitOrder): void {
    this.push('order', [
      {
        ...o,
        orderIv: '',
        triggerPrice: '',
        takeProfit: '',
        stopLoss: '',
        isLeverage: '',
        cancelType: 'UNKNOWN',
        rejectReason: 'EC_NoError',
        lastPriceOnCreated: '',
        blockTradeId: '',
        feeCurrency: '',
      },
    ]);
  }

  /** An execution: the private `execution` topic. */
  execution(e: BybitExecution): void {
    this.push('execution', [{ ...e, leavesQty: '', execPnl: '0', feeRate: '0.001', markPrice: '', indexPrice: '', underlyingPrice: '', blockTradeId: '', closedSize: '', seq: ++this.seq }]);
  }
}
