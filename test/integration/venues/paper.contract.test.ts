/**
 * The Paper venue against the venue contract. Paper is in-process: the faults that need a
 * network or a second party are declared not applicable, with where they are covered instead.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeVenueContract } from '../../support/venue-contract';
import { describeVenueEngineContract, sessionClock, RestartableEngine } from '../../support/venue-engine-contract';
import { PaperVenue, paperVenueFactory } from '../../../src-main/engine/venues/paper';
import { createEngine } from '../../../src-main/engine/engine';
import { VENUE_FACTORIES } from '../../../src-main/engine/venues/registry';
import type { VenueFactory } from '../../../src-main/engine/venues/venue-port';
import type { Order } from '../../../src-main/engine/domain/order';
import type { SubmitAck } from '../../../src-main/engine/venues/venue-port';
import { openDatabase } from '../../../src-main/engine/store/db';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';

const IN_PROCESS = 'Paper runs in-process, with no network between the engine and its matching';

/** Counts the submits that reached the venue, so the contract can check that nothing is resent. */
class CountingPaper extends PaperVenue {
  constructor(
    ctx: ConstructorParameters<typeof PaperVenue>[0],
    readonly submits: string[] = [],
  ) {
    super(ctx);
  }
  override async submit(order: Order): Promise<SubmitAck> {
    this.submits.push(order.clientOrderId);
    return super.submit(order);
  }
}

describeVenueContract('paper', {
  abilities: {
    ackLost: `${IN_PROCESS}: submit returns its own answer, which cannot be lost`,
    fill: 'Paper fills only from its own seeded book; it cannot fill a chosen order on request (fills: test/integration/engine/paper-engine.test.ts; partial fills: test/unit/paper/matching-advanced.test.ts)',
    outage: `${IN_PROCESS}: it has no connection to lose`,
    replace: true,
    externalOrder: 'nothing outside Tradeport can place Paper orders',
    rateLimit: `${IN_PROCESS}: no HTTP, no 429`,
    serverErrors: `${IN_PROCESS}: no HTTP, no 5xx`,
    breaker: `${IN_PROCESS}: no circuit breaker`,
    streamGap: `${IN_PROCESS}: no stream to number`,
  },
  async makeRig() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-paperc-'));
    const db = openDatabase(path.join(dir, 'tradeport.db'));
    const connector = new CountingPaper({ name: 'paper', settings: { seed: '3', tickMs: '0', market24x7: 'true' }, clock: { now: Date.now }, secrets: new MemorySecretStore(), db });
    const bid = (id: string): number => Number(connector.quote(id)!.bid);
    return {
      connector,
      instrument: async () => connector.instrument('BTC/USD')!,
      // 10 % under the bid: rests for the whole test.
      resting: async (inst) => ({ side: 'buy', type: 'limit', qty: '0.01', limitPrice: (bid(inst.id) * 0.9).toFixed(2), tif: 'gtc' }),
      marketable: async () => ({ side: 'buy', type: 'market', qty: '0.001', tif: 'ioc' }),
      reject: async () => ({ terms: { qty: '1000' }, reason: 'USD of buying power' }),
      submitsSeen: (coid) => connector.submits.filter((x) => x === coid).length,
      async close() {
        db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});

describeVenueEngineContract('paper', {
  abilities: {
    ackLost: `${IN_PROCESS}: submit returns its own answer, which cannot be lost`,
    fill: 'Paper fills only from its own seeded book; it cannot fill a chosen order on request',
    outage: `${IN_PROCESS}: it has no connection to lose`,
    externalOrder: 'nothing outside Tradeport can place Paper orders',
    reject: "the engine's pre-trade checks use Paper's own buying-power preview, so an order Paper would refuse is refused before journaling (insufficient_funds) and never reaches it",
  },
  async makeRig() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-papere-'));
    let venue: CountingPaper | undefined;
    // Submits counted across restarts (each engine start makes a new Paper instance).
    const submits: string[] = [];
    // The engine's own Paper venue, counted: the factory is Paper's, only the instance is wrapped.
    const counting: VenueFactory = { info: paperVenueFactory.info, create: (ctx) => (venue = new CountingPaper(ctx, submits)) };
    const secrets = new MemorySecretStore();
    const clock = sessionClock();
    const start = () => createEngine({ dataDir: dir, secrets, clock, paperSeed: 3, paperTickMs: 0, venueFactories: new Map<string, VenueFactory>([...VENUE_FACTORIES, ['paper', counting]]) });
    const e = await RestartableEngine.start(start);

    const quote = await e.engine.call('quote.get', { venue: 'paper', symbol: 'BTC/USD' });
    if (!quote.ok || quote.value.bid === undefined) throw new Error('no Paper quote');
    const bid = Number(quote.value.bid);
    return {
      get engine() {
        return e.engine;
      },
      restart: (whileClosed) => e.restart(whileClosed),
      venue: 'paper',
      symbol: 'BTC/USD',
      // 2 % under the bid: rests, and stays inside the price collar.
      resting: async () => ({ qty: '0.01', limitPrice: (bid * 0.98).toFixed(2) }),
      unsupported: { tif: 'opg' },
      submitsSeen: (coid) => submits.filter((x) => x === coid).length,
      venueStatus: async (coid) => (await venue!.lookup(coid))?.status,
      async close() {
        await e.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});
