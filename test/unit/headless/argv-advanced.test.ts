import { describe, expect, it } from 'vitest';
import { COMMANDS, helpText, parseArgv, toApiCall, UsageError } from '../../../src-main/headless/argv';

const call = (line: string) => {
  const parsed = parseArgv(line.split(' ').filter(Boolean));
  if (!parsed.command) throw new Error('no command');
  return toApiCall(parsed.command);
};

describe('argv: advanced order flags', () => {
  it('trailing stops by amount or percent', () => {
    expect(call('place ib AAPL sell 10 --type trailing-stop --trail 1.5 --tif gtc').input).toEqual({
      venue: 'ib',
      symbol: 'AAPL',
      side: 'sell',
      type: 'trailing_stop',
      qty: '10',
      trailAmount: '1.5',
      tif: 'gtc',
    });
    expect(call('preview ib AAPL sell 10 --type trailing-stop --trail-pct 2').input).toMatchObject({ type: 'trailing_stop', trailPercent: '2' });
  });
  it('OPG, outside RTH, OCA', () => {
    expect(call('place ib AAPL buy 2 --tif opg').input).toMatchObject({ type: 'market', tif: 'opg' });
    expect(call('place ib AAPL buy 1 --type limit --limit 201 --outside-rth').input).toMatchObject({ extendedHours: true });
    expect(call('place ib AAPL buy 1 --type limit --limit 201').input).not.toHaveProperty('extendedHours');
    expect(call('place ib AAPL buy 1 --type limit --limit 150 --oca g1').input).toMatchObject({ ocaGroup: 'g1' });
  });
  it('bracket legs', () => {
    expect(call('place ib AAPL buy 10 --type limit --limit 199 --take-profit 210 --stop-loss 190 --stop-loss-limit 189.5').input).toMatchObject({
      takeProfit: { limitPrice: '210' },
      stopLoss: { stopPrice: '190', limitPrice: '189.5' },
    });
    expect(call('place ib AAPL buy 10 --type limit --limit 199 --stop-loss 190').input).toMatchObject({ stopLoss: { stopPrice: '190' } });
    expect(() => call('place ib AAPL buy 10 --type limit --limit 199 --stop-loss-limit 189')).toThrow(UsageError);
  });
  it('an OCO exit pair: --oco with the limit as take-profit and --stop-loss', () => {
    const input = call('place alp AAPL sell 10 --type limit --limit 210 --stop-loss 190 --oco --tif gtc').input;
    expect(input).toMatchObject({ side: 'sell', type: 'limit', limitPrice: '210', stopLoss: { stopPrice: '190' }, oco: true, tif: 'gtc' });
    expect(call('place alp AAPL sell 10 --type limit --limit 210').input).not.toHaveProperty('oco');
  });
  it('help names every flag', () => {
    const place = helpText(COMMANDS.find((c) => c.name === 'place'));
    for (const f of ['--trail ', '--trail-pct', '--outside-rth', '--take-profit', '--stop-loss ', '--stop-loss-limit', '--oca', '--oco', 'opg', 'trailing-stop']) expect(place).toContain(f);
    expect(helpText()).toMatch(/--take-profit P --stop-loss P/);
  });
});
