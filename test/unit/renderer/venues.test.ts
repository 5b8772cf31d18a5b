import { describe, expect, it } from 'vitest';
import type { VenueInfo, VenueKindInfo } from '../../../src-main/engine/api/commands';
import { IBKR_KIND_INFO } from '../../../src-main/engine/venues/ibkr/ibkr-config';
import { PAPER_KIND_INFO } from '../../../src-main/engine/venues/paper/paper-config';
import { applyEvents, applySnapshot, emptyEngineData, removeVenue, upsertVenue } from '../../../src-renderer/src/store/engine-state';
import {
  addInput,
  draftErrors,
  editDraft,
  effectiveValue,
  formSections,
  hasChanges,
  inputView,
  isRequired,
  liveNotes,
  newDraft,
  placeholderOf,
  rememberServerVersions,
  setInput,
  setValue,
  shortLabel,
  venueStatusView,
} from '../../../src-renderer/src/features/venues/venue-model';

// The engine's own declaration: the form's bounds are the connector's bounds.
const ibkr: VenueKindInfo = { ...IBKR_KIND_INFO, settings: IBKR_KIND_INFO.settings.filter((s) => ['host', 'port', 'clientId', 'fallbackClientId', 'account'].includes(s.key)) };
const coinbase: VenueKindInfo = {
  kind: 'coinbase',
  label: 'Coinbase',
  settings: [
    { key: 'portfolio', label: 'Portfolio', type: 'string', required: true },
    {
      key: 'region',
      label: 'Region',
      type: 'enum',
      required: true,
      default: 'us',
      options: [
        { value: 'us', label: 'US' },
        { value: 'eu', label: 'EU' },
      ],
    },
    { key: 'depth', label: 'Book depth', type: 'integer', required: false, default: '50' },
  ],
  secrets: [{ field: 'apiSecret', label: 'API private key' }],
};
const venue = (p: Partial<VenueInfo> = {}): VenueInfo => ({
  name: 'ibkr',
  kind: 'ibkr',
  label: 'Interactive Brokers (TWS / IB Gateway)',
  state: 'connected',
  mode: 'shadow',
  detail: 'TWS 193 · DU123456 · client 7',
  settings: { host: '127.0.0.1', port: '7497', clientId: '7' },
  since: 0,
  ...p,
});

describe('venue form: defaults and required', () => {
  it('starts empty so the placeholder shows the default', () => {
    const d = newDraft(ibkr);
    expect(d).toEqual({ kind: 'ibkr', name: '', values: { host: '', port: '', clientId: '', fallbackClientId: '', account: '' } });
    expect(placeholderOf(ibkr.settings[1]!)).toBe('7497');
    expect(placeholderOf(ibkr.settings[4]!)).toBe('optional');
    expect(placeholderOf(coinbase.settings[0]!)).toBe('required');
    expect(effectiveValue(ibkr, d, 'port')).toBe('7497');
    expect(effectiveValue(ibkr, setValue(d, 'port', ' 4002 '), 'port')).toBe('4002');
  });

  it('a required setting with a default is satisfied by the default', () => {
    expect(isRequired(coinbase.settings[0]!)).toBe(true);
    expect(isRequired(coinbase.settings[1]!)).toBe(false);
    expect(draftErrors(coinbase, newDraft(coinbase), 'add')).toEqual({ portfolio: 'Portfolio is required.' });
    expect(draftErrors(coinbase, setValue(newDraft(coinbase), 'portfolio', '  '), 'add')).toEqual({ portfolio: 'Portfolio is required.' });
    expect(draftErrors(coinbase, setValue(newDraft(coinbase), 'portfolio', 'main'), 'add')).toEqual({});
  });

  it('an empty ibkr form is valid (every default applies)', () => {
    expect(draftErrors(ibkr, newDraft(ibkr), 'add')).toEqual({});
    expect(addInput(ibkr, newDraft(ibkr))).toEqual({ kind: 'ibkr', settings: {} });
  });
});

