/**
 * Runs inside a private D-Bus session with an unlocked GNOME Keyring (started by the test), and
 * drives the real KeytarSecretStore against the Secret Service. Prints one JSON line.
 */
import { KeytarSecretStore } from '../../../src-main/engine/ports/secrets-keytar';
import { secretAccount } from '../../../src-main/engine/ports/secrets';

async function main() {
  const store = new KeytarSecretStore('Tradeport-test');
  const account = secretAccount('alpaca-live', 'apiSecret');
  const value = `s3cr3t-${process.pid}-ü`;
  const before = await store.has(account);
  await store.set(account, value);
  const read = await store.get(account);
  const has = await store.has(account);
  const deleted = await store.delete(account);
  const after = await store.get(account);
  process.stdout.write(JSON.stringify({ before, readMatches: read === value, has, deleted, after: after ?? null }) + '\n');
}

main().catch((err) => {
  process.stdout.write(JSON.stringify({ error: String((err as Error).message) }) + '\n');
  process.exit(1);
});
