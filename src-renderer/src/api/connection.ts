/**
 * What the renderer needs beyond the shared TradeportClient contract: the state of the link to the
 * engine, so the status bar can show it and the store can refetch the snapshot after a reconnect.
 */
import type { TradeportClient } from '../../../src-main/engine/api/transport';

export type LinkState =
  /** First connection attempt in progress. */
  | 'connecting'
  /** Authenticated and usable. */
  | 'open'
  /** Lost; retrying with backoff. */
  | 'reconnecting'
  /** The bridge refused the token; retrying cannot help. */
  | 'unauthorized'
  /** No token in the URL, so there is nothing to connect with. */
  | 'no_token';

export interface LinkStatus {
  readonly state: LinkState;
  /** One line for the status bar; never contains the token. */
  readonly detail: string;
  /** Milliseconds until the next attempt, while reconnecting. */
  readonly retryInMs?: number;
}

export interface EngineLink {
  readonly client: TradeportClient;
  status(): LinkStatus;
  /** Called on every status change. `reconnected` is true when a lost link came back. */
  onStatus(listener: (status: LinkStatus, reconnected: boolean) => void): () => void;
  /** True when the data is fake (dev-only `?fake=1`): the status bar says so loudly. */
  readonly fake: boolean;
}

/** A link that is always open: Electron IPC lives as long as the window. */
export function staticLink(client: TradeportClient, fake = false): EngineLink {
  const status: LinkStatus = { state: 'open', detail: fake ? 'fake engine (dev only)' : 'connected' };
  return {
    client,
    fake,
    status: () => status,
    onStatus: () => () => undefined,
  };
}
