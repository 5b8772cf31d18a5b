import { describe, expect, it } from 'vitest';
import { parseArgv, toApiCall, UsageError } from '../../../src-main/headless/argv';

const call = (line: string) => {
  const parsed = parseArgv(line.split(' ').filter(Boolean));
  if (!parsed.command) throw new Error('no command');
  return toApiCall(parsed.command);
};

describe('argv: GTD, CLS, post-only, reduce-only, notional', () => {
  it('--tif gtd --expire-at ISO or epoch ms', () => {
    expect(call('place alpaca AAPL buy 1 --type limit --limit 190 --tif gtd --expire-at 2026-12-31T21:00:00Z').input).toMatchObject({ tif: 'gtd', expireAt: Date.UTC(2026, 11, 31, 21) });
    expect(call('preview alpaca AAPL buy 1 --type limit --limit 190 --tif GTD --expire-at 1798750800000').input).toMatchObject({ tif: 'gtd', expireAt: 1798750800000 });
    // No offset: refused rather than read in this machine's zone.
    expect(() => call('place alpaca AAPL buy 1 --tif gtd --expire-at 2026-12-31T21:00')).toThrow(UsageError);
  });
  it('--tif cls, --post-only, --reduce-only', () => {
    expect(call('place alpaca AAPL sell 3 --tif cls').input).toMatchObject({ type: 'market', tif: 'cls' });
    expect(call('place bn BTC/USDT buy 1 --type limit --limit 50000 --post-only').input).toMatchObject({ postOnly: true });
    expect(call('place bn BTC/USDT:PERP sell 1 --reduce-only').input).toMatchObject({ reduceOnly: true });
    expect(call('place bn BTC/USDT buy 1 --type limit --limit 50000').input).not.toHaveProperty('postOnly');
  });
  it('--notional with the quantity left out or 0', () => {
    expect(call('place alpaca AAPL buy --notional 250').input).toEqual({ venue: 'alpaca', symbol: 'AAPL', side: 'buy', type: 'market', notional: '250' });
    expect(call('preview alpaca AAPL buy 0 --notional 99.5').input).toMatchObject({ qty: '0', notional: '99.5' });
  });
});
