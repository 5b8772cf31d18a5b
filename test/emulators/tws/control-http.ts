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
 *
 * The same commands answer under the emulator kit's `/__control/` prefix (GET /__control lists
 * them), and `POST /__control/fault {kind}` takes the kit's faults a socket venue can express:
 * drop-sockets (1300), refuse {ms} (a restart down for ms), lose-response (the next placeOrder is
 * taken, then TWS restarts before answering). HTTP-only faults (5xx, 429, latency, gap) answer 400
 * with the TWS equivalent to use instead.
 */
import http from 'node:http';
import { CONTROL_PREFIX, serveControl, type ControlSpec } from '../kit/control';
import { faultSpecOf, type FaultSpec } from '../kit/faults';
import type { ManualOrderSpec, Session } from './broker';
import type { OrderRef, QuoteUpdate, TwsEmulator } from './server';

export interface ControlServer {
  port: number;
  close(): Promise<void>;
}

type Body = Record<string, unknown>;

const TWS_FAULT_KINDS = ['drop-sockets', 'refuse', 'lose-response'] as const;

const NOT_ON_A_SOCKET: Record<string, string> = {
  '5xx': 'TWS has no HTTP status codes; use /connectivity {code: 1100} (connectivity lost) or /error',
  '429': 'TWS has no HTTP 429; its pacing answer is error 100 (send more than maxMessagesPerSecond, or /error {code: 100})',
  latency: 'not modelled by the TWS emulator',
  gap: 'the TWS socket has no sequence numbers',
};

function twsFault(emu: TwsEmulator, f: FaultSpec): unknown {
  if (f.kind === 'drop-sockets') {
    emu.injectConnectivity(1300);
    return { dropped: true };
  }
  if (f.kind === 'refuse') {
    void emu.restart({ downMs: f.ms ?? 1000 });
    return { refusingForMs: f.ms ?? 1000 };
  }
  if (f.kind === 'lose-response') {
    const onRequest = (_clientId: number, req: { type: string }): void => {
      if (req.type !== 'placeOrder') return;
      emu.off('request', onRequest);
      void emu.restart({ downMs: f.ms ?? 200 });
    };
    emu.on('request', onRequest);
    return { armed: 'the next placeOrder is taken, then TWS restarts before answering' };
  }
  throw new Error(`fault ${f.kind} cannot be expressed by TWS: ${NOT_ON_A_SOCKET[f.kind] ?? 'unknown'}`);
}

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
  const spec: ControlSpec = {
    name: 'tws',
    commands,
    faultKinds: TWS_FAULT_KINDS,
    state: () => ({ emulator: 'tws', nextValidId: emu.nextValidId, orders: emu.orders(), executions: emu.executions(), positions: emu.positions(), clients: emu.connectedClientIds() }),
    fault: (b) => twsFault(emu, faultSpecOf(b)),
    reset: () => undefined,
  };
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    // The kit's paths (/__control/…) and the older bare ones (/fill, GET /state) are the same commands.
    if (serveControl(spec, req, res, path.startsWith(CONTROL_PREFIX) ? path : `${CONTROL_PREFIX}${path === '/' ? '' : path}`)) return;
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
