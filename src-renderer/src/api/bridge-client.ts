/**
 * The headless WebSocket bridge client (protocol in src-main/engine/api/transport.ts). It
 * implements the same TradeportClient as the Electron preload, so nothing above this file knows
 * which transport is in use.
 *
 * Safety: a call whose socket drops before the answer is NOT resent. For order.place that outcome
 * is unknown; the caller is told so and the idempotency key (clientOrderId) makes a deliberate
 * retry harmless. Blind retries are how duplicate orders happen.
 */
import type { BridgeClientMessage, BridgeServerMessage, TradeportClient } from '../../../src-main/engine/api/transport';
import { BRIDGE_AUTH_FAILED_CLOSE_CODE } from '../../../src-main/engine/api/transport';
import type { ApiError, Result } from '../../../src-main/engine/api/errors';
import type { CommandName, CommandOutput } from '../../../src-main/engine/api/commands';
import type { EngineEvent } from '../../../src-main/engine/api/events';
import type { EngineLink, LinkStatus } from './connection';

/** The subset of the browser WebSocket we use; injectable so the reconnect logic tests in Node. */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface BridgeOptions {
  readonly url: string;
  readonly token: string;
  readonly createSocket?: (url: string) => SocketLike;
  readonly setTimer?: (fn: () => void, ms: number) => unknown;
  readonly clearTimer?: (handle: unknown) => void;
  readonly random?: () => number;
  /** Per-call timeout; a trader must never stare at a spinner forever. */
  readonly callTimeoutMs?: number;
}

const OPEN = 1;
const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 10_000;

/** Exponential backoff with full jitter, so many tabs do not reconnect in lockstep. */
export function backoffDelay(attempt: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

interface Pending {
  readonly command: string;
  readonly resolve: (r: Result<unknown>) => void;
  readonly timer: unknown;
}

function failure(code: ApiError['code'], message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

export function createBridgeLink(opts: BridgeOptions): EngineLink {
  const createSocket = opts.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const setTimer = opts.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const clearTimer = opts.clearTimer ?? ((h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>));
  const random = opts.random ?? Math.random;
  const callTimeoutMs = opts.callTimeoutMs ?? 30_000;

  const eventListeners = new Set<(events: EngineEvent[]) => void>();
  const statusListeners = new Set<(s: LinkStatus, reconnected: boolean) => void>();
  const pending = new Map<number, Pending>();
  /** Calls made while the link is down wait here until it opens (or time out). */
  const queued: Array<{ id: number; msg: BridgeClientMessage }> = [];

  let socket: SocketLike | undefined;
  let authenticated = false;
  let everOpened = false;
  let attempt = 0;
  let nextId = 1;
  let status: LinkStatus = { state: 'connecting', detail: 'connecting to engine' };

  function setStatus(s: LinkStatus, reconnected = false): void {
    status = s;
    for (const l of statusListeners) l(s, reconnected);
  }

  function settle(id: number, r: Result<unknown>): void {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    clearTimer(p.timer);
    p.resolve(r);
  }

  function connect(): void {
    authenticated = false;
    const ws = createSocket(opts.url);
    socket = ws;
    ws.onopen = () => {
      const hello: BridgeClientMessage = { type: 'hello', token: opts.token };
      ws.send(JSON.stringify(hello));
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      let msg: BridgeServerMessage;
      try {
        msg = JSON.parse(ev.data) as BridgeServerMessage;
      } catch {
        return; // A malformed frame is the server's bug; dropping it beats crashing the UI.
      }
      if (msg.type === 'welcome') {
        authenticated = true;
        const reconnected = everOpened;
        everOpened = true;
        attempt = 0;
        setStatus({ state: 'open', detail: `engine ${msg.version}` }, reconnected);
        while (queued.length > 0) {
          const q = queued.shift()!;
          if (pending.has(q.id)) ws.send(JSON.stringify(q.msg));
        }
      } else if (msg.type === 'result') {
        settle(msg.id, msg.result);
      } else if (msg.type === 'events') {
        if (!Array.isArray(msg.events) || msg.events.length === 0) return;
        for (const l of eventListeners) l(msg.events);
      }
    };
    ws.onerror = () => undefined; // onclose follows and carries the code.
    ws.onclose = (ev) => {
      if (socket !== ws) return;
      socket = undefined;
      authenticated = false;
      // Calls already sent have an unknown outcome: answer them now rather than resend.
      for (const [id, p] of [...pending]) {
        if (queued.some((q) => q.id === id)) continue;
        settle(
          id,
          failure(
            'timeout',
            p.command === 'order.place'
              ? 'Connection to the engine dropped before it answered — the order may have been placed. Check Working orders before placing again.'
              : 'Connection to the engine dropped before it answered. Try again when the status bar shows it connected.',
          ),
        );
      }
      if (ev.code === BRIDGE_AUTH_FAILED_CLOSE_CODE) {
        for (const [id] of [...pending]) settle(id, failure('unauthorized', 'The engine rejected this page’s token.'));
        queued.length = 0;
        setStatus({ state: 'unauthorized', detail: 'token rejected — open the URL printed by `tradeport serve`' });
        return;
      }
      const delay = backoffDelay(attempt++, random);
      setStatus({ state: 'reconnecting', detail: `reconnecting in ${Math.ceil(delay / 1000)} s`, retryInMs: delay });
      setTimer(connect, delay);
    };
  }

  const client: TradeportClient = {
    transport: 'bridge',
    invoke<C extends CommandName>(command: C, input?: unknown): Promise<Result<CommandOutput<C>>> {
      if (status.state === 'unauthorized' || status.state === 'no_token') {
        return Promise.resolve(failure('unauthorized', 'Not connected: the engine rejected this page’s token.'));
      }
      const id = nextId++;
      const msg: BridgeClientMessage = { type: 'call', id, command, input: input ?? {} };
      return new Promise<Result<CommandOutput<C>>>((resolve) => {
        const timer = setTimer(() => {
          const i = queued.findIndex((q) => q.id === id);
          if (i >= 0) queued.splice(i, 1);
          settle(
            id,
            failure(
              'timeout',
              command === 'order.place'
                ? 'The engine did not answer in time — the order may have been placed. Check Working orders before placing again.'
                : `The engine did not answer ${command} in time.`,
            ),
          );
        }, callTimeoutMs);
        pending.set(id, { command, resolve: resolve as (r: Result<unknown>) => void, timer });
        if (socket && authenticated && socket.readyState === OPEN) socket.send(JSON.stringify(msg));
        else queued.push({ id, msg });
      });
    },
    subscribe(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
  };

  connect();

  return {
    client,
    fake: false,
    status: () => status,
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
  };
}

/** A link for a page opened without a token: every call fails with a message saying what to do. */
export function noTokenLink(): EngineLink {
  const status: LinkStatus = { state: 'no_token', detail: 'no token — open the URL printed by `tradeport serve`' };
  return {
    fake: false,
    status: () => status,
    onStatus: () => () => undefined,
    client: {
      transport: 'bridge',
      invoke: () => Promise.resolve(failure('unauthorized', 'No bridge token in the URL. Open the full URL printed by `tradeport serve` (it ends in #token=…).')),
      subscribe: () => () => undefined,
    },
  };
}
