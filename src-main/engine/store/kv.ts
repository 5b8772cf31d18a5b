/** Small JSON documents the engine keeps across restarts (kill switch, risk limits, counters). */
import type { Db } from './db';

export class EngineStateRepo {
  constructor(private readonly db: Db) {}
  get<T>(key: string): T | undefined {
    const r = this.db.prepare('SELECT value FROM engine_state WHERE key = ?').get(key) as { value: string } | undefined;
    return r ? (JSON.parse(r.value) as T) : undefined;
  }
  set(key: string, value: unknown): void {
    this.db.prepare('INSERT INTO engine_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
  }
}
