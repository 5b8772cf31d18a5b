/** Configured venues: kind, non-secret settings, routing mode. Secrets are in the keychain only. */
import type { Db } from './db';

export interface VenueRecord {
  readonly name: string;
  readonly kind: string;
  readonly settings: Record<string, string>;
  readonly mode: string;
  readonly canaryPct: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export class VenuesRepo {
  constructor(private readonly db: Db) {}
  list(): VenueRecord[] {
    const rows = this.db.prepare('SELECT * FROM venues ORDER BY created_at, name').all() as Array<{
      name: string;
      kind: string;
      settings: string;
      mode: string;
      canary_pct: string;
      created_at: number;
      updated_at: number;
    }>;
    return rows.map((r) => ({
      name: r.name,
      kind: r.kind,
      settings: JSON.parse(r.settings) as Record<string, string>,
      mode: r.mode,
      canaryPct: r.canary_pct,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }
  get(name: string): VenueRecord | undefined {
    return this.list().find((v) => v.name === name);
  }
  insert(v: VenueRecord): void {
    this.db
      .prepare('INSERT INTO venues (name, kind, settings, mode, canary_pct, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(v.name, v.kind, JSON.stringify(v.settings), v.mode, v.canaryPct, v.createdAt, v.updatedAt);
  }
  updateSettings(name: string, settings: Record<string, string>, ts: number): void {
    this.db.prepare('UPDATE venues SET settings = ?, updated_at = ? WHERE name = ?').run(JSON.stringify(settings), ts, name);
  }
  updateMode(name: string, mode: string, canaryPct: string, ts: number): void {
    this.db.prepare('UPDATE venues SET mode = ?, canary_pct = ?, updated_at = ? WHERE name = ?').run(mode, canaryPct, ts, name);
  }
  remove(name: string): boolean {
    return this.db.prepare('DELETE FROM venues WHERE name = ?').run(name).changes === 1;
  }
}