describe('venue form: validation messages', () => {
  const d = newDraft(ibkr);
  it('names the rule for a bad or taken name', () => {
    expect(draftErrors(ibkr, { ...d, name: 'My IB' }, 'add').name).toBe('Name: 1–32 lowercase letters, digits, "-" or "_", starting with a letter or digit.');
    expect(draftErrors(ibkr, { ...d, name: 'ibkr' }, 'add', ['paper', 'ibkr']).name).toBe('A venue named "ibkr" already exists. Pick another name.');
    expect(draftErrors(ibkr, { ...d, name: 'ib-paper_2' }, 'add', ['paper', 'ibkr'])).toEqual({});
    // The name is not edited in the edit form.
    expect(draftErrors(ibkr, { ...d, name: 'ibkr' }, 'edit', ['ibkr'])).toEqual({});
  });

  it('checks ports and client ids with the engine bounds', () => {
    expect(draftErrors(ibkr, setValue(d, 'port', '70000'), 'add').port).toBe('Socket port must be a whole number from 1 to 65535.');
    expect(draftErrors(ibkr, setValue(d, 'port', '74.97'), 'add').port).toBe('Socket port must be a whole number from 1 to 65535.');
    expect(draftErrors(ibkr, setValue(d, 'port', 'abc'), 'add').port).toBe('Socket port must be a whole number from 1 to 65535.');
    expect(draftErrors(ibkr, setValue(d, 'port', '4001'), 'add')).toEqual({});
    expect(draftErrors(ibkr, setValue(d, 'clientId', '-1'), 'add').clientId).toBe('API client id must be a whole number from 0 to 999999999.');
  });

  it('rejects an account that does not match the declared pattern', () => {
    expect(draftErrors(ibkr, setValue(d, 'account', 'DU 123'), 'add').account).toBe('Account (DU… / U…) must be an IB account id such as DU1234567 or U1234567.');
    expect(draftErrors(ibkr, setValue(d, 'account', 'DU1234567'), 'add')).toEqual({});
  });

  it('a declared integer must be a whole number (any kind: the form knows no venue)', () => {
    const x = setValue(setValue(newDraft(coinbase), 'portfolio', 'main'), 'depth', 'lots');
    expect(draftErrors(coinbase, x, 'add')).toEqual({ depth: 'Book depth must be a whole number.' });
  });

  it('caps a value at the contract limit', () => {
    expect(draftErrors(ibkr, setValue(d, 'host', 'h'.repeat(513)), 'add').host).toBe('TWS / Gateway host is at most 512 characters.');
  });
});

describe('venue form: what is sent', () => {
  it('add sends trimmed typed values and the name only when given', () => {
    const d = setValue(setValue(setValue(newDraft(ibkr), 'host', ' 127.0.0.1 '), 'port', '4002'), 'clientId', '7');
    expect(addInput(ibkr, d)).toEqual({ kind: 'ibkr', settings: { host: '127.0.0.1', port: '4002', clientId: '7' } });
    expect(addInput(ibkr, { ...d, name: ' ib2 ' })).toMatchObject({ name: 'ib2' });
  });

  it('edit is prefilled and sends only what changed; a cleared field is sent as ""', () => {
    const v = venue();
    const d = editDraft(ibkr, v);
    expect(d.values).toEqual({ host: '127.0.0.1', port: '7497', clientId: '7', fallbackClientId: '', account: '' });
    expect(hasChanges(ibkr, v, d)).toBe(false);
    const changed = setValue(setValue(d, 'clientId', '8'), 'port', '');
    expect(setInput(ibkr, v, changed)).toEqual({ name: 'ibkr', settings: { clientId: '8', port: '' } });
    expect(hasChanges(ibkr, v, setValue(d, 'clientId', ' 7 '))).toBe(false);
  });
});

