/**
 * The desk preferences live in the engine's data dir (`prefs.get` / `prefs.set`), shared by the
 * desktop app and every browser on the headless bridge, and kept when the renderer's cache is
 * wiped. The page's localStorage stays as a fast local copy, so the window draws the trader's look
 * before the engine answers.
 *
 * This is the storage each preference store writes through: a write lands in the local copy at
 * once and reaches the engine after a short quiet spell (a dragged splitter is one save, not
 * sixty). At start, `start()` reads the engine's documents: one the engine has replaces the local
 * copy (and is drawn); one only the local copy has is sent up (the first run after this change
 * migrates what the browser kept); one changed meanwhile on screen wins and is sent.
 */
import type { DeskPrefKey, DeskPrefs } from '../../../src-main/engine/api/desk-prefs';
import type { Result } from '../../../src-main/engine/api/errors';
import type { KeyValueStorage } from './local-storage';

export interface PrefBinding {
  readonly key: DeskPrefKey;
  /** The key of the local copy (localStorage). */
  readonly localKey: string;
}

export interface PrefsEngine {
  load(): Promise<Result<DeskPrefs>>;
  save(key: DeskPrefKey, value: unknown): Promise<Result<unknown>>;
}

export interface SyncTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const SAVE_QUIET_MS = 400;

export class DeskPrefsSync implements KeyValueStorage {
  private readonly byLocal = new Map<string, DeskPrefKey>();
  private readonly localOf = new Map<DeskPrefKey, string>();
  private readonly hydrators = new Map<DeskPrefKey, (raw: string) => void>();
  /** Written on screen, not yet sent: the newest JSON text per key. */
  private readonly pending = new Map<DeskPrefKey, string>();
  private readonly timers = new Map<DeskPrefKey, unknown>();
  private engine: PrefsEngine | undefined;
  private lastError: string | undefined;

  constructor(
    private readonly local: KeyValueStorage | undefined,
    bindings: readonly PrefBinding[],
    private readonly clock: SyncTimers,
    private readonly quietMs = SAVE_QUIET_MS,
  ) {
    for (const b of bindings) {
      this.byLocal.set(b.localKey, b.key);
      this.localOf.set(b.key, b.localKey);
    }
  }

  /** How a store takes a document the engine had (its own parse: junk falls back to defaults). */
  onLoad(key: DeskPrefKey, hydrate: (raw: string) => void): void {
    this.hydrators.set(key, hydrate);
  }

  getItem(localKey: string): string | null {
    try {
      return this.local?.getItem(localKey) ?? null;
    } catch {
      return null;
    }
  }

  setItem(localKey: string, value: string): void {
    this.writeLocal(localKey, value);
    const key = this.byLocal.get(localKey);
    if (!key) return;
    this.pending.set(key, value);
    if (this.engine) this.schedule(key);
  }

  /** Why the last save to the engine failed (the local copy still holds); undefined when it did not. */
  get saveError(): string | undefined {
    return this.lastError;
  }

  /** Reads the engine's documents and starts sending changes; false when the engine could not be read (the local copy stays in use, and changes are sent from now on). */
  async start(engine: PrefsEngine): Promise<boolean> {
    const r = await engine.load();
    this.engine = engine;
    if (r.ok) {
      for (const [key, localKey] of this.localOf) {
        if (this.pending.has(key)) continue;
        const there = r.value[key];
        if (there !== undefined) {
          const raw = JSON.stringify(there);
          this.writeLocal(localKey, raw);
          this.hydrators.get(key)?.(raw);
        } else if (key === 'oneClick') {
          // One-click opt-ins are a trading permission: only the engine's copy counts. A copy only
          // this browser kept (an old profile, another data dir) is dropped, never carried up.
          if (this.getItem(localKey) !== null) {
            this.writeLocal(localKey, 'null');
            this.hydrators.get(key)?.('null');
          }
        } else {
          const mine = this.getItem(localKey);
          if (mine !== null) this.pending.set(key, mine);
        }
      }
    }
    for (const key of this.pending.keys()) this.schedule(key);
    return r.ok;
  }

  /**
   * Writes and sends at once, without the quiet spell (a switch the engine must know before the
   * next command, such as one-click's opt-in). Undefined while the engine has not been reached yet
   * (the change then waits, like any other).
   */
  async saveNow(localKey: string, value: string): Promise<Result<unknown> | undefined> {
    this.setItem(localKey, value);
    const key = this.byLocal.get(localKey);
    if (!key || !this.engine) return undefined;
    return this.send(key);
  }

  /** Sends every waiting change now (a window about to close). */
  async flush(): Promise<void> {
    await Promise.all([...this.pending.keys()].map(async (k) => this.send(k)));
  }

  private schedule(key: DeskPrefKey): void {
    const t = this.timers.get(key);
    if (t !== undefined) this.clock.clear(t);
    this.timers.set(
      key,
      this.clock.set(() => void this.send(key), this.quietMs),
    );
  }

  private async send(key: DeskPrefKey): Promise<Result<unknown> | undefined> {
    const t = this.timers.get(key);
    if (t !== undefined) this.clock.clear(t);
    this.timers.delete(key);
    const raw = this.pending.get(key);
    if (raw === undefined || !this.engine) return undefined;
    this.pending.delete(key);
    let value: unknown;
    try {
      value = JSON.parse(raw) as unknown;
    } catch {
      return undefined; // Not JSON: nothing a store writes; the engine would refuse it anyway.
    }
    const r = await this.engine.save(key, value);
    this.lastError = r.ok ? undefined : `${key}: ${r.error.message}`;
    return r;
  }

  private writeLocal(localKey: string, value: string): void {
    try {
      this.local?.setItem(localKey, value);
    } catch {
      // Storage full or blocked: the engine's copy still holds.
    }
  }
}
