/**
 * VenueInfo carries what the venue accepts now, by mode, so the ticket offers only that: Paper
 * its own set, an IBKR venue in SHADOW the Paper engine's (no OPG, no extended hours), in LIVE
 * the venue's own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src-main/engine/engine';
import { PAPER_CAPABILITIES } from '../../../src-main/engine/domain/order-capabilities';
import { ManualClock } from '../../../src-main/engine/ports/clock';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';

describe('venue capabilities in VenueInfo', () => {
  let dir: string;
  let engine: Engine;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-caps-'));
    engine = await createEngine({ dataDir: dir, secrets: new MemorySecretStore(), clock: new ManualClock(Date.UTC(2026, 10, 18, 15)), paperSeed: 7, paperTickMs: 0 });
  });
  afterEach(async () => {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

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
