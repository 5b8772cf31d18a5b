/**
 * Kraken private-call auth: `API-Key` and `API-Sign = base64(HMAC-SHA512(base64decode(secret),
 * path + SHA256(nonce + body)))`, the nonce from one persisted, strictly increasing source per key.
 */
import { createHash, createHmac } from 'node:crypto';
import type Database from 'better-sqlite3';
import { TradeportError } from '../../api/errors';
import { secretAccount, type SecretStore } from '../../ports/secrets';
import { applyOwnedMigrations } from '../../store/owned-migrations';
import { KRAKEN_MIGRATIONS } from './kraken-migrations';

export interface KrakenKeys {
  readonly apiKey: string;
  readonly apiSecret: string;
}

export async function loadKrakenKeys(secrets: SecretStore, venue: string): Promise<KrakenKeys> {
  const apiKey = (await secrets.get(secretAccount(venue, 'apiKey')))?.trim() ?? '';
  const apiSecret = (await secrets.get(secretAccount(venue, 'apiSecret')))?.trim() ?? '';
  const missing = [apiKey === '' ? 'apiKey' : '', apiSecret === '' ? 'apiSecret' : ''].filter(Boolean);
  if (missing.length > 0)
    throw new TradeportError(
      'secret_missing',
      `Kraken venue ${venue} has no ${missing.join(' or ')}. Set it with: ${missing.map((m) => `tradeport secret set ${venue} ${m}`).join(' and ')} (Kraken → Settings → API).`,
    );
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(apiSecret)) throw new TradeportError('invalid_input', `Kraken venue ${venue}: apiSecret is not base64; paste the "Private key" exactly as Kraken shows it.`);
  return { apiKey, apiSecret };
}

export function krakenSign(path: string, nonce: string, body: string, secretB64: string): string {
  const inner = createHash('sha256')
    .update(nonce + body)
    .digest();
  return createHmac('sha512', Buffer.from(secretB64, 'base64'))
    .update(Buffer.concat([Buffer.from(path), inner]))
    .digest('base64');
}

/**
 * Nonces for one API key: max(last + 1, now in µs), written before use, so neither a restart, a
 * clock step back nor a second Tradeport process (the CLI) on the same database can reuse one.
 */
export class KrakenNonces {
  private readonly bump: Database.Statement<[number, string], { last: number }>;
  private readonly seed: Database.Statement<[string]>;

  constructor(
    db: Database.Database,
    private readonly now: () => number,
  ) {
    applyOwnedMigrations(db, 'kraken', KRAKEN_MIGRATIONS);
    this.seed = db.prepare('INSERT OR IGNORE INTO kraken_nonces (key_id, last) VALUES (?, 0)');
    this.bump = db.prepare<[number, string], { last: number }>('UPDATE kraken_nonces SET last = MAX(last + 1, ?) WHERE key_id = ? RETURNING last');
  }

  next(apiKey: string): string {
    const id = keyId(apiKey);
    this.seed.run(id);
    const row = this.bump.get(Math.floor(this.now()) * 1000, id);
    if (!row) throw new Error('kraken nonce store: no row after insert');
    return String(row.last);
  }
}

export function keyId(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex');
}
