/**
 * What every transport needs from the engine: call a command, listen to events. Nothing else.
 */
import type { Actor } from '../domain/order';
import type { Result } from './errors';
import type { CommandName, CommandOutput, commandSchemas } from './commands';
import type { EngineEvent } from './events';

export interface CallContext {
  /** Who is calling; recorded in the audit log. */
  readonly actor: Actor;
  /** Transport name for the audit trail: ipc, bridge, cli, internal. */
  readonly transport: 'ipc' | 'bridge' | 'cli' | 'internal';
  /** A strategy instance placing orders (e.g. "dca-1"): the orders-per-minute guard counts per actor and strategy. */
  readonly strategyId?: string;
}

export interface EngineApi {
  /** `input` is untrusted; the engine validates it against the command's schema. */
  call<C extends CommandName>(command: C, input: unknown, ctx?: CallContext): Promise<Result<CommandOutput<C>>>;
  /** Untyped entry point for transports that receive the command name as data. */
  callRaw(command: string, input: unknown, ctx?: CallContext): Promise<Result<unknown>>;
  subscribe(listener: (event: EngineEvent) => void): () => void;
}

/** One handler per command, given the schema-checked input; the dispatcher (dispatcher.ts) calls them. */
export type CommandHandlers = {
  [C in CommandName]: (input: ReturnType<(typeof commandSchemas)[C]['parse']>, ctx: CallContext) => Promise<CommandOutput<C>> | CommandOutput<C>;
};
