import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VenueKindInfo } from '../../src-main/engine/api/commands';
import { checkedSettings, fieldMessage, livePreset, settingProblems, valueRule, type SettingSpec } from '../../src-main/engine/api/venue-settings';
import { IBKR_KIND_INFO, readIbkrSettings } from '../../src-main/engine/venues/ibkr/ibkr-config';
import { PAPER_KIND_INFO, readPaperSettings } from '../../src-main/engine/venues/paper/paper-config';

const spec = (p: Partial<SettingSpec> & Pick<SettingSpec, 'type'>): SettingSpec => ({ key: 'k', label: 'Thing', required: false, ...p });
const msg = (s: SettingSpec, v: string) => settingProblems([s], { [s.key]: v }).map(fieldMessage)[0];

describe('settings checker: each type', () => {
  it('port: a whole number from 1 to 65535 unless declared narrower', () => {
    const port = spec({ type: 'port', label: 'Socket port' });
    for (const bad of ['0', '65536', '74.97', 'abc', '1e3', '-1']) expect(msg(port, bad)).toBe('Socket port must be a whole number from 1 to 65535.');
    for (const ok of ['1', '7497', '65535', ' 4001 ']) expect(msg(port, ok)).toBeUndefined();
  });
  it('integer: bounds inclusive, open bounds say so', () => {
    const n = spec({ type: 'integer', min: '10', max: '20' });
    expect(valueRule(n, '9')).toBe('must be a whole number from 10 to 20');
    expect(valueRule(n, '10')).toBeUndefined();
    expect(valueRule(n, '20')).toBeUndefined();
    expect(valueRule(n, '21')).toBe('must be a whole number from 10 to 20');
    expect(valueRule(spec({ type: 'integer', min: '0' }), '-1')).toBe('must be a whole number of at least 0');
    expect(valueRule(spec({ type: 'integer' }), '1.5')).toBe('must be a whole number');
    expect(valueRule(spec({ type: 'integer' }), '99999999999999999999')).toBe('must be a whole number');
  });
  it('decimal: exact bounds, negative allowed when declared', () => {
    const fee = spec({ type: 'decimal', min: '-0.01', max: '0.1', label: 'Maker fee rate' });
    expect(msg(fee, '-0.01')).toBeUndefined();
    expect(msg(fee, '-0.0100000001')).toBe('Maker fee rate must be a number from -0.01 to 0.1.');
    expect(msg(fee, '0.1000000000000000001')).toBe('Maker fee rate must be a number from -0.01 to 0.1.');
    expect(msg(fee, 'ten')).toBe('Maker fee rate must be a number from -0.01 to 0.1.');
  });
  it('boolean, enum, host', () => {
    expect(valueRule(spec({ type: 'boolean' }), 'Yes')).toBeUndefined();
    expect(valueRule(spec({ type: 'boolean' }), 'maybe')).toBe('must be true or false');
    const e = spec({
      type: 'enum',
      options: [
        { value: 'us', label: 'US' },
        { value: 'eu', label: 'EU' },
      ],
    });
    expect(valueRule(e, 'eu')).toBeUndefined();
    expect(valueRule(e, 'asia')).toBe('must be one of us, eu');
    for (const h of ['127.0.0.1', 'localhost', 'gw-1.example.com', '::1']) expect(valueRule(spec({ type: 'host' }), h)).toBeUndefined();
    expect(valueRule(spec({ type: 'host' }), 'http://x y')).toBe('must be a host name or IP address, such as 127.0.0.1');
  });
  it('string and list: declared pattern per item, length capped', () => {
    const acct = spec({ type: 'string', pattern: '^[A-Z0-9]+$', patternHint: 'an account id' });
    expect(valueRule(acct, 'DU 1')).toBe('must be an account id');
    const list = spec({ type: 'list', pattern: '^[A-Z]+$', patternHint: 'a symbol' });
    expect(valueRule(list, 'AAPL, MSFT,')).toBeUndefined();
    expect(valueRule(list, 'AAPL,ms ft')).toBe('has "ms ft", which is not a symbol');
    expect(valueRule(spec({ type: 'string' }), 'x'.repeat(513))).toBe('is at most 512 characters');
  });
  it('empty is "not set": fine unless required with no default', () => {
    expect(settingProblems([spec({ type: 'port' })], { k: '  ' })).toEqual([]);
    expect(settingProblems([spec({ type: 'string', required: true })], {}).map(fieldMessage)).toEqual(['Thing is required.']);
    expect(settingProblems([spec({ type: 'string', required: true, default: 'x' })], {})).toEqual([]);
  });
  it('presets: only a live one is returned, matched on the trimmed value', () => {
    const port = IBKR_KIND_INFO.settings.find((s) => s.key === 'port')!;
    expect(livePreset(port, ' 4001 ')?.note).toMatch(/^Port 4001 is a live account port/);
    expect(livePreset(port, '7496')?.live).toBe(true);
    expect(livePreset(port, '7497')).toBeUndefined();
    expect(livePreset(port, '4002')).toBeUndefined();
  });
  it('checkedSettings throws the engine message and reads effective values', () => {
    const specs = [spec({ key: 'port', type: 'port', label: 'Socket port', default: '7497' })];
    expect(() => checkedSettings('IB', specs, { port: '99999' })).toThrow('IB setting port="99999" must be a whole number from 1 to 65535.');
    expect(checkedSettings('IB', specs, {})('port')).toBe('7497');
  });
});

