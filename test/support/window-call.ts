/**
 * How the trader's window calls the engine: an order is placed only on a preview it has shown
 * (issue 8 item 1), so `order.place` from IPC or the bridge is preceded by `order.preview` and
 * carries that preview's id and client order id. Engine tests that act as the window go through
 * this, so they exercise the same path the ticket does; a refused preview is the answer, as it is
 * on screen.
 */
import type { CallContext } from '../../src-main/engine/api/engine-api';
import type { Result } from '../../src-main/engine/api/errors';
import type { Engine } from '../../src-main/engine/engine';

const fromWindow = (ctx?: CallContext) => ctx?.actor === 'user' && (ctx.transport === 'ipc' || ctx.transport === 'bridge');

export async function windowCall(engine: Pick<Engine, 'call'>, command: string, input: unknown, ctx?: CallContext): Promise<Result<unknown>> {
  const call = engine.call as (c: string, i: unknown, x?: CallContext) => Promise<Result<unknown>>;
  if (command !== 'order.place' || !fromWindow(ctx) || typeof input !== 'object' || input === null || 'previewId' in input) return call(command, input, ctx);
  const { expectRoute: _route, ...ticket } = input as Record<string, unknown>;
  const pv = await call('order.preview', ticket, ctx);
  if (!pv.ok) return pv;
  const p = pv.value as { previewId: string; clientOrderId: string };
  return call('order.place', { ...input, clientOrderId: (input as { clientOrderId?: string }).clientOrderId ?? p.clientOrderId, previewId: p.previewId }, ctx);
}
