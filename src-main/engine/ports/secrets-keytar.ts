/**
 * SecretStore backed by the OS keychain through keytar: macOS Keychain, Windows Credential
 * Manager, the Secret Service (GNOME Keyring, KWallet) on Linux.
 */
import type { SecretStore } from './secrets';

export const KEYCHAIN_SERVICE = 'Tradeport';

type Keytar = typeof import('keytar');

export class KeytarSecretStore implements SecretStore {
  private keytar?: Keytar;
  constructor(private readonly service: string = KEYCHAIN_SERVICE) {}

  // Loaded lazily: a missing libsecret must not stop the engine from starting, only secret access.
  private async lib(): Promise<Keytar> {
    if (!this.keytar) {
      const mod = (await import('keytar')) as Keytar & { default?: Keytar };
      this.keytar = mod.default ?? mod;
    }
    return this.keytar;
  }
  async get(account: string) {
    return (await (await this.lib()).getPassword(this.service, account)) ?? undefined;
  }
  async set(account: string, value: string) {
    await (await this.lib()).setPassword(this.service, account, value);
  }
  async delete(account: string) {
    return (await this.lib()).deletePassword(this.service, account);
  }
  async has(account: string) {
    return (await this.get(account)) !== undefined;
  }
}
