import { describe, expect, it } from 'vitest';
import {
  ALL_QUOTES,
  EMPTY_WATCHLISTS,
  MAX_ITEMS,
  addItem,
  compactVolume,
  createList,
  dayStats,
  deleteList,
  moveItem,
  parseWatchlists,
  quoteTitle,
  removeItem,
  renameList,
  resolveInstrument,
  setActive,
  type Edit,
  type WatchlistsState,
} from '../../../src-renderer/src/features/watchlists/watchlists-model';
import { WATCHLISTS_KEY, createWatchlistsStore } from '../../../src-renderer/src/features/watchlists/watchlists-store';

const ok = (e: Edit): WatchlistsState => {
  if (!e.ok) throw new Error(e.message);
  return e.state;
};
const build = (...ids: string[]) => ids.reduce((s, id) => ok(addItem(s, 'Tech', id)), ok(createList(EMPTY_WATCHLISTS, ' Tech ')));

describe('watchlists', () => {
  it('creates named lists (trimmed, shown at once), refusing an empty or repeated name', () => {
    const s = ok(createList(EMPTY_WATCHLISTS, ' Tech '));
    expect(s).toEqual({ lists: [{ name: 'Tech', items: [] }], active: 'Tech' });
    expect(createList(s, 'tech')).toEqual({ ok: false, message: 'There is already a list called “tech”.' });
    expect(createList(s, '   ')).toEqual({ ok: false, message: 'Give the list a name.' });
    expect(createList(s, 'x'.repeat(33))).toMatchObject({ ok: false, message: expect.stringContaining('at most 32') });
  });
  it('adds instruments across venues once each, in order, and refuses what is not an instrument id', () => {
    const s = build('paper:AAPL', 'alpaca:AAPL', 'paper:ETH/USD');
    expect(s.lists[0]!.items).toEqual(['paper:AAPL', 'alpaca:AAPL', 'paper:ETH/USD']);
    expect(addItem(s, 'Tech', 'paper:AAPL')).toEqual({ ok: false, message: 'paper:AAPL is already in “Tech”.' });
    expect(addItem(s, 'Tech', 'AAPL')).toMatchObject({ ok: false, message: expect.stringContaining('not an instrument') });
    expect(addItem(s, 'Nope', 'paper:MSFT')).toEqual({ ok: false, message: 'There is no list called “Nope”.' });
  });
  it('caps a list at MAX_ITEMS', () => {
    let s = ok(createList(EMPTY_WATCHLISTS, 'Big'));
    for (let i = 0; i < MAX_ITEMS; i++) s = ok(addItem(s, 'Big', `paper:S${i}`));
    expect(addItem(s, 'Big', 'paper:ONE_MORE')).toMatchObject({ ok: false, message: expect.stringContaining(`at most ${MAX_ITEMS}`) });
  });
  it('reorders (clamped) and removes', () => {
    const s = build('paper:A', 'paper:B', 'paper:C');
    expect(ok(moveItem(s, 'Tech', 2, 0)).lists[0]!.items).toEqual(['paper:C', 'paper:A', 'paper:B']);
    expect(ok(moveItem(s, 'Tech', 0, 99)).lists[0]!.items).toEqual(['paper:B', 'paper:C', 'paper:A']);
    expect(moveItem(s, 'Tech', 5, 0)).toMatchObject({ ok: false });
    expect(ok(removeItem(s, 'Tech', 'paper:B')).lists[0]!.items).toEqual(['paper:A', 'paper:C']);
    expect(removeItem(s, 'Tech', 'paper:Z')).toMatchObject({ ok: false });
  });
  it('renames (keeping it on screen) and deletes (back to All quotes)', () => {
    let s = build('paper:A');
    s = ok(createList(s, 'Crypto'));
    s = setActive(s, 'Tech');
    s = ok(renameList(s, 'Tech', 'Stocks'));
    expect(s.active).toBe('Stocks');
    expect(renameList(s, 'Stocks', 'crypto')).toMatchObject({ ok: false, message: expect.stringContaining('already') });
    expect(ok(renameList(s, 'Stocks', 'STOCKS')).lists.map((l) => l.name)).toEqual(['STOCKS', 'Crypto']);
    s = ok(deleteList(s, 'Stocks'));
    expect(s).toEqual({ lists: [{ name: 'Crypto', items: [] }], active: ALL_QUOTES });
    expect(setActive(s, 'Gone')).toBe(s);
  });
  it('reads stored lists back, dropping junk, repeats and bad ids', () => {
    const raw = JSON.stringify({
      active: 'Tech',
      lists: [{ name: 'Tech', items: ['paper:A', 'paper:A', 7, 'bad id'] }, { name: 'tech', items: [] }, { name: 5 }, { name: 'Fx', items: 'paper:EUR' }],
    });
    expect(parseWatchlists(raw)).toEqual({
      lists: [
        { name: 'Tech', items: ['paper:A'] },
        { name: 'Fx', items: [] },
      ],
      active: 'Tech',
    });
    expect(parseWatchlists('{oops')).toEqual(EMPTY_WATCHLISTS);
    expect(parseWatchlists(JSON.stringify({ lists: [], active: 'Ghost' }))).toEqual(EMPTY_WATCHLISTS);
  });
  it('persists every accepted edit and restores it in a new window', () => {
    const mem = new Map<string, string>();
    const storage = { getItem: (k: string) => mem.get(k) ?? null, setItem: (k: string, v: string) => void mem.set(k, v) };
    const a = createWatchlistsStore(storage);
    a.getState().create('Tech');
    a.getState().add('Tech', 'paper:AAPL');
    a.getState().add('Tech', 'paper:MSFT');
    a.getState().move('Tech', 1, 0);
    expect(a.getState().add('Tech', 'paper:AAPL')).toMatchObject({ ok: false });
    const b = createWatchlistsStore(storage);
    expect(b.getState().lists).toEqual([{ name: 'Tech', items: ['paper:MSFT', 'paper:AAPL'] }]);
    expect(b.getState().active).toBe('Tech');
    expect(JSON.parse(mem.get(WATCHLISTS_KEY)!)).toMatchObject({ active: 'Tech' });
  });
});

