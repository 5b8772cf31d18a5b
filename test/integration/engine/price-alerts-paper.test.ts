/**
 * Price alerts through the engine on the Paper venue: set on the right side of the market only,
 * fired once by the quote stream as a `priceAlert` event (which the alerts feed turns into a
 * toast), kept across a restart, and never fired again after it fired.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../../support/engine-rig';
import type { EngineEvent } from '../../../src-main/engine/api/events';
import type { Engine } from '../../../src-main/engine/engine';
import type { CommandName, CommandOutput } from '../../../src-main/engine/api/commands';
import { Decimal } from '../../../src-main/engine/domain/money';
import { NotableEvents } from '../../../src-main/engine/api/notable-events';
import type { PaperVenue } from '../../../src-main/engine/venues/paper';

const ETH = 'paper:ETH-USD';

describe('price alerts (Paper)', () => {
  let rig: EngineRig;
  let events: EngineEvent[];
  const engine = (): Engine => rig.engine;
  const paper = () => engine().internals.venues.get('paper') as PaperVenue;
  async function ok<C extends CommandName>(c: C, input: unknown): Promise<CommandOutput<C>> {
    const r = await engine().call(c, input, { actor: 'user', transport: 'ipc' });
    if (!r.ok) throw new Error(`${c}: ${r.error.code}: ${r.error.message}`);
    return r.value as CommandOutput<C>;
  }
  const listen = () => engine().subscribe((e) => events.push(e));
  const last = () => new Decimal(paper().quote(ETH)!.last ?? paper().quote(ETH)!.bid!);
  /** The market goes to `mid` and a quote streams. */
  const moveTo = (mid: Decimal.Value) => {
    paper().source.setMid(ETH, new Decimal(mid));
    rig.clock.advance(1000);
    paper().tick();
  };
  const fired = () => events.filter((e): e is Extract<EngineEvent, { type: 'priceAlert' }> => e.type === 'priceAlert').map((e) => e.alert);

  beforeEach(async () => {
    rig = await engineRig({ prefix: 'tp-alerts-' });
    events = [];
    listen();
  });
  afterEach(() => rig.close());

  it('"alert at this price" (cross): the engine picks the side from its own market when it checks, so a market that moved past the clicked level is no refusal', async () => {
    const start = last();
    // The trader saw the market below this level; it has risen past it before the engine checks.
    const level = start.plus(10);
    moveTo(start.plus(30));
    const a = await ok('alert.add', { venue: 'paper', symbol: 'ETH/USD', condition: 'cross', price: level.toFixed() });
    expect(a).toMatchObject({ condition: 'below', price: level.toFixed() });
    const up = await ok('alert.add', { venue: 'paper', symbol: 'ETH/USD', condition: 'cross', price: last().plus(50).toFixed() });
    expect(up.condition).toBe('above');
    const at = await engine().call('alert.add', { venue: 'paper', symbol: 'ETH/USD', condition: 'cross', price: last().toFixed() });
    expect(at.ok || at.error).toMatchObject({ code: 'invalid_price', message: expect.stringContaining('pick a price above or below') });
    moveTo(level.minus(5));
    expect(fired().map((x) => x.id)).toEqual([a.id]);
  });

  it('crosses above: refused on the wrong side; fires once when the market gets there, as a toast', async () => {
    const now = last();
    const r = await engine().call('alert.add', { venue: 'paper', symbol: 'ETH/USD', condition: 'above', price: now.minus(1).toFixed() });
    expect(r.ok || r.error).toMatchObject({ code: 'invalid_price', message: expect.stringContaining('would fire at once') });

    const level = now.plus(20).toFixed();
    const a = await ok('alert.add', { venue: 'paper', symbol: 'ETH/USD', condition: 'above', price: level, note: 'breakout' });
    expect(a).toMatchObject({ venue: 'paper', instrumentId: ETH, symbol: 'ETH/USD', condition: 'above', price: level, refPrice: now.toFixed() });
    moveTo(now.plus(5));
    expect(fired()).toEqual([]);
    moveTo(now.plus(40));
    expect(fired()).toHaveLength(1);
    expect(fired()[0]).toMatchObject({ id: a.id, firedAt: rig.clock.now() });
    expect(new Decimal(fired()[0]!.firedPrice!).gte(level)).toBe(true);
    moveTo(now.plus(60));
    expect(fired()).toHaveLength(1);
    expect(await ok('alert.list', {})).toEqual([]);
    expect((await ok('alert.list', { all: true })).map((x) => x.id)).toEqual([a.id]);

    const toast = new NotableEvents().next({ type: 'priceAlert', alert: fired()[0]! });
    expect(toast).toMatchObject({ kind: 'priceAlert', title: `Price alert: ETH/USD crossed above ${level} (at ${fired()[0]!.firedPrice})`, body: 'paper · breakout' });
  });

  it('below and % move; kept across a restart; a fired alert stays fired', async () => {
    const now = last();
    const below = await ok('alert.add', { venue: 'paper', symbol: 'ETH/USD', condition: 'below', price: now.minus(30).toFixed() });
    const move = await ok('alert.add', { venue: 'paper', symbol: 'ETH/USD', condition: 'move_pct', pct: '1' });
    const bad = await engine().call('alert.add', { venue: 'paper', symbol: 'ETH/USD', condition: 'move_pct', pct: '0' });
    expect(bad.ok).toBe(false);

    await rig.restart();
    events = [];
    listen();
    expect((await ok('alert.list', {})).map((x) => x.id)).toEqual([below.id, move.id]);
    // 1 % of ~3500 is ~35: a fall of 31 sets off the "below" alert only, a fall of 40 the move too.
    moveTo(now.minus(31));
    expect(fired().map((x) => x.id)).toEqual([below.id]);
    moveTo(now.minus(40));
    expect(fired().map((x) => x.id)).toEqual([below.id, move.id]);

    await rig.restart();
    events = [];
    listen();
    moveTo(now.minus(80));
    expect(fired()).toEqual([]);
    expect(await ok('alert.list', {})).toEqual([]);
  });

  it('remove disarms; an unknown id is a clear error', async () => {
    const a = await ok('alert.add', { venue: 'paper', symbol: 'ETH/USD', condition: 'above', price: last().plus(10).toFixed() });
    expect(await ok('alert.remove', { id: a.id })).toEqual({ id: a.id, removed: true });
    moveTo(last().plus(50));
    expect(fired()).toEqual([]);
    const r = await engine().call('alert.remove', { id: a.id });
    expect(r.ok || r.error.message).toContain(`No price alert "${a.id}"`);
  });
});
