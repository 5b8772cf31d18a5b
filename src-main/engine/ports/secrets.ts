/**
 * Secrets live only in the OS keychain (DESIGN.md rule 6) or, on a server without one, in the
 * encrypted keystore file. The engine sees this port; the keytar implementation is in
 * secrets-keytar.ts, the keystore in secrets-keystore.ts, the in-memory one is for tests. Nothing
 * that reads a secret may pass it to a log, an event, an error message, SQLite or the renderer.
 */
export interface SecretStore {
  get(account: string): Promise<string | undefined>;
  set(account: string, value: string): Promise<void>;
  delete(account: string): Promise<boolean>;
  has(account: string): Promise<boolean>;
}

/** Keychain account name for one secret field of one configured venue. */
export function secretAccount(venue: string, field: string): string {
  return `${venue}/${field}`;
}

export class MemorySecretStore implements SecretStore {
  private readonly map = new Map<string, string>();
  async get(account: string) {
    return this.map.get(account);
  }
  async set(account: string, value: string) {
    this.map.set(account, value);
  }
  async delete(account: string) {
    return this.map.delete(account);
  }
  async has(account: string) {
    return this.map.has(account);
  }
}