describe('venue state as the trader reads it', () => {
  it('connected with the TWS server version from the detail', () => {
    expect(venueStatusView(venue())).toEqual({ phase: 'connected', tone: 'ok', serverVersion: '193' });
    // The engine's phase and version win over reading the detail text.
    expect(venueStatusView(venue({ state: 'disconnected', detail: 'TWS · client 7 · connection refused', phase: 'restarting', serverVersion: '176' }))).toEqual({
      phase: 'restarting',
      tone: 'warn',
      serverVersion: '176',
    });
  });
  it('degraded keeps the version', () => {
    expect(venueStatusView(venue({ state: 'degraded', detail: 'TWS 176 · DU1 · client 7 · degraded: TWS lost its connection to IB (1100) — new orders paused' }))).toEqual({
      phase: 'degraded',
      tone: 'warn',
      serverVersion: '176',
    });
  });
  it('a lost session that retries is restarting', () => {
    expect(venueStatusView(venue({ state: 'disconnected', detail: 'TWS · client 7 · connection to TWS lost (TWS restarting or closed); reconnecting in 2 s' }))).toEqual({
      phase: 'restarting',
      tone: 'warn',
    });
  });
  it('a refused address is down even while it retries', () => {
    expect(
      venueStatusView(
        venue({ state: 'disconnected', detail: 'TWS · client 7 · cannot reach TWS at 127.0.0.1:1 (connect ECONNREFUSED 127.0.0.1:1) — is TWS running with the API enabled?; reconnecting in 1 s' }),
      ).phase,
    ).toBe('down');
    expect(venueStatusView(venue({ state: 'error', detail: 'TWS · client 7 · client ids 7 and 107 are both in use by other sessions (326); retrying' })).phase).toBe('down');
    expect(venueStatusView(venue({ state: 'disconnected', detail: 'not running' }))).toEqual({ phase: 'down', tone: 'bad' });
  });
  it('connecting and disabled', () => {
    expect(venueStatusView(venue({ state: 'connecting', detail: 'TWS · client 7 · connecting to 127.0.0.1:7497' })).phase).toBe('connecting');
    expect(venueStatusView(venue({ state: 'disabled', detail: '' }))).toEqual({ phase: 'disabled', tone: 'off' });
  });
  it('remembers the last server version across a restart', () => {
    let seen = rememberServerVersions({}, [venue()]);
    expect(seen).toEqual({ ibkr: '193' });
    const same = rememberServerVersions(seen, [venue({ state: 'disconnected', detail: 'TWS · client 7 · reconnecting in 1 s' })]);
    expect(same).toBe(seen);
    seen = rememberServerVersions(seen, [venue({ detail: 'TWS 176 · DU1 · client 7' })]);
    expect(seen).toEqual({ ibkr: '176' });
  });
  it('short labels drop the parenthesis', () => {
    expect(shortLabel('Interactive Brokers (TWS / IB Gateway)')).toBe('Interactive Brokers');
    expect(shortLabel('Paper')).toBe('Paper');
  });
});

describe('removed venues in the store', () => {
  it('a late venue event for a removed venue does not bring it back; a snapshot or a re-add does', () => {
    const v = venue();
    let s = applyEvents(emptyEngineData, [{ type: 'venue', venue: v }]);
    expect(Object.keys(s.venues)).toEqual(['ibkr']);
    s = removeVenue(s, 'ibkr');
    expect(s.venues).toEqual({});
    s = applyEvents(s, [{ type: 'venue', venue: { ...v, state: 'disconnected', detail: 'not running' } }]);
    expect(s.venues).toEqual({});
    const readded = upsertVenue(s, 'ibkr');
    expect(applyEvents(readded, [{ type: 'venue', venue: v }]).venues.ibkr).toEqual(v);
    const snap = applySnapshot(s, { info: { version: 'x', dataDir: '', pid: 0, startedAt: 0 }, venues: [v], orders: [], fills: [], positions: [], balances: [], quotes: [] });
    expect(snap.removedVenues).toEqual({});
    expect(applyEvents(snap, [{ type: 'venue', venue: v }]).venues.ibkr).toEqual(v);
  });
  it('a venue removed elsewhere (another window, the CLI) leaves the lists when the engine says so', () => {
    const v = venue();
    let s = applyEvents(emptyEngineData, [
      { type: 'venue', venue: v },
      { type: 'venueHealth', venue: 'ibkr', usage: null, breaker: null },
    ]);
    expect(Object.keys(s.venueHealth)).toEqual(['ibkr']);
    s = applyEvents(s, [{ type: 'venueRemoved', name: 'ibkr' }]);
    expect(s.venues).toEqual({});
    expect(s.venueHealth).toEqual({});
  });
});