describe('day statistics', () => {
  it('computes change and change % since the previous close in decimals', () => {
    expect(dayStats({ last: '101.5', prevClose: '100', dayHigh: '102', dayLow: '99.25', volume: '12000' })).toEqual({
      change: '1.5',
      changePct: '1.50',
      dayHigh: '102',
      dayLow: '99.25',
      volume: '12000',
    });
    expect(dayStats({ last: '0.3', prevClose: '0.1' }).change).toBe('0.2');
    expect(dayStats({ last: '2999.99', prevClose: '3000' })).toMatchObject({ change: '-0.01', changePct: '0.00' });
    expect(dayStats({ last: '2940', prevClose: '3000' }).changePct).toBe('-2.00');
  });
  it('leaves out what the venue does not give', () => {
    expect(dayStats({ last: '5' })).toEqual({ dayHigh: undefined, dayLow: undefined, volume: undefined });
    const fromZero = dayStats({ last: '5', prevClose: '0' });
    expect(fromZero.change).toBe('5');
    expect(fromZero.changePct).toBeUndefined();
    expect(dayStats(undefined)).toEqual({});
  });
});

describe('a quote row', () => {
  it('names symbol, venue, change and day range; says STALE while the feed is down', () => {
    const day = dayStats({ last: '101.5', prevClose: '100', dayHigh: '102', dayLow: '99' });
    expect(quoteTitle({ symbol: 'AAPL', venue: 'alp' }, day)).toBe('AAPL on alp · change 1.5 · day range 99 – 102');
    expect(quoteTitle({ symbol: 'AAPL', venue: 'alp', stale: true }, {})).toBe('AAPL on alp · STALE: the market-data feed is down, last prices shown');
  });
});

describe('typed instruments', () => {
  const known = [
    { id: 'paper:BTC-USD', venue: 'paper', symbol: 'BTC/USD' },
    { id: 'paper:AAPL', venue: 'paper', symbol: 'AAPL' },
    { id: 'alpaca:AAPL', venue: 'alpaca', symbol: 'AAPL' },
  ];
  it('takes an exact id, venue:symbol as shown, or a symbol only one venue carries', () => {
    expect(resolveInstrument('paper:BTC-USD', known)).toBe('paper:BTC-USD');
    expect(resolveInstrument(' paper:btc/usd ', known)).toBe('paper:BTC-USD');
    expect(resolveInstrument('btc/usd', known)).toBe('paper:BTC-USD');
    expect(resolveInstrument('alpaca:AAPL', known)).toBe('alpaca:AAPL');
  });
  it('refuses an ambiguous symbol, an unknown one and nothing', () => {
    expect(resolveInstrument('AAPL', known)).toBeUndefined();
    expect(resolveInstrument('paper:NOPE', known)).toBeUndefined();
    expect(resolveInstrument('', known)).toBeUndefined();
  });
});

describe('volume in a narrow column', () => {
  it('three significant digits with K/M/B/T from 10,000; smaller as given with at most two decimals', () => {
    expect(compactVolume('0')).toBe('0');
    expect(compactVolume('2.2278')).toBe('2.22');
    expect(compactVolume('9999.999')).toBe('9999.99');
    expect(compactVolume('12345')).toBe('12.3K');
    expect(compactVolume('1523004.5')).toBe('1.52M');
    expect(compactVolume('999999999')).toBe('999M');
    expect(compactVolume('2500000000')).toBe('2.5B');
    expect(compactVolume('7000000000000')).toBe('7T');
  });
});
