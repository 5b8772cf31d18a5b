/**
 * Child process for the crash test: builds an engine on DATA_DIR with a scripted venue whose
 * remote book lives in VENUE_FILE (so "the venue" survives this process), arms it LIVE and places
 * one order. Inside the venue's submit it stops at PAUSE_AT ("before_venue": journaled, not yet
 * sent; "after_venue": the venue has the order, the ack has not come back), prints PAUSED and
 * hangs until the parent kills it with SIGKILL.
 *
 *   tsx test/integration/oms/crash-child.ts   (env: DATA_DIR, VENUE_FILE, PAUSE_AT, CLIENT_ID)
 */
import { createEngine } from '../../../src-main/engine/engine';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';
import { VENUE_FACTORIES } from '../../../src-main/engine/venues/registry';
import type { VenueFactory } from '../../../src-main/engine/venues/venue-port';
import { scriptedFactory } from '../../support/scripted-venue';

async function main() {
  const { DATA_DIR, VENUE_FILE, PAUSE_AT, CLIENT_ID } = process.env;
  if (!DATA_DIR || !VENUE_FILE || !PAUSE_AT || !CLIENT_ID) throw new Error('DATA_DIR, VENUE_FILE, PAUSE_AT and CLIENT_ID are required');
  const factory = scriptedFactory(
    () => Date.now(),
    () => ({
      persistPath: VENUE_FILE,
      submitHook: async (phase) => {
        if (phase !== PAUSE_AT) return;
        process.stdout.write('PAUSED\n');
        await new Promise(() => undefined); // until SIGKILL
      },
    }),
  );
  const engine = await createEngine({
    dataDir: DATA_DIR,
    secrets: new MemorySecretStore(),
    paperTickMs: 0,
    paperSeed: 3,
    venueFactories: new Map<string, VenueFactory>([...VENUE_FACTORIES, ['scripted', factory]]),
  });
  const ctx = { actor: 'user' as const, transport: 'internal' as const };
  const must = async (r: Promise<{ ok: boolean; error?: { message: string } }>) => {
    const x = await r;
    if (!x.ok) throw new Error(x.error!.message);
  };
  await must(engine.call('venue.add', { kind: 'scripted', name: 'scripted' }, ctx));
  await must(engine.call('mode.set', { venue: 'scripted', mode: 'live', arm: true }, ctx));
  process.stdout.write('READY\n');
  await engine.call('order.place', { venue: 'scripted', symbol: 'XYZ/USD', side: 'buy', type: 'limit', qty: '3', limitPrice: '100', tif: 'gtc', clientOrderId: CLIENT_ID }, ctx);
  process.stdout.write('RETURNED\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`crash-child: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
