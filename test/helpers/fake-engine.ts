/**
 * A stand-in EngineApi for transport tests: records calls, answers from a handler, and lets the
 * test emit events. Transports must behave identically over it and over the real engine.
 */
import type { CallContext, EngineApi } from '../../src-main/engine/api/engine-api';
import { fail, ok, type Result } from '../../src-main/engine/api/errors';
import type { EngineEvent } from '../../src-main/engine/api/events';

export interface RecordedCall {
  readonly command: string;
  readonly input: unknown;
  readonly ctx?: CallContext;
}

export class FakeEngine implements EngineApi {
  readonly calls: RecordedCall[] = [];
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  closed = false;
  readonly info = { version: 'test', dataDir: '/tmp/fake', pid: process.pid, startedAt: 0 };

  constructor(
    private readonly handler: (command: string, input: unknown) => Result<unknown> | Promise<Result<unknown>> = (command, input) =>
      command === 'bad.command' ? fail('unknown_command', `Unknown command '${command}'.`) : ok({ echo: { command, input } }),
  ) {}

  call(command: never, input: unknown, ctx?: CallContext): Promise<never> {
    return this.callRaw(command, input, ctx) as Promise<never>;
  }
  async callRaw(command: string, input: unknown, ctx?: CallContext): Promise<Result<unknown>> {
    this.calls.push({ command, input, ctx });
    return this.handler(command, input);
  }
  subscribe(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(e: EngineEvent): void {
    for (const l of this.listeners) l(e);
  }
  get listenerCount(): number {
    return this.listeners.size;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

export function quote(instrumentId: string, bid: string, ts = 1): EngineEvent {
  return { type: 'quote', quote: { instrumentId, venue: 'paper', symbol: instrumentId.replace(/^paper:/, ''), bid, ask: bid, ts } };
}

export function orderEvent(id: string, status: 'submitted' | 'accepted' | 'partially_filled' | 'filled' | 'cancelled'): EngineEvent {
  return {
    type: 'order',
    order: {
      id,
      clientOrderId: `c-${id}`,
      venue: 'paper',
      instrumentId: 'paper:BTC/USD',
      symbol: 'BTC/USD',
      side: 'buy',
      type: 'limit',
      qty: '1',
      limitPrice: '100',
      tif: 'day',
      status,
      filledQty: status === 'filled' ? '1' : '0',
      avgFillPrice: '0',
      fees: '0',
      source: 'user',
      createdAt: 1,
      updatedAt: 1,
    },
  };
}
