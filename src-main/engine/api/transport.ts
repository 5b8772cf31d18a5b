/**
 * The shapes the three transports share. Pure types: imported by the preload, the renderer and the
 * headless bridge.
 */
import type { Result } from './errors';
import type { CommandName, CommandOutput } from './commands';
import type { EngineEvent } from './events';
import type { NotableKind } from './notable-events';

/** The window's notification switches, handed to the desktop shell so its OS notifications follow them. */
export interface ShellNotificationPrefs {
  /** Kinds switched off; every other kind is shown. */
  readonly off: readonly NotableKind[];
  readonly sound: boolean;
}

/**
 * What the preload exposes as `window.tradeport` (Electron) and what the renderer's bridge client
 * implements over WebSocket (headless). The renderer codes against this and nothing else.
 */
export interface TradeportClient {
  invoke<C extends CommandName>(command: C, input?: unknown): Promise<Result<CommandOutput<C>>>;
  /** Events arrive in batches, in engine order; returns an unsubscribe function. */
  subscribe(listener: (events: EngineEvent[]) => void): () => void;
  /** Transport name, shown in the status bar. */
  readonly transport: 'ipc' | 'bridge';
  /** Desktop app only: tells the shell which OS notifications to show (the bridge has no shell). */
  setNotificationPrefs?(prefs: ShellNotificationPrefs): Promise<Result<null>>;
}

/** Electron IPC channel names. The preload allow-lists exactly these. */
export const IPC_INVOKE = 'tradeport:invoke';
export const IPC_EVENTS = 'tradeport:events';
export const IPC_PREFS = 'tradeport:prefs';

/**
 * Headless WebSocket bridge protocol (JSON text frames, one object each).
 *  1. client → `{type:'hello', token}`; server → `{type:'welcome', version}` or closes with 4401.
 *     The page reads the token from `location.hash` (`#token=…`), so it never reaches a server log.
 *  2. client → `{type:'call', id, command, input}`; server → `{type:'result', id, result}`.
 *  3. server → `{type:'events', events:[…]}` (quotes conflated per instrument between flushes).
 * Frames over MAX_MESSAGE_BYTES are refused with a `message_too_large` result (or close 1009).
 */
export type BridgeClientMessage =
  /** `client` names the caller for the audit log: the CLI says 'cli'; the renderer says nothing ('user'). */
  { readonly type: 'hello'; readonly token: string; readonly client?: 'ui' | 'cli' } | { readonly type: 'call'; readonly id: number; readonly command: string; readonly input?: unknown };

export type BridgeServerMessage =
  | { readonly type: 'welcome'; readonly version: string }
  | { readonly type: 'result'; readonly id: number; readonly result: Result<unknown> }
  | { readonly type: 'events'; readonly events: EngineEvent[] };

export const BRIDGE_PATH = '/bridge';
export const BRIDGE_AUTH_FAILED_CLOSE_CODE = 4401;
export const DEFAULT_SERVE_PORT = 7420;
