/** The ticket's option chain picker model: shown only for option venues; expiry → strike → call / put; a pick cut back to what the chain lists. */
import { describe, expect, it } from 'vitest';
import { expiryChoices, fitPick, pickedInstrumentId, showsChainPicker, strikeChoices } from '../../../src-renderer/src/features/ticket/chain-model';
import { xyzOptions } from '../../support/option-chain-fixture';

const chain = xyzOptions('demo').chains['XYZ']!;

describe('option chain picker model', () => {
  it('is shown only for a venue flagged as listing option chains', () => {
    expect(showsChainPicker({ optionChains: true })).toBe(true);
    expect(showsChainPicker({})).toBe(false);
    expect(showsChainPicker(undefined)).toBe(false);
  });

  it('offers the expiries (date and days to expiry), then the strikes of the chosen expiry with the rights each lists', () => {
    expect(expiryChoices(chain)).toEqual([
      { value: '20270115', label: '2027-01-15 · 42 d' },
      { value: '20270219', label: '2027-02-19 · 77 d' },
    ]);
    expect(strikeChoices(chain, '20270219')).toEqual([
      { value: '100', call: true, put: true },
      { value: '110', call: true, put: false },
    ]);
    expect(strikeChoices(chain, undefined)).toEqual([]);
  });

  it('a full pick names the instrument; a partial one names none', () => {
    expect(pickedInstrumentId(chain, { expiry: '20270115', strike: '105', right: 'put' })).toBe('demo:XYZ   270115P00105000');
    expect(pickedInstrumentId(chain, { expiry: '20270115', strike: '105' })).toBeUndefined();
    expect(pickedInstrumentId(chain, {})).toBeUndefined();
  });

  it('a pick that no longer fits is cut back: another expiry without the strike, a strike without a put, an unknown expiry', () => {
    expect(fitPick(chain, { expiry: '20270219', strike: '95', right: 'call' })).toEqual({ expiry: '20270219' });
    expect(fitPick(chain, { expiry: '20270219', strike: '110', right: 'put' })).toEqual({ expiry: '20270219', strike: '110' });
    expect(pickedInstrumentId(chain, { expiry: '20270219', strike: '110', right: 'put' })).toBeUndefined();
    expect(fitPick(chain, { expiry: '20991231', strike: '100', right: 'call' })).toEqual({});
    expect(fitPick(chain, { expiry: '20270219', strike: '100', right: 'call' })).toEqual({ expiry: '20270219', strike: '100', right: 'call' });
  });
});
