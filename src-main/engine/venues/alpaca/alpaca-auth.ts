/** Alpaca key auth: the key id and secret from the SecretStore, sent as APCA-API-* headers. */
import { TradeportError } from '../../api/errors';
import { secretAccount, type SecretStore } from '../../ports/secrets';

export interface AlpacaKeys {
  readonly keyId: string;
  readonly secretKey: string;
}

export async function loadAlpacaKeys(secrets: SecretStore, venue: string): Promise<AlpacaKeys> {
  const keyId = (await secrets.get(secretAccount(venue, 'keyId')))?.trim() ?? '';
  const secretKey = (await secrets.get(secretAccount(venue, 'secretKey')))?.trim() ?? '';
  const missing = [keyId === '' ? 'keyId' : '', secretKey === '' ? 'secretKey' : ''].filter(Boolean);
  if (missing.length > 0)
    throw new TradeportError(
      'secret_missing',
      `Alpaca venue ${venue} has no ${missing.join(' or ')}. Set it with: ${missing.map((m) => `tradeport secret set ${venue} ${m}`).join(' and ')} (from Alpaca's dashboard, paper or live).`,
    );
  return { keyId, secretKey };
}

export function alpacaHeaders(k: AlpacaKeys): Record<string, string> {
  return { 'APCA-API-KEY-ID': k.keyId, 'APCA-API-SECRET-KEY': k.secretKey, 'content-type': 'application/json' };
}
