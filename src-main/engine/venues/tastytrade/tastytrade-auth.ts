/**
 * tastytrade OAuth: the client secret and refresh token (SecretStore) buy a short-lived access token
 * (`POST /oauth/token`, 15 minutes). The token lives in memory only, is refreshed a minute before it
 * expires (or at once after a 401), and one refresh is in flight at a time.
 */
import { TradeportError } from '../../api/errors';
import type { Clock } from '../../ports/clock';
import { secretAccount, type SecretStore } from '../../ports/secrets';
import type { HttpClient } from '../../net/http-client';
import { parseToken } from './tastytrade-parsers';

export const USER_AGENT = 'tradeport/1.0';
const EARLY_MS = 60_000;

export interface TastytradeCredentials {
  readonly clientSecret: string;
  readonly refreshToken: string;
}

export async function loadTastytradeCredentials(secrets: SecretStore, venue: string): Promise<TastytradeCredentials> {
  const clientSecret = (await secrets.get(secretAccount(venue, 'clientSecret')))?.trim() ?? '';
  const refreshToken = (await secrets.get(secretAccount(venue, 'refreshToken')))?.trim() ?? '';
  const missing = [clientSecret === '' ? 'clientSecret' : '', refreshToken === '' ? 'refreshToken' : ''].filter(Boolean);
  if (missing.length > 0)
    throw new TradeportError(
      'secret_missing',
      `tastytrade venue ${venue} has no ${missing.join(' or ')}. Set it with: ${missing.map((m) => `tradeport secret set ${venue} ${m}`).join(' and ')} (from my.tastytrade.com → API → OAuth applications).`,
    );
  return { clientSecret, refreshToken };
}

export class TastytradeAuth {
  private token?: { value: string; expiresAt: number };
  private inFlight?: Promise<string>;
  refreshes = 0;

  constructor(
    private readonly http: () => Promise<HttpClient>,
    private readonly creds: () => Promise<TastytradeCredentials>,
    private readonly clock: Clock,
  ) {}

  /** A valid access token, refreshed when it is within a minute of expiry. */
  async accessToken(): Promise<string> {
    const t = this.token;
    if (t && t.expiresAt - EARLY_MS > this.clock.now()) return t.value;
    return this.refresh();
  }

  /** Forgets the token (a 401 said it is no longer good). */
  invalidate(): void {
    this.token = undefined;
  }

  private refresh(): Promise<string> {
    this.inFlight ??= (async () => {
      try {
        const c = await this.creds();
        const r = await (
          await this.http()
        ).request({
          method: 'POST',
          path: '/oauth/token',
          group: 'query',
          idempotent: true,
          headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT },
          body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: c.refreshToken, client_secret: c.clientSecret }),
        });
        const tok = parseToken(r.json);
        this.token = { value: tok.access_token, expiresAt: this.clock.now() + tok.expires_in * 1000 };
        this.refreshes++;
        return tok.access_token;
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }
}
