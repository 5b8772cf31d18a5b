/**
 * The desk preferences (api/desk-prefs.ts) in their own table (owned migrations, owner
 * "desk-prefs"): one JSON document per key, replaced whole on each save.
 */
import type Database from 'better-sqlite3';
import { DESK_PREF_KEYS, type DeskPrefKey, type DeskPrefs } from '../api/desk-prefs';
import { applyOwnedMigrations, type OwnedMigration } from './owned-migrations';

const MIGRATIONS: readonly OwnedMigration[] = [
  {
    name: '001_desk_prefs',
    sql: `
CREATE TABLE desk_prefs (
  key      TEXT PRIMARY KEY,
  value    TEXT NOT NULL,
  saved_at INTEGER NOT NULL
);`,
  },
];

const KNOWN: ReadonlySet<string> = new Set(DESK_PREF_KEYS);

export class DeskPrefsRepo {
  constructor(private readonly db: Database.Database) {
    applyOwnedMigrations(db, 'desk-prefs', MIGRATIONS);
  }

  /** Every saved document; a row this version does not know, or cannot read, is left out. */
  all(): DeskPrefs {
    const out: Record<string, unknown> = {};
    for (const r of this.db.prepare('SELECT key, value FROM desk_prefs ORDER BY key').all() as { key: string; value: string }[]) {
      if (!KNOWN.has(r.key)) continue;
      try {
        out[r.key] = JSON.parse(r.value) as unknown;
      } catch {
        // A damaged row reads as never saved: the screen falls back to its defaults.
      }
    }
    return out as DeskPrefs;
  }

  get<K extends DeskPrefKey>(key: K): DeskPrefs[K] | undefined {
    return this.all()[key];
  }

  set(key: DeskPrefKey, value: unknown, savedAt: number): void {
    this.db
      .prepare('INSERT INTO desk_prefs (key, value, saved_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, saved_at = excluded.saved_at')
      .run(key, JSON.stringify(value), savedAt);
  }
}
