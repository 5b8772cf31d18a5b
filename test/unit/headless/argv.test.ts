import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../../src-main/engine/api/commands';
import { COMMANDS, parseArgv, toApiCall, UsageError } from '../../../src-main/headless/argv';

const call = (line: string) => {
  const parsed = parseArgv(line.split(' ').filter(Boolean));
  if (!parsed.command) throw new Error('no command');
  return toApiCall(parsed.command);
};

describe('argv parsing', () => {
  it('maps place to order.place with every ticket field', () => {
    expect(call('place paper BTC/USD buy 0.01 --type limit --limit 1 --tif gtc --client-id abc-1')).toEqual({
      command: 'order.place',
      input: { venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'limit', qty: '0.01', limitPrice: '1', tif: 'gtc', clientOrderId: 'abc-1' },
    });
  });

  it('accepts stop-limit, --flag=value and flags before the command', () => {
    expect(call('--json preview paper AAPL sell 3 --type=stop-limit --stop=180 --limit 179.5')).toEqual({
      command: 'order.preview',
      input: { venue: 'paper', symbol: 'AAPL', side: 'sell', type: 'stop_limit', qty: '3', stopPrice: '180', limitPrice: '179.5' },
    });
    expect(parseArgv(['--json', 'venues']).json).toBe(true);
  });

  it('defaults to a market order and leaves meaning checks to the engine', () => {
    // "-1" and "abc" are the engine's to reject (invalid_quantity), not the parser's.
    expect(call('place paper AAPL buy -1').input).toMatchObject({ qty: '-1', type: 'market' });
    expect(call('place paper AAPL buy abc').input).toMatchObject({ qty: 'abc' });
  });

  it('maps every other command to exactly one API command that exists', () => {
    const lines: Record<string, [string, unknown]> = {
      venues: ['venues.list', {}],
      'venue list': ['venues.list', {}],
      'instruments paper btc': ['instruments.search', { venue: 'paper', query: 'btc' }],
      'instruments paper': ['instruments.search', { venue: 'paper' }],
      'quote paper BTC/USD': ['quote.get', { venue: 'paper', symbol: 'BTC/USD' }],
      'cancel paper o-1': ['order.cancel', { venue: 'paper', id: 'o-1' }],
      'cancel-all': ['order.cancelAll', {}],
      'replace o-1 --qty 3 --limit 101.5': ['order.replace', { id: 'o-1', qty: '3', limitPrice: '101.5' }],
      'replace o-1 --stop 99 --venue ib': ['order.replace', { id: 'o-1', venue: 'ib', stopPrice: '99' }],
      'cancel-all paper': ['order.cancelAll', { venue: 'paper' }],
      orders: ['orders.page', { all: false }],
      'orders --all': ['orders.page', { all: true }],
      'orders --all --limit 100 --offset 200': ['orders.page', { all: true, limit: 100, offset: 200 }],
      fills: ['fills.list', {}],
      positions: ['positions.list', {}],
      balances: ['balances.list', {}],
      account: ['account.summary', {}],
      'venue add alpaca --name alp --set paper=true --set feed=iex': ['venue.add', { kind: 'alpaca', name: 'alp', settings: { paper: 'true', feed: 'iex' } }],
      'venue add kraken': ['venue.add', { kind: 'kraken', settings: {} }],
      'venue set alp feed=sip paper=false': ['venue.set', { name: 'alp', settings: { feed: 'sip', paper: 'false' } }],
      'venue remove alp': ['venue.remove', { name: 'alp' }],
      'secret status alp': ['secret.status', { venue: 'alp' }],
      'secret set alp apiKey': ['secret.set', { venue: 'alp', field: 'apiKey' }],
      // issue 3: order safety
      'mode ib shadow': ['mode.set', { venue: 'ib', mode: 'shadow', arm: false }],
      'mode ib LIVE --arm': ['mode.set', { venue: 'ib', mode: 'live', arm: true }],
      'mode ib canary --canary-pct 2.5 --arm': ['mode.set', { venue: 'ib', mode: 'canary', canaryPct: 2.5, arm: true }],
      'risk show': ['risk.get', {}],
      'risk show --venue paper --symbol BTC/USD': ['risk.get', { venue: 'paper', symbol: 'BTC/USD' }],
      'risk set max_order_qty 5 --venue paper --symbol BTC/USD': ['risk.set', { key: 'max_order_qty', value: '5', venue: 'paper', symbol: 'BTC/USD' }],
      'risk set price_collar_pct off': ['risk.set', { key: 'price_collar_pct', value: 'off' }],
      'kill-switch': ['killSwitch.trip', { mode: 'halted', flatten: false }],
      'kill-switch --reducing --flatten --reason fat-finger': ['killSwitch.trip', { mode: 'reducing', flatten: true, reason: 'fat-finger' }],
      'kill-switch status': ['killSwitch.status', {}],
      'kill-switch reset --confirm': ['killSwitch.reset', { confirm: true }],
      'kill-switch reset --confirm --note checked': ['killSwitch.reset', { confirm: true, note: 'checked' }],
      reconcile: ['reconcile.run', {}],
      'reconcile paper': ['reconcile.run', { venue: 'paper' }],
      'reconcile --venue paper': ['reconcile.run', { venue: 'paper' }],
      'reconcile --reports': ['reconcile.reports', {}],
      'reconcile paper --reports --limit 5': ['reconcile.reports', { venue: 'paper', limit: 5 }],
      audit: ['audit.list', {}],
      'audit --action killSwitch --venue paper --actor cli --since 1700000000000 --limit 10': ['audit.list', { action: 'killSwitch', venue: 'paper', actor: 'cli', sinceTs: 1700000000000, limit: 10 }],
      'audit --csv --since 2025-01-31T09:00:00Z': ['audit.csv', { sinceTs: Date.UTC(2025, 0, 31, 9) }],
      'audit --csv --since 2025-01-31': ['audit.csv', { sinceTs: Date.UTC(2025, 0, 31) }],
      'strategy add dca paper BTC/USD --param qty=0.01 --param every=1h': ['strategy.add', { kind: 'dca', venue: 'paper', symbol: 'BTC/USD', params: { qty: '0.01', every: '1h' } }],
      'strategy simulate grid paper BTC/USD --param low=90 --param high=110 --param levels=5 --param qty=1 --hours 6': [
        'strategy.simulate',
        { kind: 'grid', venue: 'paper', symbol: 'BTC/USD', params: { low: '90', high: '110', levels: '5', qty: '1' }, hours: 6 },
      ],
      'strategy simulate dca paper BTC/USD --param qty=0.01 --param every=1h --seed s2': [
        'strategy.simulate',
        { kind: 'dca', venue: 'paper', symbol: 'BTC/USD', params: { qty: '0.01', every: '1h' }, seed: 's2' },
      ],
      'strategy list': ['strategy.list', {}],
      'strategy show S1': ['strategy.show', { id: 'S1' }],
      'strategy pause S1': ['strategy.pause', { id: 'S1' }],
      'strategy resume S1': ['strategy.resume', { id: 'S1' }],
      'strategy stop S1': ['strategy.stop', { id: 'S1', cancelOrders: false }],
      'strategy stop S1 --cancel-orders': ['strategy.stop', { id: 'S1', cancelOrders: true }],
      // issue 17: the lot ledger
      pnl: ['pnl.get', {}],
      'pnl --by asset-class --since 2026-01-01': ['pnl.get', { by: 'assetClass', sinceTs: Date.UTC(2026, 0, 1) }],
      'pnl --by strategy': ['pnl.get', { by: 'strategy' }],
      lots: ['lots.list', {}],
      'lots AAPL --venue ibkr': ['lots.list', { symbol: 'AAPL', venue: 'ibkr' }],
      'lots --closed': ['lots.closes', {}],
      'tax-report --year 2026 --method FIFO': ['ledger.export', { year: 2026, method: 'fifo' }],
      'tax-report --kind lots': ['ledger.export', { kind: 'lots' }],
      'lot-method ibkr hifo': ['ledger.method.set', { venue: 'ibkr', method: 'hifo' }],
      'opening-lot ibkr AAPL 10 1500 2024-05-01': ['ledger.openingLot.add', { venue: 'ibkr', symbol: 'AAPL', qty: '10', cost: '1500', openedAt: '2024-05-01', direction: 'long' }],
      'opening-lot ibkr AAPL 10 1500 1714521600000 --short': ['ledger.openingLot.add', { venue: 'ibkr', symbol: 'AAPL', qty: '10', cost: '1500', openedAt: 1714521600000, direction: 'short' }],
      equity: ['equity.curve', {}],
      'equity --since 2026-12-01 --points 200': ['equity.curve', { sinceTs: Date.UTC(2026, 11, 1), maxPoints: 200 }],
      'lot-choose f-9 lot-1 lot-2': ['ledger.lots.choose', { fillId: 'f-9', lotIds: ['lot-1', 'lot-2'] }],
      // issue 18: positions you can act on
      'close paper BTC/USD': ['position.close', { venue: 'paper', symbol: 'BTC/USD', action: 'close' }],
      'close paper BTC/USD --reverse': ['position.close', { venue: 'paper', symbol: 'BTC/USD', action: 'reverse' }],
      'close paper AAPL --flatten --preview': ['position.preview', { venue: 'paper', symbol: 'AAPL', action: 'flatten' }],
      'flatten --confirm': ['positions.flatten', { confirm: true }],
      'flatten --venue paper --expect 2 --confirm': ['positions.flatten', { venue: 'paper', expectCount: 2, confirm: true }],
      'alert add paper AAPL above 231.5 --note breakout': ['alert.add', { venue: 'paper', symbol: 'AAPL', condition: 'above', price: '231.5', note: 'breakout' }],
      'alert add paper BTC/USD move 2': ['alert.add', { venue: 'paper', symbol: 'BTC/USD', condition: 'move_pct', pct: '2' }],
      'alert remove pa-1': ['alert.remove', { id: 'pa-1' }],
      alerts: ['alert.list', { all: false }],
      quality: ['quality.report', {}],
      // the ticket's option chain picker
      'chain optv AAPL': ['instrument.optionChain', { venue: 'optv', underlying: 'AAPL' }],
      'quality --venue ib --since 2026-12-04 --by origin --limit 500': ['quality.report', { venue: 'ib', sinceTs: Date.UTC(2026, 11, 4), by: 'origin', limit: 500 }],
    };
    for (const [line, [command, input]] of Object.entries(lines)) {
      const c = call(line);
      expect(c, line).toEqual({ command, input });
      expect(COMMAND_NAMES).toContain(c.command);
    }
    // The table and the tests agree on the command set (serve is handled by the CLI itself).
    expect(
      COMMANDS.map((c) => c.name)
        .filter((n) => n !== 'serve' && n !== 'preview' && n !== 'place')
        .sort(),
    ).toEqual([...new Set(Object.keys(lines).map((l) => parseArgv(l.split(' ')).command!.spec.name))].sort());
  });

  it('gives clear errors for unknown flags, commands and missing arguments', () => {
    expect(() => parseArgv(['place', 'paper', 'AAPL', 'buy', '1', '--price', '3'])).toThrow(/Unknown flag --price for 'place'. Allowed: .*--limit/);
    expect(() => toApiCall(parseArgv(['orders', '--limit', 'many']).command!)).toThrow(/--limit must be a number; got 'many'/);
    expect(() => toApiCall(parseArgv(['strategy', 'simulate', 'dca', 'paper', 'BTC/USD', '--hours', 'a day']).command!)).toThrow(/--hours must be a number; got 'a day'/);
    expect(() => parseArgv(['frobnicate'])).toThrow(/Unknown command 'frobnicate'/);
    expect(() => toApiCall(parseArgv(['flatten']).command!)).toThrow(/add --confirm/);
    expect(() => toApiCall(parseArgv(['close', 'paper', 'AAPL', '--reverse', '--flatten']).command!)).toThrow(/--reverse or --flatten, not both/);
    expect(() => parseArgv(['venue', 'explode'])).toThrow(/Unknown command 'venue explode'/);
    expect(() => parseArgv(['quote', 'paper'])).toThrow(/needs <symbol>/);
    expect(() => parseArgv(['place', 'paper', 'AAPL', 'buy', '1', '--type'])).toThrow(/--type needs a value/);
    expect(() => parseArgv(['orders', '--all=yes'])).toThrow(/--all takes no value/);
    expect(() => parseArgv(['-x'])).toThrow(UsageError);
    expect(() => parseArgv(['quote', 'paper', 'AAPL', 'extra'])).toThrow(/Unexpected argument 'extra'/);
    expect(() => call('venue set alp')).toThrow(/at least one key=value/);
    expect(() => call('venue add alpaca --set paper')).toThrow(/key=value/);
  });

  it('checks only the syntax of the order-safety commands and leaves meaning to the engine', () => {
    // Range and key checks are the engine's: same messages as the UI.
    expect(call('mode ib canary --canary-pct 250').input).toMatchObject({ canaryPct: 250 });
    expect(call('risk set max_order_qty -1').input).toEqual({ key: 'max_order_qty', value: '-1' });
    expect(call('risk set no_such_key 1').input).toEqual({ key: 'no_such_key', value: '1' });
    expect(call('audit --limit 0').input).toEqual({ limit: 0 });

    expect(() => call('kill-switch reset')).toThrow(/add --confirm/);
    expect(() => call('kill-switch reset --note sure')).toThrow(UsageError);
    expect(() => parseArgv(['kill-switch', 'now'])).toThrow(/Unknown command 'kill-switch now'/);
    expect(() => parseArgv(['kill-switch', '--confirm'])).toThrow(/Unknown flag --confirm for 'kill-switch'/);
    expect(() => parseArgv(['risk'])).toThrow(/Unknown command 'risk'. Did you mean: risk show, risk set\?/);
    expect(() => parseArgv(['risk', 'set', 'max_order_qty'])).toThrow(/needs <value>/);
    expect(() => parseArgv(['mode', 'ib'])).toThrow(/needs <mode>/);
    expect(() => parseArgv(['mode', 'ib', 'live', 'now'])).toThrow(/Unexpected argument 'now'/);
    expect(() => call('mode ib canary --canary-pct five')).toThrow(/--canary-pct must be a number; got 'five'/);
    expect(() => call('audit --limit many')).toThrow(/--limit must be a number/);
    expect(() => call('audit --since yesterday')).toThrow(/--since takes an ISO time .* or epoch milliseconds; got 'yesterday'/);
    expect(() => call('audit --since 2025-13-45')).toThrow(/--since/);
    expect(() => call('reconcile --limit 3')).toThrow(/add --reports/);
    expect(() => call('reconcile paper --venue paper')).toThrow(/Name the venue once/);
  });

  it('refuses a secret value on the command line without echoing it', () => {
    let message = '';
    try {
      parseArgv(['secret', 'set', 'kraken', 'apiSecret', 'hunter2-very-secret']);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/read from stdin/);
    expect(message).not.toContain('hunter2');
  });

  it('reads global flags anywhere and --help without a command', () => {
    const p = parseArgv(['orders', '--data-dir', '/tmp/x', '--json']);
    expect(p).toMatchObject({ json: true, dataDir: '/tmp/x' });
    expect(parseArgv([]).help).toBe(true);
    expect(parseArgv(['place', '--help']).help).toBe(true);
  });
});
