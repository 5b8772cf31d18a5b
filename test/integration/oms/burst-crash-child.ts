/**
 * Child process for the burst crash test: an engine on DATA_DIR (Paper ticked by hand) rests N
 * buys on BTC/USD, then one tick fills them all. Inside the journal's burst, at the third fill,
 * it prints PAUSED and blocks (the transaction open, nothing of it committed) until the parent
 * kills it with SIGKILL.
 *
 *   tsx test/integration/oms/burst-crash-child.ts   (env: DATA_DIR, N)
 */
import { createEngine } from '../../../src-main/engine/engine';
import { Decimal } from '../../../src-main/engine/domain/money';
import type { Fill } from '../../../src-main/engine/domain/order';
import { ManualClock } from '../../../src-main/engine/ports/clock';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';
import type { PaperVenue } from '../../../src-main/engine/venues/paper';
import { T0 } from '../../support/engine-rig';

async function main() {
  const { DATA_DIR, N } = process.env;
  if (!DATA_DIR || !N) throw new Error('DATA_DIR and N are required');
  const clock = new ManualClock(T0);
  const engine = await createEngine({ dataDir: DATA_DIR, secrets: new MemorySecretStore(), clock, paperSeed: 7, paperTickMs: 0 });
  const must = async (command: string, input: unknown) => {
    const r = await engine.callRaw(command, input);
    if (!r.ok) throw new Error(`${command}: ${r.error.message}`);
  };
  for (const key of ['max_orders_per_minute', 'max_open_orders']) await must('risk.set', { key, value: 'off' });
  const paper = engine.internals.venues.get('paper') as PaperVenue;
  paper.source.setMid('paper:BTC-USD', new Decimal('100000'));
  clock.advance(1000);
  paper.tick();
  for (let i = 0; i < Number(N); i++) {
    await must('order.place', { venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'limit', qty: '0.001', limitPrice: String(99_000 - i * 10), tif: 'gtc', clientOrderId: `burst-${i}` });
  }
  await engine.internals.idle();
  const orders = engine.internals.orders;
  const insertFill = orders.insertFill.bind(orders);
  let calls = 0;
  orders.insertFill = (f: Fill) => {
    if (++calls === 3) {
      process.stdout.write('PAUSED\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // until SIGKILL, inside the open transaction
    }
    return insertFill(f);
  };
  paper.source.setMid('paper:BTC-USD', new Decimal('97000'));
  clock.advance(1000);
  paper.tick();
  process.stdout.write('RETURNED\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`burst-crash-child: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
