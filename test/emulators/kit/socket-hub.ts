/**
 * The bookkeeping every venue stream hub repeats: the sockets it serves with a state each, forgotten
 * when they close, and the two ways of ending them — `dropAll` (the `drop-sockets` fault: terminated,
 * no close frame) and `close` (a clean shutdown) — and an `outage` that drops them all and cuts new
 * ones off until it ends (a hub's `attach` starts with `cutOff`). A hub that speaks JSON reads frames
 * with `jsonObject`.
 */
import type { WebSocket } from 'ws';

export abstract class SocketHub<S> {
  protected readonly sockets = new Map<WebSocket, S>();
  private out = false;

  /** Starts (`down`) or ends an outage of this hub alone; returns how many sockets it dropped. */
  outage(down: boolean): number {
    this.out = down;
    if (!down) return 0;
    const n = this.sockets.size;
    this.dropAll();
    return n;
  }

  /** During an outage a new socket is terminated at once (true: the hub must not serve it). */
  protected cutOff(ws: WebSocket): boolean {
    if (this.out) ws.terminate();
    return this.out;
  }

  /** Runs when a socket is forgotten (clear its timers). */
  protected abstract release(state: S): void;

  /** Starts serving a socket: `onText` gets each text frame (binary frames arrive as ''). */
  protected track(ws: WebSocket, state: S, onText: (text: string) => void): void {
    this.sockets.set(ws, state);
    ws.on('message', (raw, isBinary) => onText(isBinary ? '' : raw.toString()));
    ws.on('close', () => this.forget(ws));
    ws.on('error', () => this.forget(ws));
  }

  protected forget(ws: WebSocket): void {
    const s = this.sockets.get(ws);
    if (s === undefined) return;
    this.sockets.delete(ws);
    this.release(s);
  }

  /** Fault: terminate every socket without a close frame. */
  dropAll(): void {
    for (const ws of [...this.sockets.keys()]) {
      this.forget(ws);
      ws.terminate();
    }
  }

  close(): void {
    for (const ws of [...this.sockets.keys()]) {
      this.forget(ws);
      ws.close(1001, 'server shutting down');
    }
  }
}

/** A frame parsed as a JSON object, or undefined (not JSON, an array, a scalar). */
export function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
