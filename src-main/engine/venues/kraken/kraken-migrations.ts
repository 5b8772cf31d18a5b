/** The Kraken venue's own tables. Append only: a shipped step is never edited, a change is a new entry. */
import type { OwnedMigration } from '../../store/owned-migrations';

export const KRAKEN_MIGRATIONS: readonly OwnedMigration[] = [
  {
    // Kraken refuses a nonce not larger than the last one it saw for the key: one persisted source
    // per key, shared by the engine and the CLI (SQLite serialises the increments), survives restarts.
    name: '001_kraken_nonces',
    sql: `
CREATE TABLE kraken_nonces (
  key_id  TEXT PRIMARY KEY,   -- sha256 of the API key (the key itself is a secret)
  last    INTEGER NOT NULL    -- the last nonce sent with this key
);
`,
  },
];
