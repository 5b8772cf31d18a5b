/**
 * SecretStore in an encrypted file in the data dir, for servers with no OS keychain (no D-Bus
 * Secret Service next to IB Gateway). The passphrase is used once to derive the key and is never
 * kept; the key lives only in this process's memory. Every write re-seals the whole file with a
 * fresh IV and replaces it atomically (mode 0600).
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic, type AtomicWriteHooks } from './atomic-file';
import { KeystoreError, newKeys, parseDocument, seal, unlockKeys, unseal, type KdfParams, type KeystoreKeys, type SecretMap } from './keystore-format';
import type { SecretStore } from './secrets';

export const KEYSTORE_FILE = 'secrets.keystore';
export const MIN_PASSPHRASE_LENGTH = 8;

export function keystorePath(dataDir: string): string {
  return path.join(dataDir, KEYSTORE_FILE);
}

export interface KeystoreOptions {
  /** scrypt cost for a new keystore (an existing one keeps the cost in its header). */
  readonly kdf?: KdfParams;
  readonly writeHooks?: AtomicWriteHooks;
}

export class KeystoreSecretStore implements SecretStore {
  /** Writes run one after another so two `set`s never lose each other's secret. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly file: string,
    private readonly keys: KeystoreKeys,
    private readonly opts: KeystoreOptions,
  ) {}

  /** Opens the keystore at `file`, creating an empty one when there is none yet. */
  static async unlock(file: string, passphrase: string, opts: KeystoreOptions = {}): Promise<KeystoreSecretStore> {
    if (!fs.existsSync(file)) return KeystoreSecretStore.create(file, passphrase, opts);
    const doc = parseDocument(fs.readFileSync(file, 'utf8'), file);
    const keys = await unlockKeys(doc, passphrase, file);
    unseal(keys, doc, file); // a damaged file is refused now, not at the first secret a venue asks for
    return new KeystoreSecretStore(file, keys, opts);
  }

  private static async create(file: string, passphrase: string, opts: KeystoreOptions): Promise<KeystoreSecretStore> {
    if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) {
      throw new KeystoreError('weak_passphrase', `A new keystore needs a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters.`);
    }
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const store = new KeystoreSecretStore(file, await newKeys(passphrase, opts.kdf), opts);
    store.write({});
    return store;
  }

  async get(account: string): Promise<string | undefined> {
    await this.queue;
    return this.read()[account];
  }

  async has(account: string): Promise<boolean> {
    return (await this.get(account)) !== undefined;
  }

  set(account: string, value: string): Promise<void> {
    return this.update((m) => {
      m[account] = value;
      return undefined;
    });
  }

  delete(account: string): Promise<boolean> {
    return this.update((m) => {
      if (!(account in m)) return false;
      delete m[account];
      return true;
    });
  }

  private update<T>(change: (m: SecretMap) => T): Promise<T> {
    const run = this.queue.then(() => {
      const m = this.read();
      const result = change(m);
      if (result !== false) this.write(m);
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private read(): SecretMap {
    // Read on every call: a file replaced by a restore from backup is seen at once, and checked again.
    const doc = parseDocument(fs.readFileSync(this.file, 'utf8'), this.file);
    return unseal(this.keys, doc, this.file);
  }

  private write(m: SecretMap): void {
    writeFileAtomic(this.file, JSON.stringify(seal(this.keys, m)) + '\n', 0o600, this.opts.writeHooks);
  }
}
