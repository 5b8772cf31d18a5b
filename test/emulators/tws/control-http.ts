/**
 * Tiny HTTP control port for the hand-run emulator: POST /<command> with a JSON body.
 *   /connectivity {code}            inject 1100 / 1101 / 1102 / 2110 / 1300
 *   /error {code, message, clientId?, id?}
 *   /restart {downMs?, nextValidId?}
 *   /hold-client-id {clientId}      /release-client-id {clientId}
 *   /manual-order {symbol|conId, action, quantity, orderType?, lmtPrice?, auxPrice?, tif?}
 *   /quote {target, bid?, ask?, last?, ...}
 *   /fill {clientId, orderId | permId, quantity?, price?}
 *   /session {session}              /auto-fill {on}   /reject-next {reason}
 *   /opening-auction                /end-of-day
 * GET /state returns orders, executions, positions and nextValidId.
 */
import http from 'node:http';
import type { ManualOrderSpec, Session } from './broker';
import type { OrderRef, QuoteUpdate, TwsEmulator } from './server';

export interface ControlServer {
  port: number;
  close(): Promise<void>;
}

type Body = Record<string, unknown>;

function num(v: unknown, name: string): number {
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error(`${name} must be a number`);
  return n;
}

function ref(b: Body): OrderRef {
  if (b['permId'] !== undefined) return { permId: num(b['permId'], 'permId') };
  return { clientId: num(b['clientId'], 'clientId'), orderId: num(b['orderId'], 'orderId') };
}

export function startControlServer(emu: TwsEmulator, port: number, host = '127.0.0.1'): Promise<ControlServer> {
  const commands: Record<string, (b: Body) => unknown> = {
    connectivity: (b) => emu.injectConnectivity(num(b['code'], 'code') as 1100),
    error: (b) =>
      emu.sendError(num(b['code'], 'code'), String(b['message'] ?? ''), {
        clientId: b['clientId'] === undefined ? undefined : num(b['clientId'], 'clientId'),
        id: b['id'] === undefined ? undefined : num(b['id'], 'id'),
      }),
    restart: (b) => {
      void emu.restart({
        downMs: b['downMs'] === undefined ? undefined : num(b['downMs'], 'downMs'),
        nextValidId: b['nextValidId'] === undefined ? undefined : num(b['nextValidId'], 'nextValidId'),
      });
      return { restarting: true };
    },
    'hold-client-id': (b) => emu.holdClientId(num(b['clientId'], 'clientId')),
    'release-client-id': (b) => emu.releaseClientId(num(b['clientId'], 'clientId')),
    'manual-order': (b) => {
      const o = emu.placeManualOrder(b as unknown as ManualOrderSpec);
      return { permId: o.permId, orderId: o.orderId, status: o.status };
    },
    quote: (b) => {
      const target = typeof b['target'] === 'number' ? b['target'] : String(b['target']);
      emu.setQuote(target, b as QuoteUpdate);
      return emu.quote(target);
    },
    fill: (b) => emu.fillOrder(ref(b), { quantity: b['quantity'] as string | undefined, price: b['price'] as string | undefined }),
    session: (b) => emu.setSession(String(b['session']) as Session),
    'auto-fill': (b) => emu.setAutoFill(Boolean(b['on'])),
    'reject-next': (b) => emu.rejectNextOrder(String(b['reason'] ?? 'Rejected by emulator control')),
    'opening-auction': () => emu.openingAuction(),
    'end-of-day': () => emu.endOfDay(),
  };
  const server = http.createServer((req, res) => {
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? { ok: true }));
    };
    const name = (req.url ?? '/').replace(/^\/+/, '').split('?')[0] ?? '';
    if (req.method === 'GET' && name === 'state') {
      reply(200, { nextValidId: emu.nextValidId, orders: emu.orders(), executions: emu.executions(), positions: emu.positions(), clients: emu.connectedClientIds() });
      return;
    }
    const cmd = commands[name];
    if (req.method !== 'POST' || !cmd) {
      reply(404, { ok: false, error: `unknown command ${req.method} /${name}`, commands: Object.keys(commands) });
      return;
    }
    let raw = '';
    req.on('data', (c: Buffer) => {
      raw += c.toString('utf8');
    });
    req.on('end', () => {
      try {
        const body = raw.trim() === '' ? {} : (JSON.parse(raw) as Body);
        reply(200, cmd(body) ?? { ok: true });
      } catch (e) {
        reply(400, { ok: false, error: e instanceof Error ? e.message : String(e) });
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const addr = server.address();
      resolve({
        port: addr && typeof addr === 'object' ? addr.port : port,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}
