/**
 * Which SecretStore an engine run by the CLI or `serve` gets. The OS keychain when it answers;
 * the encrypted keystore file in the data dir when asked for (`--keystore`, a passphrase flag),
 * when that file already holds the secrets, or — offered at `serve` start on a terminal — when
 * the machine has no keychain (a server with no D-Bus Secret Service). The desktop app always
 * uses the keychain and never comes here.
 *
 * `serve` unlocks the keystore once at start, so a wrong passphrase stops it right there. A
 * one-shot command unlocks only when it touches a secret, so `tradeport orders` never asks.
 */
import fs from 'node:fs';
import { TradeportError, type ApiError } from '../engine/api/errors';
import { KeystoreError, type KdfParams } from '../engine/ports/keystore-format';
import type { KeychainProbe } from '../engine/ports/secrets-keytar';
import { KeystoreSecretStore, keystorePath } from '../engine/ports/secrets-keystore';
import type { SecretStore } from '../engine/ports/secrets';
import type { SecretOptions } from './argv';
import { hasPassphraseSource, PassphraseError, readPassphraseFromFlags } from './passphrase';

export interface SecretStoreRequest extends SecretOptions {
  readonly dataDir: string;
  readonly purpose: 'serve' | 'command';
}

export interface SecretStoreChoiceDeps {
  readonly probeKeychain: () => Promise<KeychainProbe>;
  readonly keychain: () => SecretStore;
  /** A prompt on the terminal without echo; absent when there is no terminal to ask on. */
  readonly prompt?: ((text: string) => Promise<string>) | undefined;
  readonly stderr: { write(s: string): unknown };
  /** scrypt cost of a new keystore (tests use a cheap one). */
  readonly kdf?: KdfParams;
}

const MAX_PROMPTS = 3;

export async function chooseSecretStore(req: SecretStoreRequest, deps: SecretStoreChoiceDeps): Promise<SecretStore> {
  const file = keystorePath(req.dataDir);
  const useKeystore = req.keystore || hasPassphraseSource(req) || fs.existsSync(file);
  if (req.purpose === 'command') {
    return new UnlockOnUse(useKeystore ? () => unlockKeystore(file, req, deps) : () => keychainOrExplain(deps));
  }
  if (useKeystore) {
    const store = await unlockKeystore(file, req, deps);
    deps.stderr.write(`Secrets: the encrypted keystore ${file}\n`);
    return store;
  }
  const probe = await deps.probeKeychain();
  if (probe.available) return deps.keychain();
  deps.stderr.write(`No OS keychain on this machine (${probe.reason}).\n`);
  if (deps.prompt) {
    deps.stderr.write(`Venue secrets can be kept in an encrypted keystore file instead: ${file}\n`);
    const store = await promptForKeystore(file, deps, true);
    if (store) {
      deps.stderr.write(`Secrets: the encrypted keystore ${file}\n`);
      return store;
    }
  }
  deps.stderr.write('Secrets: none can be stored in this run. Restart with --keystore to keep them in the encrypted keystore.\n');
  return new UnlockOnUse(async () => Promise.reject(noKeychain(probe.reason)));
}

/** The keystore problem as an API error a trader can act on (the message never holds a secret). */
export function secretStoreError(e: unknown): ApiError | undefined {
  if (e instanceof KeystoreError) return { code: e.problem === 'wrong_passphrase' ? 'unauthorized' : e.problem === 'weak_passphrase' ? 'invalid_input' : 'secret_missing', message: e.message };
  if (e instanceof PassphraseError) return { code: 'invalid_input', message: e.message };
  return undefined;
}

async function unlockKeystore(file: string, req: SecretStoreRequest, deps: SecretStoreChoiceDeps): Promise<KeystoreSecretStore> {
  const given = readPassphraseFromFlags(req, (s) => deps.stderr.write(s));
  if (given !== undefined) return KeystoreSecretStore.unlock(file, given, keystoreOpts(deps));
  if (!deps.prompt) {
    throw new PassphraseError(`The keystore ${file} needs its passphrase and there is no terminal to ask it on. Give it with --passphrase-fd N or --passphrase-file PATH.`);
  }
  return (await promptForKeystore(file, deps, false))!;
}

/** Asks on the terminal (a new keystore: twice); undefined when the trader declines with an empty line. */
async function promptForKeystore(file: string, deps: SecretStoreChoiceDeps, mayDecline: boolean): Promise<KeystoreSecretStore | undefined> {
  const prompt = deps.prompt!;
  const exists = fs.existsSync(file);
  for (let attempt = 1; ; attempt++) {
    const text = exists ? `Keystore passphrase for ${file}: ` : `New keystore passphrase (at least 8 characters${mayDecline ? '; empty to go on without one' : ''}): `;
    const passphrase = await prompt(text);
    if (passphrase === '' && mayDecline) return undefined;
    if (!exists && (await prompt('Repeat the passphrase: ')) !== passphrase) {
      if (attempt >= MAX_PROMPTS) throw new PassphraseError('The passphrases did not match.');
      deps.stderr.write('The two passphrases differ; try again.\n');
      continue;
    }
    try {
      return await KeystoreSecretStore.unlock(file, passphrase, keystoreOpts(deps));
    } catch (e) {
      const retry = e instanceof KeystoreError && (e.problem === 'wrong_passphrase' || e.problem === 'weak_passphrase');
      if (!retry || attempt >= MAX_PROMPTS) throw e;
      deps.stderr.write(`${e.message}\n`);
    }
  }
}

async function keychainOrExplain(deps: SecretStoreChoiceDeps): Promise<SecretStore> {
  const probe = await deps.probeKeychain();
  if (probe.available) return deps.keychain();
  throw noKeychain(probe.reason);
}

function noKeychain(reason: string): TradeportError {
  return new TradeportError(
    'secret_missing',
    `There is no OS keychain on this machine (${reason}). Keep venue secrets in the encrypted keystore instead: restart with \`tradeport serve --keystore\` (it asks for a passphrase once), or give this command --keystore with --passphrase-fd N or --passphrase-file PATH.`,
  );
}

function keystoreOpts(deps: SecretStoreChoiceDeps) {
  return deps.kdf ? { kdf: deps.kdf } : {};
}

/** Opens the real store on first use; its failures become API errors with the store's message. */
class UnlockOnUse implements SecretStore {
  private opened?: Promise<SecretStore>;
  constructor(private readonly open: () => Promise<SecretStore>) {}

  get(account: string) {
    return this.use((s) => s.get(account));
  }
  set(account: string, value: string) {
    return this.use((s) => s.set(account, value));
  }
  delete(account: string) {
    return this.use((s) => s.delete(account));
  }
  has(account: string) {
    return this.use((s) => s.has(account));
  }

  private async use<T>(op: (s: SecretStore) => Promise<T>): Promise<T> {
    try {
      return await op(await (this.opened ??= this.open()));
    } catch (e) {
      const api = secretStoreError(e);
      throw api ? new TradeportError(api.code, api.message) : e;
    }
  }
}