function declarationChecks(info: VenueKindInfo) {
  it('every default passes its own declaration; presets and options too', () => {
    const defaults = Object.fromEntries(info.settings.filter((s) => s.default !== undefined).map((s) => [s.key, s.default!]));
    expect(settingProblems(info.settings, defaults)).toEqual([]);
    for (const s of info.settings) {
      for (const p of s.presets ?? []) expect(valueRule(s, p.value)).toBeUndefined();
      for (const o of s.options ?? []) expect(valueRule(s, o.value)).toBeUndefined();
      expect(s.label).not.toMatch(/\(advanced\)/i);
    }
  });
}

describe('Paper declares its settings', () => {
  declarationChecks(PAPER_KIND_INFO);
  it('defaults round-trip: reading the declared defaults equals reading nothing', () => {
    const defaults = Object.fromEntries(PAPER_KIND_INFO.settings.filter((s) => s.default !== undefined).map((s) => [s.key, s.default!]));
    expect(readPaperSettings(defaults)).toEqual(readPaperSettings({}));
    expect(readPaperSettings({}).tickMs).toBe(250);
  });
  it('tickMs bound is the declared one (0..60000), in the engine and the form alike', () => {
    expect(readPaperSettings({ tickMs: '60000' }).tickMs).toBe(60_000);
    expect(() => readPaperSettings({ tickMs: '60001' })).toThrow('Paper setting tickMs="60001" must be a whole number from 0 to 60000.');
    expect(() => readPaperSettings({ market24x7: 'maybe' })).toThrow('Paper setting market24x7="maybe" must be true or false.');
  });
});

describe('IBKR declares its settings', () => {
  declarationChecks(IBKR_KIND_INFO);
  it('defaults round-trip: reading the declared defaults equals reading nothing', () => {
    const defaults = Object.fromEntries(IBKR_KIND_INFO.settings.filter((s) => s.default !== undefined).map((s) => [s.key, s.default!]));
    expect(readIbkrSettings(defaults)).toEqual(readIbkrSettings({}));
    expect(readIbkrSettings({})).toMatchObject({ host: '127.0.0.1', port: 7497, clientId: 7, fallbackClientId: 107, watchlist: ['SPY', 'QQQ', 'AAPL', 'MSFT'] });
  });
  it('the cross-field rules stay in the venue config, after the declared check', () => {
    expect(() => readIbkrSettings({ clientId: '7', fallbackClientId: '7' })).toThrow('The fallback client id must differ from the client id (7).');
    expect(readIbkrSettings({ reconnectMinMs: '5000', reconnectMaxMs: '1000' }).reconnectMaxMs).toBe(5000);
    expect(() => readIbkrSettings({ port: '0' })).toThrow('Interactive Brokers setting port="0" must be a whole number from 1 to 65535.');
    expect(() => readIbkrSettings({ maxMessagesPerSecond: '50' })).toThrow('must be a whole number from 1 to 49');
  });
});

describe('the renderer knows no venue', () => {
  const root = path.resolve(__dirname, '../../src-renderer/src');
  const files = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : []));
  // The dev-only fake engine included: its demo venues are generic kinds, not real venues.
  const renderer = files(root);
  const venueNames = [IBKR_KIND_INFO, PAPER_KIND_INFO].map((k) => k.kind).filter((k) => k !== 'paper');
  it('no venue kind id or venue label in src-renderer/src', () => {
    const pattern = new RegExp(`\\b(${venueNames.join('|')})\\b|Interactive Brokers|IB Gateway|IBKR_|TWS_`, 'i');
    const hits = renderer
      .flatMap((f) =>
        fs
          .readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => [f, i + 1, line] as const),
      )
      .filter(([, , line]) => pattern.test(line));
    expect(renderer.length).toBeGreaterThan(20);
    expect(hits.map(([f, n, line]) => `${path.relative(root, f)}:${n}: ${line.trim()}`)).toEqual([]);
  });
});
