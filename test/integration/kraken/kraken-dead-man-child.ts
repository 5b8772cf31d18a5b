/**
 * Child process for the dead-man test: a Tradeport engine with a Kraken venue (dead-man switch on)
 * pointed at the emulator, LIVE. Prints ARMED once the venue is connected, then runs until the
 * parent kills it with SIGKILL (the machine dying, as far as Kraken can tell).
 *
 *   tsx test/integration/kraken/kraken-dead-man-child.ts   (env: DATA_DIR, REST_URL, WS_URL, API_KEY, API_SECRET, DEAD_MAN_S)
 */
import { createEngine } from '../../../src-main/engine/engine';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';

async function main() {
  const { DATA_DIR, REST_URL, WS_URL, API_KEY, API_SECRET, DEAD_MAN_S } = process.env;
  if (!DATA_DIR || !REST_URL || !WS_URL || !API_KEY || !API_SECRET || !DEAD_MAN_S) throw new Error('DATA_DIR, REST_URL, WS_URL, API_KEY, API_SECRET and DEAD_MAN_S are required');
  const secrets = new MemorySecretStore();
  await secrets.set('kr/apiKey', API_KEY);
  await secrets.set('kr/apiSecret', API_SECRET);
  const engine = await createEngine({ dataDir: DATA_DIR, secrets, paperSeed: 7, paperTickMs: 0 });
  const armed = new Promise<void>((resolve) => {
    engine.subscribe((e) => {
      if (e.type === 'venue' && e.venue.name === 'kr' && e.venue.state === 'connected' && /dead-man switch armed/.test(e.venue.detail)) resolve();
    });
  });
  const added = await engine.call('venue.add', { kind: 'kraken', name: 'kr', settings: { restUrl: REST_URL, wsUrl: WS_URL, wsAuthUrl: WS_URL, deadManSeconds: DEAD_MAN_S } });
  if (!added.ok) throw new Error(added.error.message);
  await armed;
  process.stdout.write('ARMED\n');
  await new Promise(() => undefined); // until SIGKILL
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
