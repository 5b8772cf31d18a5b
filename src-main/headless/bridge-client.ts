/**
 * A Node client of the bridge protocol, used by the CLI to reach an engine another process runs.
 * One connection, one call, then close.
 */
import WebSocket from 'ws';
import { fail, type Result } from '../engine/api/errors';
import { BRIDGE_AUTH_FAILED_CLOSE_CODE, BRIDGE_PATH, type BridgeServerMessage } from '../engine/api/transport';

export interface BridgeCallOptions {
  readonly host: string;
  readonly port: number;
  readonly token: string;
  readonly command: string;
  readonly input: unknown;
  readonly timeoutMs?: number;
}

export class BridgeUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BridgeUnreachableError';
  }
}

/**
 * Resolves with the engine's Result. Rejects with BridgeUnreachableError only when no call could be
 * sent, so the caller knows the command did not run.
 */
export function callOverBridge(opts: BridgeCallOptions): Promise<Result<unknown>> {
  const host = opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host === '::' ? '::1' : opts.host;
  const url = `ws://${host.includes(':') ? `[${host}]` : host}:${opts.port}${BRIDGE_PATH}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { handshakeTimeout: 5_000 });
    let sent = false;
    let settled = false;
    const done = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      ws.close();
    };
    const timer = setTimeout(
      () =>
        done(() =>
          sent
            ? resolve(fail('timeout', 'The running engine did not answer in time; the command may or may not have run. Check with `tradeport orders`.'))
            : reject(new BridgeUnreachableError('The running engine did not answer the handshake.')),
        ),
      opts.timeoutMs ?? 30_000,
    );
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', token: opts.token, client: 'cli' })));
    ws.on('message', (data) => {
      let msg: BridgeServerMessage;
      try {
        msg = JSON.parse(String(data)) as BridgeServerMessage;
      } catch {
        return;
      }
      if (msg.type === 'welcome') {
        sent = true;
        ws.send(JSON.stringify({ type: 'call', id: 1, command: opts.command, input: opts.input }));
      } else if (msg.type === 'result' && msg.id === 1) {
        const result = msg.result;
        done(() => resolve(result));
      }
    });
    ws.on('close', (code) => {
      if (code === BRIDGE_AUTH_FAILED_CLOSE_CODE) {
        done(() => resolve(fail('unauthorized', 'The running engine refused the bridge token. Restart it, or check the bridge-token file in the data dir.')));
      } else if (sent) {
        done(() => resolve(fail('timeout', 'The connection to the running engine closed before it answered; the command may or may not have run.')));
      } else {
        done(() => reject(new BridgeUnreachableError(`The running engine closed the connection (code ${code}).`)));
      }
    });
    ws.on('error', (err) => {
      if (!sent) done(() => reject(new BridgeUnreachableError(`Cannot reach the running engine at ${url}: ${err.message}`)));
    });
  });
}