describe('venue form: built from the declaration, for any kind', () => {
  it('uses the engine bounds (Paper tickMs is 0..60000, as the connector reads it)', () => {
    const d = newDraft(PAPER_KIND_INFO);
    expect(draftErrors(PAPER_KIND_INFO, setValue(d, 'tickMs', '3600000'), 'add').tickMs).toBe('Price update interval (ms) must be a whole number from 0 to 60000.');
    expect(draftErrors(PAPER_KIND_INFO, setValue(d, 'tickMs', '60000'), 'add')).toEqual({});
    expect(draftErrors(PAPER_KIND_INFO, setValue(d, 'makerFee', '0.5'), 'add').makerFee).toBe('Maker fee rate must be a number from -0.01 to 0.1.');
  });

  it('picks the input by type: selects for booleans and enums, numeric keyboards for numbers', () => {
    const market = PAPER_KIND_INFO.settings.find((s) => s.key === 'market24x7')!;
    expect(inputView(market)).toEqual({
      element: 'select',
      options: [
        { value: '', label: 'default (false)' },
        { value: 'true', label: 'true' },
        { value: 'false', label: 'false' },
      ],
    });
    expect(inputView(coinbase.settings[1]!).options?.map((o) => o.value)).toEqual(['', 'us', 'eu']);
    expect(inputView(ibkr.settings[1]!)).toEqual({ element: 'input', inputMode: 'numeric' });
    expect(inputView(PAPER_KIND_INFO.settings[0]!)).toEqual({ element: 'input', inputMode: 'decimal' });
    expect(inputView(ibkr.settings[0]!)).toEqual({ element: 'input' });
  });

  it('a live preset earns its note; the default and paper presets do not', () => {
    const d = newDraft(ibkr);
    expect(liveNotes(ibkr, d)).toEqual([]);
    expect(liveNotes(ibkr, setValue(d, 'port', '4001'))).toEqual([{ key: 'port', note: expect.stringMatching(/^Port 4001 is a live account port/) }]);
    expect(liveNotes(ibkr, setValue(d, 'port', '4002'))).toEqual([]);
    const liveByDefault: VenueKindInfo = {
      kind: 'x',
      label: 'X',
      secrets: [],
      settings: [
        {
          key: 'env',
          label: 'Environment',
          type: 'enum',
          required: false,
          default: 'prod',
          options: [{ value: 'prod', label: 'Prod' }],
          presets: [{ label: 'Production', value: 'prod', live: true }],
        },
      ],
    };
    expect(liveNotes(liveByDefault, newDraft(liveByDefault))).toEqual([{ key: 'env', note: 'Environment prod (Production) is live.' }]);
  });

  it('advanced settings are the declared ones', () => {
    const { basic, advanced } = formSections(IBKR_KIND_INFO);
    expect(advanced.map((s) => s.key)).toEqual(['maxMessagesPerSecond', 'reconnectMinMs', 'reconnectMaxMs', 'ackTimeoutMs']);
    expect(basic.length + advanced.length).toBe(IBKR_KIND_INFO.settings.length);
  });
});
