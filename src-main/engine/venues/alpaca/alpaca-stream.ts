/**
 * Alpaca's sockets as ResilientWs connections that never carry an order:
 * - trade updates (`/stream`): authenticate + listen on every (re)connect; connected once Alpaca
 *   says `listening` (paper sends binary frames, ResilientWs reads them as text);
 * - market data (`/v2/iex|sip`, `/v1beta3/crypto/us`): auth + quote subscriptions, JSON frames.
 * Alpaca numbers nothing, so each reconnect is followed by a REST reconcile (the engine's).
 */
import { ResilientWs } from '../../net/resilient-ws';
import type { AlpacaKeys } from './alpaca-auth';
import type { WireTradeUpdate } from './alpaca-mapping';

export interface TradeStreamEvents {
  ready(): void;
  lost(reason: string): void;
  refused(reason: string): void;
  update(u: WireTradeUpdate): void;
}

/** `beforeConnect` runs before every attempt (it loads the keys; a throw retries with backoff). */
export function openTradeStream(url: string, name: string, keys: () => AlpacaKeys, on: TradeStreamEvents, beforeConnect: () => Promise<void>): ResilientWs {
  const ws = new ResilientWs({
    url: async () => {
      await beforeConnect();
      return url;
    },
    name: `${name} trade updates`,
    backoff: { initialMs: 100, maxMs: 5_000 },
    heartbeat: { intervalMs: 15_000, timeoutMs: 45_000 },
    onOpen: (c) => {
      const k = keys();
      c.sendNow(JSON.stringify({ action: 'authenticate', data: { key_id: k.keyId, secret_key: k.secretKey } }));
    },
  });
  ws.subscribe('trade_updates', JSON.stringify({ action: 'listen', data: { streams: ['trade_updates'] } }));
  ws.on('state', (s) => {
    if (s.state === 'reconnecting') on.lost(s.reason ?? 'closed');
  });
  ws.on('message', (text) => {
    let m: { stream?: string; data?: Record<string, unknown> };
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      return;
    }
    if (m.stream === 'authorization' && m.data?.['status'] !== 'authorized') on.refused('Alpaca refused the API key on the trade stream');
    else if (m.stream === 'listening' && Array.isArray(m.data?.['streams']) && (m.data['streams'] as string[]).includes('trade_updates')) on.ready();
    else if (m.stream === 'trade_updates' && m.data && typeof m.data['order'] === 'object') on.update(m.data as unknown as WireTradeUpdate);
  });
  return ws;
}

export interface DataQuote {
  readonly symbol: string;
  readonly bid: number;
  readonly ask: number;
  readonly bidSize: number;
  readonly askSize: number;
  readonly ts: number;
}

/** Today's bar of a symbol (the `dailyBars` channel, `T: "d"`): high, low, volume and close (the latest price) so far. */
export interface DataDayBar {
  readonly symbol: string;
  readonly close?: number;
  readonly high: number;
  readonly low: number;
  readonly volume: number;
}

/** A market-data stream; `watch` adds quote and daily-bar subscriptions (replayed after each reconnect). */
export class DataStream {
  readonly ws: ResilientWs;
  private readonly symbols = new Set<string>();

  constructor(url: string, name: string, keys: () => AlpacaKeys, onQuote: (q: DataQuote) => void, onError: (msg: string) => void, onDayBar?: (b: DataDayBar) => void) {
    this.ws = new ResilientWs({
      url,
      name,
      backoff: { initialMs: 200, maxMs: 10_000 },
      onOpen: (c) => {
        const k = keys();
        c.sendNow(JSON.stringify({ action: 'auth', key: k.keyId, secret: k.secretKey }));
      },
    });
    this.ws.on('message', (text) => {
      let frames: unknown;
      try {
        frames = JSON.parse(text);
      } catch {
        return;
      }
      if (!Array.isArray(frames)) return;
      for (const f of frames as Array<Record<string, unknown>>) {
        if (f['T'] === 'q' && typeof f['S'] === 'string')
          onQuote({ symbol: f['S'], bid: Number(f['bp']), ask: Number(f['ap']), bidSize: Number(f['bs']), askSize: Number(f['as']), ts: Date.parse(String(f['t'])) || Date.now() });
        else if (f['T'] === 'd' && typeof f['S'] === 'string') {
          const b = { symbol: f['S'], high: Number(f['h']), low: Number(f['l']), volume: Number(f['v']), ...(typeof f['c'] === 'number' ? { close: f['c'] } : {}) };
          if (Number.isFinite(b.high) && Number.isFinite(b.low) && Number.isFinite(b.volume)) onDayBar?.(b);
        } else if (f['T'] === 'error') onError(`${String(f['code'])} ${String(f['msg'])}`);
      }
    });
  }

  /** The symbols subscribed (each reconnect resubscribes them all). */
  watched(): readonly string[] {
    return [...this.symbols];
  }

  watch(symbol: string): void {
    if (this.symbols.has(symbol)) return;
    this.symbols.add(symbol);
    this.ws.subscribe('quotes', JSON.stringify({ action: 'subscribe', quotes: [...this.symbols], dailyBars: [...this.symbols] }));
  }

  start(): void {
    this.ws.start();
  }

  stop(): void {
    this.ws.stop();
  }
}
