/**
 * Typed access to the one client picked at startup. Inputs are typed by the contract's zod
 * schemas, outputs by CommandOutputs; the engine still validates everything.
 */
import type { CommandInput, CommandName, CommandOutput } from '../../../src-main/engine/api/commands';
import type { Result } from '../../../src-main/engine/api/errors';
import type { TradeportClient } from '../../../src-main/engine/api/transport';
import { forScreen } from './screen-messages';

let active: TradeportClient | undefined;

export function setActiveClient(client: TradeportClient): void {
  active = client;
}

export async function invoke<C extends CommandName>(command: C, input: CommandInput<C>): Promise<Result<CommandOutput<C>>> {
  if (!active) return { ok: false, error: { code: 'engine_busy', message: 'Still connecting to the engine.' } };
  try {
    return onScreen(await active.invoke(command, input));
  } catch {
    // The preload or socket threw instead of answering: present it like any refused call.
    return { ok: false, error: { code: 'internal', message: `${command} failed in transport; see the engine log.` } };
  }
}

/** Errors and preview issues in this app's words (screen-messages.ts); everything else as sent. */
function onScreen<T>(r: Result<T>): Result<T> {
  if (!r.ok) return { ok: false, error: { ...r.error, message: forScreen(r.error.message) } };
  const v = r.value as unknown;
  if (v && typeof v === 'object' && Array.isArray((v as { violations?: unknown }).violations) && Array.isArray((v as { warnings?: unknown }).warnings)) {
    const p = v as { violations: { message: string }[]; warnings: { message: string }[] };
    const fix = <I extends { message: string }>(list: I[]): I[] => list.map((i) => ({ ...i, message: forScreen(i.message) }));
    return { ok: true, value: { ...p, violations: fix(p.violations), warnings: fix(p.warnings) } as T };
  }
  return r;
}
