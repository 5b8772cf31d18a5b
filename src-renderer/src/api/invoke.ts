/**
 * Typed access to the one client picked at startup. Inputs are typed by the contract's zod
 * schemas, outputs by CommandOutputs; the engine still validates everything.
 */
import type { CommandInput, CommandName, CommandOutput } from '../../../src-main/engine/api/commands';
import type { Result } from '../../../src-main/engine/api/errors';
import type { TradeportClient } from '../../../src-main/engine/api/transport';

let active: TradeportClient | undefined;

export function setActiveClient(client: TradeportClient): void {
  active = client;
}

export async function invoke<C extends CommandName>(command: C, input: CommandInput<C>): Promise<Result<CommandOutput<C>>> {
  if (!active) return { ok: false, error: { code: 'engine_busy', message: 'Still connecting to the engine.' } };
  try {
    return await active.invoke(command, input);
  } catch {
    // The preload or socket threw instead of answering: present it like any refused call.
    return { ok: false, error: { code: 'internal', message: `${command} failed in transport; see the engine log.` } };
  }
}
