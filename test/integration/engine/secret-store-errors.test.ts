/**
 * A secret store that cannot answer (no keychain on this machine, keystore passphrase wrong)
 * explains itself; the engine passes its words on instead of blaming "the OS keychain" or
 * reporting a secret as "not set".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TradeportError } from '../../../src-main/engine/api/errors';
import { createEngine, type Engine } from '../../../src-main/engine/engine';
import type { SecretStore } from '../../../src-main/engine/ports/secrets';
import { VENUE_FACTORIES } from '../../../src-main/engine/venues/registry';
import { scriptedFactory } from '../../support/scripted-venue';

const UNAVAILABLE = 'There is no OS keychain on this machine (test). Restart with `tradeport serve --keystore`.';

class UnavailableStore implements SecretStore {
  private fail(): never {
    throw new TradeportError('secret_missing', UNAVAILABLE);
  }
  async get(): Promise<string | undefined> {
    return this.fail();
  }
  async set(): Promise<void> {
    this.fail();
  }
  async delete(): Promise<boolean> {
    return this.fail();
  }
  async has(): Promise<boolean> {
    return this.fail();
  }
}

let engine: Engine | undefined;
let dataDir: string;
afterEach(async () => {
  await engine?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('secret store errors through the engine', () => {
  it('passes the store’s own explanation to secret.set and secret.status', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-secret-errors-'));
    const factories = new Map([...VENUE_FACTORIES, ['scripted', scriptedFactory(() => Date.now())]]);
    engine = await createEngine({ dataDir, secrets: new UnavailableStore(), venueFactories: factories });
    const ctx = { actor: 'cli', transport: 'cli' } as const;
    expect((await engine.callRaw('venue.add', { kind: 'scripted', name: 's1', settings: {} }, ctx)).ok).toBe(true);

    const set = await engine.callRaw('secret.set', { venue: 's1', field: 'apiKey', value: 'v-123' }, ctx);
    expect(set).toEqual({ ok: false, error: { code: 'secret_missing', message: UNAVAILABLE } });

    const status = await engine.callRaw('secret.status', { venue: 's1' }, ctx);
    expect(status).toEqual({ ok: false, error: { code: 'secret_missing', message: UNAVAILABLE } });
  });
});
