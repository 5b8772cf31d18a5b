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

export type KeychainProbe = { readonly available: true } | { readonly available: false; readonly reason: string };

/**
 * Whether the OS keychain answers at all. On a Linux server without a D-Bus session or a Secret
 * Service, keytar throws ("Cannot autolaunch D-Bus without X11 $DISPLAY", "The name
 * org.freedesktop.secrets was not provided by any .service files"); a locked keyring with no one
 * to unlock it can hang instead, hence the time limit.
 */
export async function probeKeychain(store: KeytarSecretStore = new KeytarSecretStore(), timeoutMs = 5_000): Promise<KeychainProbe> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<KeychainProbe>((resolve) => {
    timer = setTimeout(() => resolve({ available: false, reason: `the keychain did not answer within ${timeoutMs / 1000} s` }), timeoutMs);
    timer.unref();
  });
  const probe = store.has('tradeport-probe/unused').then(
    (): KeychainProbe => ({ available: true }),
    (e: unknown): KeychainProbe => ({ available: false, reason: e instanceof Error && e.message ? e.message : 'keytar failed' }),
  );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
