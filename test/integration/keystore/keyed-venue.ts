/**
 * A venue that needs an API key, as Alpaca or Kraken will: it reads `<name>/apiKey` from the
 * SecretStore when it starts and connects only if the key is the expected one. The test hands the
 * harness the key's SHA-256 (never the key), so "connected" proves the engine read the secret back.
 */
import { createHash } from 'node:crypto';
import { secretAccount } from '../../../src-main/engine/ports/secrets';
import type { VenueContext, VenueFactory, VenueListener, VenueStatus } from '../../../src-main/engine/venues/venue-port';
import { ScriptedVenue } from '../../support/scripted-venue';

class KeyedVenue extends ScriptedVenue {
  private keyOk = false;
  constructor(
    private readonly ctx: VenueContext,
    private readonly expectedSha256: string,
  ) {
    super(ctx.name, () => Date.now());
  }
  override async start(l: VenueListener): Promise<void> {
    const key = await this.ctx.secrets.get(secretAccount(this.ctx.name, 'apiKey'));
    this.keyOk = key !== undefined && createHash('sha256').update(key).digest('hex') === this.expectedSha256;
    if (!this.keyOk) {
      l.state('error', key === undefined ? 'API key not set' : 'API key refused');
      throw new Error(key === undefined ? 'API key not set' : 'API key refused');
    }
    await super.start(l);
  }
  // ScriptedVenue narrows state() to connected/disconnected; the engine reads it as any VenueStatus.
  override state(): ReturnType<ScriptedVenue['state']> {
    const refused: VenueStatus = { state: 'error', detail: 'API key not set or refused' };
    return this.keyOk ? super.state() : (refused as ReturnType<ScriptedVenue['state']>);
  }
}

export function keyedFactory(expectedSha256: string): VenueFactory {
  return {
    info: { kind: 'keyed', label: 'Keyed test venue', settings: [], secrets: [{ field: 'apiKey', label: 'API key' }] },
    create: (ctx) => new KeyedVenue(ctx, expectedSha256),
  };
}
