/**
 * VenueInfo carries what the venue accepts now, by mode, so the ticket offers only that: Paper
 * its own set, an IBKR venue in SHADOW the Paper engine's (no OPG, no extended hours), in LIVE
 * the venue's own.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../../support/engine-rig';
import type { Engine } from '../../../src-main/engine/engine';
import { PAPER_CAPABILITIES } from '../../../src-main/engine/domain/order-capabilities';

describe('venue capabilities in VenueInfo', () => {
  let rig: EngineRig;
  let engine: Engine;

  beforeEach(async () => {
    rig = await engineRig({ prefix: 'tp-caps-' });
    engine = rig.engine;
  });
  afterEach(() => rig.close());

  it('Paper, and an IBKR venue in SHADOW then LIVE', async () => {
    const list = await engine.call('venues.list', {});
    expect(list.ok && list.value.find((v) => v.name === 'paper')?.capabilities).toEqual(PAPER_CAPABILITIES);

    // Nothing listens on this port: the connector exists (and declares its capabilities) while it retries.
    const added = await engine.call('venue.add', { kind: 'ibkr', name: 'ib', settings: { host: '127.0.0.1', port: '1', clientId: '5' } });
    expect(added.ok && added.value.capabilities).toEqual(PAPER_CAPABILITIES);

    const live = await engine.call('mode.set', { venue: 'ib', mode: 'live', typedVenueName: 'ib' });
    expect(live.ok).toBe(true);
    if (!live.ok) return;
    expect(live.value.venue.capabilities?.tifs).toContain('opg');
    expect(live.value.venue.capabilities?.extendedHours).toBe(true);
  });
});
