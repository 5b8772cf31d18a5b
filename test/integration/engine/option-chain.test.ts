/**
 * `instrument.optionChain` through the engine, venue-neutral: a scripted option venue answers with
 * its chain and is flagged in `venues.list` (the ticket's picker shows only then); a venue without
 * options is refused with the reason; bad input is refused by the schema; a pick (a call or put
 * instrument id) is found by `instruments.search`; `tradeport chain` maps to the command.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src-main/engine/engine';
import { VENUE_FACTORIES } from '../../../src-main/engine/venues/registry';
import { parseArgv, toApiCall } from '../../../src-main/headless/argv';
import { formatResult } from '../../../src-main/headless/format';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';
import { scriptedFactory } from '../../support/scripted-venue';
import { xyzOptions } from '../../support/option-chain-fixture';

let engine: Engine | undefined;
let dataDir: string;
afterEach(async () => {
  await engine?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const ctx = { actor: 'cli', transport: 'cli' } as const;

async function start(): Promise<Engine> {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-chain-'));
  const factory = scriptedFactory(Date.now, (name) => (name === 'opt' ? { options: xyzOptions(name) } : {}));
  engine = await createEngine({ dataDir, secrets: new MemorySecretStore(), venueFactories: new Map([...VENUE_FACTORIES, ['scripted', factory]]), paperTickMs: 0 });
  for (const name of ['opt', 'plain']) expect((await engine.call('venue.add', { kind: 'scripted', name, settings: {} }, ctx)).ok).toBe(true);
  return engine;
}

describe('instrument.optionChain', () => {
  it('an option venue: flagged in venues.list, its chain by expiry and strike, a pick found by instrument id', async () => {
    const e = await start();
    const venues = await e.call('venues.list', {}, ctx);
    if (!venues.ok) throw new Error(venues.error.message);
    expect(venues.value.find((v) => v.name === 'opt')?.optionChains).toBe(true);
    expect(venues.value.find((v) => v.name === 'plain')?.optionChains).toBeUndefined();

    const r = await e.call('instrument.optionChain', { venue: 'opt', underlying: 'xyz' }, ctx);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.expiries.map((x) => x.expiry)).toEqual(['20270115', '20270219']);
    expect(r.value.expiries[1]!.strikes).toEqual([
      { strike: '100', call: 'opt:XYZ   270219C00100000', put: 'opt:XYZ   270219P00100000' },
      { strike: '110', call: 'opt:XYZ   270219C00110000' },
    ]);

    const found = await e.call('instruments.search', { venue: 'opt', query: 'opt:XYZ   270115P00095000', limit: 5 }, ctx);
    if (!found.ok) throw new Error(found.error.message);
    expect(found.value[0]).toMatchObject({ id: 'opt:XYZ   270115P00095000', symbol: 'XYZ:OPT:P:95:20270115', assetClass: 'option', multiplier: '100' });
  });

  it('refused with the reason: a venue without options, an underlying it does not list, bad input', async () => {
    const e = await start();
    expect(await e.call('instrument.optionChain', { venue: 'plain', underlying: 'XYZ' }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/plain lists no options/) },
    });
    expect(await e.call('instrument.optionChain', { venue: 'opt', underlying: 'QQQ' }, ctx)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/no options on QQQ/) } });
    expect(await e.call('instrument.optionChain', { venue: 'opt', underlying: 'X Y' }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await e.call('instrument.optionChain', { venue: 'nowhere', underlying: 'XYZ' }, ctx)).toMatchObject({ ok: false, error: { code: 'unknown_venue' } });
  });

  it('tradeport chain VENUE UNDERLYING: the command and a table of expiry, strike, call and put', async () => {
    const parsed = parseArgv(['chain', 'opt', 'XYZ']);
    const c = toApiCall(parsed.command!);
    expect(c).toEqual({ command: 'instrument.optionChain', input: { venue: 'opt', underlying: 'XYZ' } });
    const e = await start();
    const r = await e.callRaw(c.command, c.input, ctx);
    if (!r.ok) throw new Error(r.error.message);
    const text = formatResult(c.command, r.value);
    expect(text).toMatch(/^XYZ options on opt: 2 expiries, multiplier 100/);
    expect(text).toMatch(/2027-02-19 +77 +110 +opt:XYZ {3}270219C00110000 +-/);
  });
});
