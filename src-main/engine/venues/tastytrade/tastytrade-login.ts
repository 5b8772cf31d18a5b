/**
 * The tastytrade login a venue trades under, and the HTTP client that draws on that login's rate
 * budgets. tastytrade counts its limits per login, so two venues on two accounts of one login share
 * one limiter and two logins never do. The login is named by a non-secret identity: the first 16
 * hex digits of SHA-256 over the OAuth client secret and refresh token (the pair that IS the login's
 * grant; known before any request, so the very first token request is already counted against the
 * right budget — asking `/customers/me` would need a token, bought outside the budget, first).
 * The client is built on first use, once the credentials are read.
 */
import type { HttpClient } from '../../net/http-client';
import { secretKeyId, type RateLimiter } from '../../net/rate-limiter';
import type { TastytradeCredentials } from './tastytrade-auth';
import { sharedLimiter } from './tastytrade-limits';

/** A non-secret, stable name for the login behind these credentials (reveals nothing about them). */
export function loginIdentity(c: TastytradeCredentials): string {
  return secretKeyId(c.clientSecret, c.refreshToken);
}

export interface TastytradeLoginOptions {
  readonly restUrl: string;
  readonly credentials: () => Promise<TastytradeCredentials>;
  /** Builds the venue's HTTP client on the login's limiter. */
  readonly client: (limiter: RateLimiter) => HttpClient;
  /** The limiter is known (the connector's health reporter follows it). */
  readonly onLimiter?: (limiter: RateLimiter) => void;
}

export class TastytradeLogin {
  private built?: Promise<HttpClient>;
  private client?: HttpClient;

  constructor(private readonly o: TastytradeLoginOptions) {}

  /** The client on this login's shared limiter; a failed credential read is tried again next time. */
  http(): Promise<HttpClient> {
    this.built ??= (async () => {
      const limiter = sharedLimiter(`${this.o.restUrl}|${loginIdentity(await this.o.credentials())}`);
      this.client = this.o.client(limiter);
      this.o.onLimiter?.(limiter);
      return this.client;
    })().catch((e: unknown) => {
      this.built = undefined;
      throw e;
    });
    return this.built;
  }

  close(): void {
    this.client?.close();
  }
}
